package store

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/ariadne-dev/ariadne/correlation/text"
	"github.com/ariadne-dev/ariadne/datasources"
)

// Ref is what reopens an item live: the query, IDs and the absolute UTC
// window it was pinned with.
type Ref struct {
	Query   string            `json:"q,omitempty"`
	From    time.Time         `json:"from,omitzero"`
	To      time.Time         `json:"to,omitzero"`
	TraceID string            `json:"trace_id,omitempty"`
	SpanID  string            `json:"span_id,omitempty"`
	TimeNs  int64             `json:"time_ns,omitempty"`
	Labels  map[string]string `json:"labels,omitempty"`
}

// Snapshot is what the user saw when pinning, frozen so the item (and a
// share link) still renders after the backends forgot the data or while
// they are down. Every part is bounded; Omitted says what the bounds cut.
type Snapshot struct {
	TakenAt  time.Time     `json:"taken_at"`
	Series   []SeriesSnap  `json:"series,omitempty"`
	Exemplar *ExemplarSnap `json:"exemplar,omitempty"`
	Trace    *TraceSnap    `json:"trace,omitempty"`
	Lines    []LineSnap    `json:"lines,omitempty"`
	Omitted  []string      `json:"omitted,omitempty"`
}

// SeriesSnap is one series as parallel arrays (compact in JSON). Points
// that are NaN or infinite are gaps and not stored.
type SeriesSnap struct {
	Labels map[string]string `json:"labels"`
	T      []int64           `json:"t"` // unix ms
	V      []float64         `json:"v"`
}

// ExemplarSnap is the exemplar the user clicked.
type ExemplarSnap struct {
	TraceID      string            `json:"trace_id"`
	TMs          int64             `json:"t"`
	Value        float64           `json:"v"`
	SeriesLabels map[string]string `json:"series_labels,omitempty"`
}

// TraceSnap is a trace cut to what a compact waterfall needs, spans in
// tree order (parents before children, siblings by start).
type TraceSnap struct {
	ID         string     `json:"id"`
	StartNs    int64      `json:"start"`
	EndNs      int64      `json:"end"`
	TotalSpans int        `json:"total"`
	Partial    bool       `json:"partial,omitempty"`
	Focus      string     `json:"focus,omitempty"` // the pinned span, if any
	Spans      []SpanSnap `json:"spans"`
}

// SpanSnap is one span. Attributes and events are kept only for the
// focused span and for failed spans: those are what an investigation
// quotes, and they keep a 2,000-span snapshot under a few hundred KB.
type SpanSnap struct {
	ID        string      `json:"id"`
	Parent    string      `json:"p,omitempty"`
	Depth     int         `json:"d,omitempty"`
	Name      string      `json:"n"`
	Service   string      `json:"s,omitempty"`
	Kind      string      `json:"k,omitempty"`
	Error     bool        `json:"err,omitempty"`
	StatusMsg string      `json:"msg,omitempty"`
	StartNs   int64       `json:"b"`
	EndNs     int64       `json:"e"`
	Attrs     []KV        `json:"a,omitempty"`
	Events    []EventSnap `json:"ev,omitempty"`
}

// KV is one attribute as text.
type KV struct {
	K string `json:"k"`
	V string `json:"v"`
}

// EventSnap is one span event (exceptions among them).
type EventSnap struct {
	TimeNs int64  `json:"t"`
	Name   string `json:"n"`
	Attrs  []KV   `json:"a,omitempty"`
}

// LineSnap is one log line.
type LineSnap struct {
	TimeNs int64             `json:"t"`
	Labels map[string]string `json:"labels,omitempty"`
	Line   string            `json:"line"`
}

// Limits bound a snapshot. The zero value is not useful: start from
// DefaultLimits.
type Limits struct {
	Spans         int
	AttrsPerSpan  int
	EventsPerSpan int
	ValueChars    int // per attribute value and status message
	Series        int
	Points        int // per series
	Lines         int
	LineBytes     int // per log line
}

// DefaultLimits keep one item's snapshot well under a megabyte.
var DefaultLimits = Limits{Spans: 2000, AttrsPerSpan: 32, EventsPerSpan: 8, ValueChars: 512,
	Series: 10, Points: 720, Lines: 100, LineBytes: 4096}

// SnapshotSeries keeps the first lim.Series series and, of each, the last
// lim.Points finite points. omitted is "" when nothing was cut.
func SnapshotSeries(series []datasources.Series, lim Limits) (out []SeriesSnap, omitted string) {
	cutPoints := false
	for i, s := range series {
		if i == lim.Series {
			omitted = fmt.Sprintf("%d of %d series kept", lim.Series, len(series))
			break
		}
		ss := SeriesSnap{Labels: s.Labels}
		pts := s.Points
		if len(pts) > lim.Points {
			pts, cutPoints = pts[len(pts)-lim.Points:], true
		}
		for _, p := range pts {
			if math.IsNaN(p.V) || math.IsInf(p.V, 0) {
				continue
			}
			ss.T = append(ss.T, p.TMs)
			ss.V = append(ss.V, p.V)
		}
		out = append(out, ss)
	}
	if cutPoints {
		omitted = join(omitted, fmt.Sprintf("the last %d points of each series kept", lim.Points))
	}
	return out, omitted
}

