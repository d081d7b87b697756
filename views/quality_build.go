package views

import (
	"strconv"

	"github.com/ariadne-dev/ariadne/correlation/links"
	"github.com/ariadne-dev/ariadne/correlation/quality"
	"github.com/ariadne-dev/ariadne/correlation/text"
)

// QualityView is GET /quality: the span quality rules over a sample of
// one service's traces.
type QualityView struct {
	// The form, as the user sent it.
	Service  string
	Services []string // choices, when the backend lists them
	Backends []Choice // shown when more than one
	Backend  string
	Limit    int
	Limits   []int
	Hidden   []Hidden // from, to
	// Problem replaces the report (the search failed, nothing matched).
	Problem string
	// Report is set once a service was checked.
	Report *QualityReport
}

// QualityReport is the rules' findings over a sample.
type QualityReport struct {
	// Sample says what was checked: "42 spans in 20 traces of payments
	// from Tempo (a sample: the search's first 20; the window has more)."
	Sample string
	Groups []QualityGroup
	// Clean are the titles of the rules no checked span broke.
	Clean []string
}

// QualityGroup is one rule's findings.
type QualityGroup struct {
	ID, Title, Reason, Fix string
	Count                  string // "14 spans in 9 traces"
	Examples               []QualityExample
	More                   string // "and 9 more spans", or ""
}

// QualityExample is one offending span, linked to its place in its trace.
type QualityExample struct {
	Service, Name, Detail, URL string
}

// QualityInput is what BuildQuality needs beside the report.
type QualityInput struct {
	Service string
	Backend string // "tempo": example links ask it first
	Display string // "Tempo"
	// Window is the searched window (absolute), which example links
	// carry so the trace is looked up where it was found.
	Window links.TimeRange
	// Found, Failed, More describe the sample (see handlers' traceSample);
	// zero for one trace (the trace page's panel: Service and Found empty).
	Found, Failed int
	More          bool
}

// BuildQualityReport lays out a quality report: what was checked, each
// rule with findings (its reason, its fix, its counts and example spans,
// linked), then the rules that passed. The trace page's panel can use it
// for one trace as well (quality.CheckTrace).
func BuildQualityReport(rep quality.Report, in QualityInput) *QualityReport {
	out := &QualityReport{Sample: qualitySample(rep, in)}
	for _, r := range rep.Clean {
		out.Clean = append(out.Clean, r.Title)
	}
	for _, g := range rep.Groups {
		qg := QualityGroup{ID: g.Rule.ID, Title: g.Rule.Title, Reason: g.Rule.Reason, Fix: g.Rule.Fix,
			Count: Plural(g.Spans, "span") + " in " + Plural(g.Traces, "trace")}
		for _, ex := range g.Examples {
			qg.Examples = append(qg.Examples, QualityExample{Service: text.Visible(ex.Service), Name: text.Visible(ex.Name),
				Detail: text.Visible(ex.Detail),
				URL:    links.Trace(ex.TraceID, links.TraceParams{Span: ex.SpanID, Backend: in.Backend, Window: in.Window})})
		}
		if n := g.Spans - len(g.Examples); n > 0 {
			qg.More = "and " + Plural(n, "more span")
		}
		out.Groups = append(out.Groups, qg)
	}
	return out
}

// qualitySample is the sentence saying what a report covered.
func qualitySample(rep quality.Report, in QualityInput) string {
	s := Plural(rep.Spans, "span") + " in " + Plural(rep.Traces, "trace")
	if in.Service != "" {
		s += " of " + text.Visible(in.Service)
	}
	if in.Display != "" {
		s += " from " + in.Display
	}
	if in.Found > 0 { // a search's sample, not one trace
		s += " (a sample: the search's first " + strconv.Itoa(in.Found)
		if in.More {
			s += "; the window has more"
		}
		s += ")"
	}
	if in.Failed > 0 {
		s += "; " + Plural(in.Failed, "trace") + " could not be fetched"
	}
	return s + "."
}
