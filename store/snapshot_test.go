package store

import (
	"math"
	"strings"
	"testing"

	"github.com/ariadne-dev/ariadne/datasources"
)

func span(id, parent, name string, start, end int64, status datasources.StatusCode) datasources.Span {
	return datasources.Span{SpanID: id, ParentSpanID: parent, Name: name, StartNs: start, EndNs: end, Status: status,
		Attributes: []datasources.Attribute{{Key: "http.route", Value: "/pay"}},
		Events:     []datasources.SpanEvent{{Name: "exception", Attributes: []datasources.Attribute{{Key: "exception.message", Value: "card declined"}}}},
		Resource:   &datasources.Resource{Service: "svc-" + name}}
}

func TestSnapshotTrace(t *testing.T) {
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
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lim := DefaultLimits
			lim.Spans = tt.maxSpans
			got, omitted := SnapshotTrace(tr, tt.focus, lim)
			var order, attrs []string
			for _, s := range got.Spans {
				order = append(order, s.ID+":"+itoa(s.Depth))
				if len(s.Attrs) > 0 {
					attrs = append(attrs, s.ID)
				}
			}
			if strings.Join(order, " ") != tt.wantOrder || strings.Join(attrs, " ") != tt.wantAttrs || omitted != tt.omitted {
				t.Errorf("order %q attrs %q omitted %q; want %q, %q, %q", order, attrs, omitted, tt.wantOrder, tt.wantAttrs, tt.omitted)
			}
			if got.StartNs != 0 || got.EndNs != 100 || got.TotalSpans != 4 {
				t.Errorf("bounds %d..%d total %d", got.StartNs, got.EndNs, got.TotalSpans)
			}
		})
	}
	// A cycle from a malformed trace must end, each span once.
	cyc := &datasources.Trace{Spans: []datasources.Span{span("x", "y", "x", 0, 1, ""), span("y", "x", "y", 0, 1, "")}}
	if got, _ := SnapshotTrace(cyc, "", DefaultLimits); len(got.Spans) > 2 {
		t.Errorf("cycle gave %d spans", len(got.Spans))
	}
}

func TestSnapshotSeriesAndLines(t *testing.T) {
	lim := DefaultLimits
	lim.Series, lim.Points, lim.Lines, lim.LineBytes = 1, 2, 1, 8
	series := []datasources.Series{
		{Labels: map[string]string{"service": "payments"}, Points: []datasources.Point{{TMs: 1, V: 1}, {TMs: 2, V: math.NaN()}, {TMs: 3, V: 3}}},
		{Labels: map[string]string{"service": "orders"}},
	}
	got, omitted := SnapshotSeries(series, lim)
	if len(got) != 1 || len(got[0].T) != 1 || got[0].T[0] != 3 || got[0].V[0] != 3 {
		t.Errorf("series %+v: want payments with the last 2 points minus the NaN gap", got)
	}
	if omitted != "1 of 2 series kept; the last 2 points of each series kept" {
		t.Errorf("omitted %q", omitted)
	}
	lines, omitted := SnapshotLines([]datasources.LogLine{{TimeNs: 5, Line: "héllo world"}, {TimeNs: 4, Line: "b"}}, lim)
	if len(lines) != 1 || lines[0].Line != "héll…" || omitted != "1 of 2 lines kept" {
		t.Errorf("lines %+v omitted %q", lines, omitted)
	}
}

func itoa(i int) string { return string(rune('0' + i)) }
