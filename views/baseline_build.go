package views

import (
	"strconv"
	"strings"
	"time"

	"github.com/ariadne-dev/ariadne/correlation/baseline"
	"github.com/ariadne-dev/ariadne/correlation/links"
	"github.com/ariadne-dev/ariadne/correlation/text"
	"github.com/ariadne-dev/ariadne/correlation/trace"
	"github.com/ariadne-dev/ariadne/datasources"
)

// BaselinePanel is the trace page's reading of baseline.Compare (#18
// section 1): what the trace was compared with, its most unusual spans,
// how its shape differs, and per span the text of a baseline column.
type BaselinePanel struct {
	// Judged is false when the baseline is too small: then Note says so
	// and nothing else is set but Spans' texts.
	Judged bool
	Note   string
	// Unusual are the most unusual spans, most unusual first, at most
	// BaselineInput.Max; MoreUnusual counts the rest.
	Unusual     []UnusualSpan
	MoreUnusual int
	// Structure are sentences, extra operations first, then counts, then
	// missing ones: "orders: SELECT orders — 7 here, typically 1".
	Structure []string
	// Spans is keyed by span ID.
	Spans map[string]SpanBaseline
}

// UnusualSpan is one entry of "most unusual spans".
type UnusualSpan struct {
	SpanID, Service, Name string
	Text                  string // "801 ms — p50 for this operation is 38 ms (21×)"
	Why                   string // "slow, slow in itself, failed (fails in 2% of similar traces)"
	URL                   string
	Error                 bool
}

// SpanBaseline is one span's baseline column.
type SpanBaseline struct {
	Text string // as UnusualSpan.Text, or why it is not judged
	Far  bool   // unusual: the row is marked
}

// BaselineInput is what BuildBaselinePanel needs beside the comparison.
type BaselineInput struct {
	Backend string // asked first by the span links
	Max     int    // most unusual spans listed (0: 5)
	// Similar says how the baseline traces were chosen, for the note:
	// "same root service and operation, last hour".
	Similar string
}

// BuildBaselinePanel lays out r, the comparison of t with its baseline.
func BuildBaselinePanel(t *trace.TraceTree, r *baseline.Result, in BaselineInput) BaselinePanel {
	if in.Max <= 0 {
		in.Max = 5
	}
	p := BaselinePanel{Judged: r.Judged(), Spans: make(map[string]SpanBaseline, len(r.Spans))}
	similar := ""
	if in.Similar != "" {
		similar = " (" + in.Similar + ")"
	}
	if !p.Judged {
		p.Note = "Too small to judge: " + Plural(r.Baseline.Traces, "similar trace") + similar + "; at least " +
			strconv.Itoa(baseline.MinTraces) + " are needed."
	} else {
		p.Note = "Compared with " + Plural(r.Baseline.Traces, "similar trace") + similar + "."
	}
	for i := range r.Spans {
		s := &r.Spans[i]
		p.Spans[t.Nodes[s.Node].Span.SpanID] = SpanBaseline{Text: baselineText(s), Far: s.Unusual()}
	}
	if !p.Judged {
		return p
	}
	for k, i := range r.Unusual {
		if k >= in.Max {
			p.MoreUnusual = len(r.Unusual) - in.Max
			break
		}
		s := &r.Spans[i]
		sp := t.Nodes[s.Node].Span
		p.Unusual = append(p.Unusual, UnusualSpan{SpanID: sp.SpanID, Service: text.Visible(s.Service), Name: text.Visible(s.Name),
			Text: baselineText(s), Why: unusualWhy(s), Error: sp.Status == datasources.StatusError,
			URL: links.Trace(t.Trace.ID, links.TraceParams{Span: sp.SpanID, Backend: in.Backend, Window: links.TraceWindow(t.StartNs, t.EndNs)})})
	}
	for _, st := range r.Structure {
		p.Structure = append(p.Structure, structureText(st))
	}
	return p
}

func baselineText(s *baseline.SpanScore) string {
	d := text.FormatDuration(time.Duration(s.DurationNs))
	switch {
	case s.Base == nil:
		return d + " — no similar trace has this operation"
	case !s.Judged:
		return d + " — too few of this operation to judge (" + strconv.Itoa(s.Base.Spans) + " in similar traces, " +
			strconv.Itoa(baseline.MinSpans) + " needed)"
	}
	t := d + " — p50 for this operation is " + text.FormatDuration(time.Duration(s.Base.P50Ns))
	if s.Base.P50Ns > 0 {
		t += " (" + ratioText(s.Ratio) + ")"
	}
	return t
}

// ratioText is "21×" or "3.4×".
func ratioText(r float64) string {
	if r >= 10 {
		return strconv.FormatFloat(r, 'f', 0, 64) + "×"
	}
	return strconv.FormatFloat(r, 'f', 1, 64) + "×"
}

func unusualWhy(s *baseline.SpanScore) string {
	var why []string
	if s.Slow {
		why = append(why, "slow (p99 "+text.FormatDuration(time.Duration(s.Base.P99Ns))+")")
	}
	if s.SlowSelf {
		why = append(why, "slow in itself (self time "+text.FormatDuration(time.Duration(s.SelfNs))+
			", p50 "+text.FormatDuration(time.Duration(s.Base.SelfP50Ns))+")")
	}
	if s.RareError {
		why = append(why, "failed (fails in "+percent(s.Base.ErrorShare())+" of similar traces' spans)")
	}
	return strings.Join(why, ", ")
}

func structureText(st baseline.Structure) string {
	op := text.Visible(st.Service) + ": " + text.Visible(st.Name) + " — "
	switch st.Kind {
	case baseline.Extra:
		if st.Presence == 0 {
			return op + strconv.Itoa(st.Count) + " here; no similar trace has it"
		}
		return op + strconv.Itoa(st.Count) + " here; only " + percent(st.Presence) + " of similar traces have it"
	case baseline.Count:
		return op + strconv.Itoa(st.Count) + " here, typically " + strconv.Itoa(st.Typical)
	}
	return op + "missing here; " + percent(st.Presence) + " of similar traces have it (typically " + strconv.Itoa(st.Typical) + ")"
}

func percent(f float64) string { return strconv.Itoa(int(f*100+0.5)) + "%" }
