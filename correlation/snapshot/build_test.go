package snapshot

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/ariadne-dev/ariadne/datasources"
)

func span(id, parent, name string, start, end int64, status datasources.StatusCode) datasources.Span {
	return datasources.Span{SpanID: id, ParentSpanID: parent, Name: name, StartNs: start, EndNs: end, Status: status,
		Attrs:    []datasources.Attribute{{Key: "http.route", Value: "/pay"}},
		Details:  &datasources.SpanDetails{Events: []datasources.SpanEvent{{Name: "exception", Attributes: []datasources.Attribute{{Key: "exception.message", Value: "card declined"}}}}},
		Resource: &datasources.Resource{Service: "svc-" + name}}
}

// order lists a snapshot's spans as id:depth.
func order(ts *Trace) string {
	var out []string
	for _, s := range ts.Spans {
		out = append(out, s.ID+":"+strconv.Itoa(s.Depth))
	}
	return strings.Join(out, " ")
}

func TestFromTrace(t *testing.T) {
	// root ─┬─ a ── a1 (error)
	//       └─ b        (b starts before a but is listed last)
	tr := &datasources.Trace{ID: "t1", Spans: []datasources.Span{
		span("a1", "a", "a1", 30, 40, datasources.StatusError),
		span("a", "root", "a", 20, 50, ""),
		span("root", "", "root", 0, 100, ""),
		span("b", "root", "b", 10, 15, ""),
	}}
	tests := []struct {
		name      string
		focus     string
		maxSpans  int
		wantOrder string // id:depth
		wantAttrs string // spans carrying attributes
		omitted   string
	}{
		{"tree order, all kept", "", 10, "root:0 b:1 a:1 a1:2", "a1", ""},
		{"focus carries attributes", "b", 10, "root:0 b:1 a:1 a1:2", "b a1", ""},
		{"cut keeps focus chain and errors first", "b", 3, "root:0 b:1 a1:2", "b a1", "3 of 4 spans kept"},
		{"cut without focus keeps errors, then tree order", "", 2, "root:0 a1:2", "a1", "2 of 4 spans kept"},
		{"cut to the focus chain alone", "a1", 3, "root:0 a:1 a1:2", "a1", "3 of 4 spans kept"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lim := DefaultLimits
			lim.Spans = tt.maxSpans
			got, omitted := FromTrace(tr, tt.focus, lim)
			var attrs []string
			for _, s := range got.Spans {
				if len(s.Attrs) > 0 {
					attrs = append(attrs, s.ID)
				}
			}
			if order(got) != tt.wantOrder || strings.Join(attrs, " ") != tt.wantAttrs || omitted != tt.omitted {
				t.Errorf("order %q attrs %q omitted %q; want %q, %q, %q", order(got), attrs, omitted, tt.wantOrder, tt.wantAttrs, tt.omitted)
			}
			if got.StartNs != 0 || got.EndNs != 100 || got.TotalSpans != 4 {
				t.Errorf("bounds %d..%d total %d", got.StartNs, got.EndNs, got.TotalSpans)
			}
		})
	}
}

// A malformed trace whose spans a and b name each other as parents: the
// old builder walked from real roots only and silently dropped both. The
// one tree makes the earlier of the cycle a root, so every span is kept,
// in the tree's order.
func TestFromTraceKeepsParentCycle(t *testing.T) {
	tr := &datasources.Trace{ID: "t2", Spans: []datasources.Span{
		span("b", "a", "b", 20, 30, datasources.StatusError),
		span("root", "", "root", 0, 100, ""),
		span("a", "b", "a", 10, 40, ""),
		span("c", "root", "c", 5, 8, ""),
	}}
	got, omitted := FromTrace(tr, "b", DefaultLimits)
	if want := "root:0 c:1 a:0 b:1"; order(got) != want || omitted != "" {
		t.Errorf("order %q omitted %q, want %q and nothing omitted", order(got), omitted, want)
	}
	// The stored parent stays the one the span names, as the page shows it.
	if a := got.Spans[2]; a.ID != "a" || a.Parent != "b" {
		t.Errorf("a is %+v, want its declared parent b", a)
	}
	if got.TotalSpans != 4 || len(got.Spans) != 4 || got.StartNs != 0 || got.EndNs != 100 {
		t.Errorf("total %d kept %d bounds %d..%d", got.TotalSpans, len(got.Spans), got.StartNs, got.EndNs)
	}
	// Cut below the size of the trace, the focus chain walks up the tree,
	// so it ends inside the cycle instead of going round it.
	lim := DefaultLimits
	lim.Spans = 2
	got, omitted = FromTrace(tr, "b", lim)
	if want := "a:0 b:1"; order(got) != want || omitted != "2 of 4 spans kept" {
		t.Errorf("cut: order %q omitted %q, want %q", order(got), omitted, want)
	}
}

