package datasources

import (
	"slices"
	"strings"
	"time"
)

// TraceQuery is a trace search in the form's terms, for backends searched
// by parameters (Jaeger, Zipkin) rather than by a query language (Tempo's
// TraceQL is compiled from the same form by correlation/query).
type TraceQuery struct {
	Service   string // root or any span's service, as the backend reads it
	Operation string // span name
	// Attributes are exact key=value tag matches, all required.
	Attributes               []Attribute
	ErrorsOnly               bool
	MinDuration, MaxDuration time.Duration // zero: no bound
	Start, End               time.Time
	Limit                    int
}

// TraceSummary is one trace found by a search, as the results table shows
// it, whichever backend found it.
type TraceSummary struct {
	TraceID     string // 32 lower-case hex
	RootService string
	RootName    string
	StartNs     int64
	Duration    time.Duration
	Spans       int
	Errors      int
	// Services are the services with spans in the trace, when the backend
	// says.
	Services []string
	// Sampling is what the trace says about how it was sampled, for
	// correlation/sampling to read as a trace (sampling.OfTrace): its
	// root span, and the first other span with a tracestate threshold
	// (ot=th:) when the root has none, events and links left out. Nil
	// when the backend's search does not answer with spans (Tempo's).
	Sampling []Span
}

// SearchResult is a search's answer: the traces, and the request the
// backend was sent in its own terms (shown on the page, as the TraceQL is
// for Tempo, so a user can repeat it against the backend directly).
type SearchResult struct {
	Traces []TraceSummary
	Sent   string
}

// Summary is the trace as a results row shows it, for backends whose
// search answers with whole traces (Jaeger, Zipkin): the root is the
// earliest span without a parent, else the earliest whose parent is not
// in the trace, else the earliest span; the extent, the counts, and the
// services that have spans.
func (tr *Trace) Summary() TraceSummary {
	sum := TraceSummary{TraceID: tr.ID, Spans: len(tr.Spans)}
	ids := make(map[string]bool, len(tr.Spans))
	for i := range tr.Spans {
		ids[tr.Spans[i].SpanID] = true
	}
	rootness := func(s *Span) int {
		switch {
		case s.ParentSpanID == "":
			return 0
		case !ids[s.ParentSpanID]:
			return 1
		}
		return 2
	}
	var root *Span
	services := map[string]bool{}
	for i := range tr.Spans {
		s := &tr.Spans[i]
		if s.Status == StatusError {
			sum.Errors++
		}
		if svc := s.Service(); svc != "" {
			services[svc] = true
		}
		if root == nil || rootness(s) < rootness(root) || (rootness(s) == rootness(root) && s.StartNs < root.StartNs) {
			root = s
		}
	}
	if root != nil {
		sum.RootService, sum.RootName = root.Service(), root.Name
		sum.Sampling = samplingSpans(tr.Spans, root)
	}
	start, end := tr.Extent()
	sum.StartNs, sum.Duration = start, time.Duration(end-start)
	for svc := range services {
		sum.Services = append(sum.Services, svc)
	}
	slices.Sort(sum.Services)
	return sum
}

// samplingSpans is the root and, when the root's tracestate has no
// threshold, the first span whose tracestate has one (a parent-based
// child carries its parent's), without events or links: what a search
// result keeps of a trace to say how many requests it stands for.
func samplingSpans(spans []Span, root *Span) []Span {
	slim := func(s *Span) Span {
		c := *s
		c.Details = NewSpanDetails(SpanDetails{StatusMsg: s.StatusMsg(), TraceState: s.TraceState()})
		return c
	}
	out := []Span{slim(root)}
	if strings.Contains(root.TraceState(), "th:") {
		return out
	}
	for i := range spans {
		if s := &spans[i]; s != root && strings.Contains(s.TraceState(), "th:") {
			return append(out, slim(s))
		}
	}
	return out
}
