package handlers

import (
	"context"
	"strconv"
	"time"

	"github.com/ariadne-dev/ariadne/correlation/baseline"
	"github.com/ariadne-dev/ariadne/correlation/links"
	"github.com/ariadne-dev/ariadne/correlation/quality"
	"github.com/ariadne-dev/ariadne/correlation/query"
	"github.com/ariadne-dev/ariadne/correlation/trace"
	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/views"
)

// The trace page's analysis panels (#18), streamed after the waterfall
// with its logs so neither delays it: the trace against similar traces,
// and what its spans break of good instrumentation practice.

const (
	// baselineWindow is how far either side of the trace similar traces
	// are looked for.
	baselineWindow = 30 * time.Minute
	// baselineMaxSpans bounds the traces compared: a sample of 20 traces
	// the size of a 10,000-span one would cost the server more than the
	// page itself.
	baselineMaxSpans = 5000
)

// baselinePanel compares t with a bounded sample of traces with the same
// root service and operation around it, from the backend that had it.
func (h *Handler) baselinePanel(t *trace.TraceTree, from TraceBackend) panel {
	return panel{Title: "Compared with similar traces", Backend: from.Display, Load: func(ctx context.Context) (panelOut, error) {
		cw := views.CompareWith{Action: links.TraceDiffPath, A: t.Trace.ID}
		if len(t.Roots) == 0 {
			return panelOut{Body: views.BaselineBody(views.BaselinePanel{Note: "The trace has no root span to compare by."}, cw)}, nil
		}
		if n := len(t.Nodes); n > baselineMaxSpans {
			return panelOut{Body: views.BaselineBody(views.BaselinePanel{Note: "This trace has " + views.Plural(n, "span") +
				": it is not compared with similar traces, which would cost more than the page itself."}, cw), State: "skipped"}, nil
		}
		root := t.Nodes[t.Roots[0]].Span
		start := time.Unix(0, t.StartNs)
		w := links.TimeRange{From: start.Add(-baselineWindow), To: start.Add(baselineWindow)}
		// Strictly the same root: Tempo asks for it (rootServiceName,
		// rootName); Jaeger and Zipkin search by service and operation,
		// which a child span may match, so their traces are checked here.
		f := query.TraceFilter{RootService: root.Service(), RootName: root.Name}
		// A failed request is compared with the ones that succeeded: when
		// failures are common (an outage), failing traces like it would
		// make its timeout the baseline's p99, and nothing unusual. Twice
		// the sample is fetched, as some of it fails too.
		failed := root.Status == datasources.StatusError
		limit := defaultSampleTraces
		if failed {
			limit *= 2
		}
		s, err := h.sampleTraces(ctx, from, f, w, limit)
		if err != nil {
			return panelOut{}, err
		}
		var similar, failing []*trace.TraceTree
		for _, tr := range s.Traces {
			if !f.Matches(tr) {
				continue
			}
			sim := trace.BuildTree(tr, false)
			if failed && tr.ID != t.Trace.ID && rootFailed(sim) {
				failing = append(failing, sim)
				continue
			}
			similar = append(similar, sim)
			if tr.ID != t.Trace.ID && len(cw.Choices) < 10 {
				cw.Choices = append(cw.Choices, views.Link{URL: tr.ID, Label: views.SimilarTraceLabel(sim)})
			}
		}
		how := "same root service and operation, within 30 min of this one"
		switch {
		case failed && len(similar) > baseline.MinTraces: // the open trace is among them
			how = "that succeeded, with the " + how
		case failed && len(failing) > 0:
			similar = append(similar, failing...)
			how += "; too few of them succeeded to leave the failing ones out"
		}
		p := views.BuildBaselinePanel(t, baseline.Compare(t, similar), views.BaselineInput{Backend: from.Name, Similar: how})
		state := "too few to judge"
		if p.Judged {
			state = views.Plural(len(p.Unusual)+p.MoreUnusual, "unusual span")
		}
		return panelOut{Body: views.BaselineBody(p, cw), State: state}, nil
	}}
}

// rootFailed reports whether a trace's request failed: its first root
// span's status is an error.
func rootFailed(t *trace.TraceTree) bool {
	return len(t.Roots) > 0 && t.Nodes[t.Roots[0]].Span.Status == datasources.StatusError
}

// qualityPanel checks the trace's spans against the span quality rules.
// A huge trace's spans are checked up to this many: the rules are per
// span, and a 100,000-span trace would cost seconds of CPU per page.
const qualityMaxSpans = 10_000

func qualityPanel(t *trace.TraceTree, from TraceBackend) panel {
	return panel{Title: "Span quality", Load: func(ctx context.Context) (panelOut, error) {
		tr := t.Trace
		if len(tr.Spans) > qualityMaxSpans {
			cut := *tr
			cut.Spans = tr.Spans[:qualityMaxSpans]
			tr = &cut
		}
		r := views.BuildQualityReport(quality.CheckTrace(tr, 5), views.QualityInput{Backend: from.Name, Display: from.Display,
			Window: links.TraceWindow(t.StartNs, t.EndNs)})
		if n := len(t.Trace.Spans); n > qualityMaxSpans {
			r.Sample += " These are the first " + strconv.Itoa(qualityMaxSpans) + " of its " + strconv.Itoa(n) + " spans."
		}
		state := "no findings"
		if n := len(r.Groups); n > 0 {
			state = views.Plural(n, "rule") + " broken"
		}
		return panelOut{Body: views.QualityBody(r, "h3"), State: state}, nil
	}}
}