func TestFromTraceBounds(t *testing.T) {
	s := span("x", "", strings.Repeat("n", 40), 0, 1, datasources.StatusError)
	more := *s.Details
	more.StatusMsg = strings.Repeat("m", 40)
	for range 5 {
		s.Attrs = append(s.Attributes(), datasources.Attribute{Key: "k", Value: strings.Repeat("v", 40)})
		more.Events = append(more.Events, datasources.SpanEvent{Name: "e"})
	}
	s.Details = &more
	lim := DefaultLimits
	lim.AttrsPerSpan, lim.EventsPerSpan, lim.ValueChars = 2, 3, 10
	got, _ := FromTrace(&datasources.Trace{Spans: []datasources.Span{s}}, "", lim)
	sp := got.Spans[0]
	if len(sp.Attrs) != 2 || len(sp.Events) != 3 || len([]rune(sp.Name)) > 10 || len([]rune(sp.StatusMsg)) > 10 || len([]rune(sp.Attrs[0].V)) > 10 {
		t.Errorf("span not bounded by %+v: %+v", lim, sp)
	}
	if empty, _ := FromTrace(&datasources.Trace{ID: "none"}, "", DefaultLimits); empty.ID != "none" || len(empty.Spans) != 0 {
		t.Errorf("empty trace gave %+v", empty)
	}
}

func TestFromSeriesAndLines(t *testing.T) {
	lim := DefaultLimits
	lim.Series, lim.Points, lim.Lines, lim.LineBytes = 1, 2, 1, 8
	series := []datasources.Series{
		{Labels: map[string]string{"service": "payments"}, Points: []datasources.Point{{TMs: 1, V: 1}, {TMs: 2, V: math.NaN()}, {TMs: 3, V: 3}}},
		{Labels: map[string]string{"service": "orders"}},
	}
	got, omitted := FromSeries(series, lim)
	if len(got) != 1 || len(got[0].T) != 1 || got[0].T[0] != 3 || got[0].V[0] != 3 {
		t.Errorf("series %+v: want payments with the last 2 points minus the NaN gap", got)
	}
	if omitted != "1 of 2 series kept; the last 2 points of each series kept" {
		t.Errorf("omitted %q", omitted)
	}
	lines, omitted := FromLines([]datasources.LogLine{{TimeNs: 5, Line: "héllo world"}, {TimeNs: 4, Line: "b"}}, lim)
	if len(lines) != 1 || lines[0].Line != "héll…" || omitted != "1 of 2 lines kept" {
		t.Errorf("lines %+v omitted %q", lines, omitted)
	}
}

// TestFromExemplars: a graph's exemplars are thinned to the bound, the
// slowest of each time slice kept, in time order; exemplars naming no
// trace are not kept at all.
func TestFromExemplars(t *testing.T) {
	id := func(l map[string]string) (string, bool) { v, ok := l["trace_id"]; return v, ok }
	var ex []datasources.Exemplar
	for i := range 300 {
		ex = append(ex, datasources.Exemplar{TMs: int64(i) * 1000, Value: float64(i % 7), Labels: map[string]string{"trace_id": fmt.Sprintf("%032x", i)}})
	}
	ex = append(ex, datasources.Exemplar{TMs: 5000, Value: 99, Labels: map[string]string{"span_id": "x"}})
	out, omitted := FromExemplars(ex, 0, 300_000, id, Limits{Exemplars: 60})
	if len(out) != 60 || omitted != "60 of 301 exemplars kept (the slowest over time)" {
		t.Fatalf("%d kept, omitted %q", len(out), omitted)
	}
	for i := 1; i < len(out); i++ {
		if out[i].TMs < out[i-1].TMs {
			t.Fatalf("not in time order at %d", i)
		}
	}
	for _, e := range out {
		if e.Value < 5 || e.TraceID == "" {
			t.Errorf("kept %+v: want only the slowest of each slice (6 or 5 here), each with its trace", e)
		}
	}
	if few, omitted := FromExemplars(ex[:3], 0, 300_000, id, Limits{Exemplars: 60}); len(few) != 3 || omitted != "" {
		t.Errorf("3 exemplars: %d kept, omitted %q", len(few), omitted)
	}
}