// SnapshotLines keeps the first lim.Lines lines, each cut to lim.LineBytes.
func SnapshotLines(lines []datasources.LogLine, lim Limits) (out []LineSnap, omitted string) {
	if len(lines) > lim.Lines {
		omitted = fmt.Sprintf("%d of %d lines kept", lim.Lines, len(lines))
		lines = lines[:lim.Lines]
	}
	out = make([]LineSnap, 0, len(lines))
	for _, l := range lines {
		out = append(out, LineSnap{TimeNs: l.TimeNs, Labels: l.Labels, Line: text.Shorten(l.Line, lim.LineBytes)})
	}
	return out, omitted
}

// SnapshotTrace orders the trace as a tree and keeps at most lim.Spans
// spans: the focused span and its ancestors first, then failed spans,
// then the rest in tree order, so the span that matters survives the cut.
func SnapshotTrace(t *datasources.Trace, focus string, lim Limits) (*TraceSnap, string) {
	ts := &TraceSnap{ID: t.ID, TotalSpans: len(t.Spans), Partial: t.Partial, Focus: focus}
	if len(t.Spans) == 0 {
		return ts, ""
	}
	byID := make(map[string]*datasources.Span, len(t.Spans))
	for i := range t.Spans {
		byID[t.Spans[i].SpanID] = &t.Spans[i]
	}
	children := map[string][]*datasources.Span{}
	var roots []*datasources.Span
	ts.StartNs, ts.EndNs = t.Spans[0].StartNs, t.Spans[0].EndNs
	for i := range t.Spans {
		s := &t.Spans[i]
		ts.StartNs, ts.EndNs = min(ts.StartNs, s.StartNs), max(ts.EndNs, s.EndNs)
		if _, ok := byID[s.ParentSpanID]; ok && s.ParentSpanID != s.SpanID {
			children[s.ParentSpanID] = append(children[s.ParentSpanID], s)
		} else {
			roots = append(roots, s)
		}
	}
	byStart := func(a, b *datasources.Span) int {
		return cmp.Or(cmp.Compare(a.StartNs, b.StartNs), cmp.Compare(a.SpanID, b.SpanID))
	}
	slices.SortFunc(roots, byStart)
	type row struct {
		s     *datasources.Span
		depth int
	}
	order := make([]row, 0, len(t.Spans))
	seen := make(map[string]bool, len(t.Spans))
	// Iterative DFS: a 100,000-span chain must not overflow the stack.
	stack := make([]row, 0, len(roots))
	for i := len(roots) - 1; i >= 0; i-- {
		stack = append(stack, row{roots[i], 0})
	}
	for len(stack) > 0 {
		r := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[r.s.SpanID] {
			continue // duplicate IDs or cycles in a malformed trace
		}
		seen[r.s.SpanID] = true
		order = append(order, r)
		kids := children[r.s.SpanID]
		slices.SortFunc(kids, byStart)
		for i := len(kids) - 1; i >= 0; i-- {
			stack = append(stack, row{kids[i], r.depth + 1})
		}
	}

	keep := map[string]bool{}
	omitted := ""
	if len(order) > lim.Spans {
		for id := focus; id != "" && len(keep) < lim.Spans; {
			s, ok := byID[id]
			if !ok || keep[id] {
				break
			}
			keep[id] = true
			id = s.ParentSpanID
		}
		for _, r := range order {
			if len(keep) >= lim.Spans {
				break
			}
			if r.s.Status == datasources.StatusError {
				keep[r.s.SpanID] = true
			}
		}
		for _, r := range order {
			if len(keep) >= lim.Spans {
				break
			}
			keep[r.s.SpanID] = true
		}
		omitted = fmt.Sprintf("%d of %d spans kept", lim.Spans, len(order))
	}
	for _, r := range order {
		s := r.s
		if len(keep) > 0 && !keep[s.SpanID] {
			continue
		}
		sp := SpanSnap{ID: s.SpanID, Parent: s.ParentSpanID, Depth: r.depth, Name: text.Shorten(s.Name, lim.ValueChars),
			Service: s.Service(), Kind: string(s.Kind), Error: s.Status == datasources.StatusError,
			StatusMsg: text.Shorten(s.StatusMsg, lim.ValueChars), StartNs: s.StartNs, EndNs: s.EndNs}
		if sp.Error || s.SpanID == focus {
			sp.Attrs = kvs(s.Attributes, lim)
			for i, e := range s.Events {
				if i == lim.EventsPerSpan {
					break
				}
				sp.Events = append(sp.Events, EventSnap{TimeNs: e.TimeNs, Name: text.Shorten(e.Name, lim.ValueChars), Attrs: kvs(e.Attributes, lim)})
			}
		}
		ts.Spans = append(ts.Spans, sp)
	}
	return ts, omitted
}

func kvs(attrs []datasources.Attribute, lim Limits) []KV {
	n := min(len(attrs), lim.AttrsPerSpan)
	if n == 0 {
		return nil
	}
	out := make([]KV, n)
	for i := range n {
		out[i] = KV{K: text.Shorten(attrs[i].Key, 200), V: text.Shorten(attrs[i].Value, lim.ValueChars)}
	}
	return out
}

func join(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}
