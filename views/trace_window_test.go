package views

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ariadne-dev/ariadne/correlation/trace"
	"github.com/ariadne-dev/ariadne/datasources"
)

// flatTree is a root with n-1 children, as telemetrygen makes them.
func flatTree(n int) *trace.TraceTree {
	tr := &datasources.Trace{ID: "4bf92f3577b34da6a3ce929d0e0e4736"}
	res := &datasources.Resource{Service: "gen"}
	tr.Spans = append(tr.Spans, datasources.Span{TraceID: tr.ID, SpanID: "1000000000000000", Name: "root", StartNs: 0, EndNs: int64(n) * 1e6, Resource: res})
	for i := 1; i < n; i++ {
		tr.Spans = append(tr.Spans, datasources.Span{TraceID: tr.ID, SpanID: fmt.Sprintf("%016x", i), ParentSpanID: "1000000000000000",
			Name: fmt.Sprintf("child-%d", i), StartNs: int64(i) * 1e6, EndNs: int64(i+1) * 1e6, Resource: res})
	}
	return trace.BuildTree(tr, false)
}

func buildFlat(t *testing.T, n int, opt TraceOptions) TraceView {
	t.Helper()
	return BuildTrace(flatTree(n), TraceInput{Options: opt, Now: time.Unix(3600, 0), Zone: time.UTC})
}

// TestWaterfallWindows: a flat trace far over one window (the 30,000-span
// case that used to fold to its root with every "spans below" link
// returning the same page) shows its first window of rows and links to
// the next; every window is reachable and the last ends the trace; a
// selected span's window is the one shown (#15).
func TestWaterfallWindows(t *testing.T) {
	const n = 2*RowWindow + RowWindow/2 + 1 // a root and its children: three windows
	v := buildFlat(t, n, TraceOptions{})
	if len(v.Rows) != RowWindow || v.Window.Total != n || v.Window.Prev.URL != "" || v.Rows[0].SpanID != "1000000000000000" {
		t.Fatalf("first window: %d rows of %d, prev %q", len(v.Rows), v.Window.Total, v.Window.Prev.URL)
	}
	seen := map[string]bool{}
	next := v.Window.Next.URL
	for _, r := range v.Rows {
		seen[r.SpanID] = true
	}
	for pages := 1; next != ""; pages++ {
		u, _ := url.Parse(next)
		row := 0
		fmt.Sscan(u.Query().Get("row"), &row)
		w := buildFlat(t, n, TraceOptions{Row: row})
		if w.Window.Start != row || w.Window.Prev.URL == "" || pages > 2 {
			t.Fatalf("window at %d: start %d, prev %q, page %d", row, w.Window.Start, w.Window.Prev.URL, pages)
		}
		for _, r := range w.Rows {
			seen[r.SpanID] = true
		}
		next = w.Window.Next.URL
	}
	if len(seen) != n {
		t.Errorf("%d of %d spans reachable through the windows", len(seen), n)
	}
	// A selected span far down: its window, with it selected.
	sel := buildFlat(t, n, TraceOptions{Row: -1, Span: fmt.Sprintf("%016x", 2*RowWindow+100)})
	if sel.Window.Start != 2*RowWindow || sel.Selected == nil || !sel.Rows[100].Selected {
		t.Errorf("selected span %d: window from %d, selected %v", 2*RowWindow+100, sel.Window.Start, sel.Selected != nil)
	}
	// Beyond the end: the last window.
	if last := buildFlat(t, n, TraceOptions{Row: 99999}); last.Window.Start != 2*RowWindow || last.Window.Next.URL != "" {
		t.Errorf("row past the end: window from %d, next %q", last.Window.Start, last.Window.Next.URL)
	}
}

// TestWaterfallFolds: depth folds the tree's levels, a hand fold or
// unfold overrides it, the fold link toggles one span and keeps the
// window around it, and a folded row says how many spans it hides.
func TestWaterfallFolds(t *testing.T) {
	const root = "1000000000000000"
	d1 := buildFlat(t, 1201, TraceOptions{Depth: 1})
	if len(d1.Rows) != 1 || d1.Rows[0].Open || d1.Rows[0].Folded != 1200 || !d1.Rows[0].Parent {
		t.Fatalf("depth 1: %+v", d1.Rows)
	}
	u, _ := url.Parse(d1.Rows[0].FoldURL)
	if q := u.Query(); q.Get("unfold") != root || q.Get("at") != root || q.Get("depth") != "1" || u.Fragment != "s-"+root {
		t.Errorf("unfold link %q", d1.Rows[0].FoldURL)
	}
	// ?depth=2 opens the root's children, paged.
	if d2 := buildFlat(t, 1201, TraceOptions{Depth: 2}); len(d2.Rows) != RowWindow || d2.Window.Next.URL == "" {
		t.Errorf("depth 2: %d rows, next %q", len(d2.Rows), d2.Window.Next.URL)
	}
	open := buildFlat(t, 1201, TraceOptions{Row: -1, Depth: 1, Unfold: []string{root}, At: root})
	if len(open.Rows) != RowWindow || !open.Rows[0].Open {
		t.Errorf("unfolded by hand: %d rows", len(open.Rows))
	}
	closed := buildFlat(t, 1201, TraceOptions{Fold: []string{root}})
	if len(closed.Rows) != 1 || closed.Rows[0].Open {
		t.Errorf("folded by hand: %d rows", len(closed.Rows))
	}
	if u, _ := url.Parse(closed.Rows[0].FoldURL); u.Query().Has("fold") || u.Query().Get("unfold") != root {
		t.Errorf("unfolding a hand fold: %q", closed.Rows[0].FoldURL)
	}
	// The selected span's path opens, even under a fold made by depth.
	sel := buildFlat(t, 1201, TraceOptions{Row: -1, Depth: 1, Span: fmt.Sprintf("%016x", 7)})
	if len(sel.Rows) < 8 || !sel.Rows[7].Selected {
		t.Errorf("selected span under a depth fold: %d rows", len(sel.Rows))
	}
	// Select links keep the folds.
	if !strings.Contains(closed.Rows[0].SelectURL, "fold="+root) {
		t.Errorf("select link %q loses the fold", closed.Rows[0].SelectURL)
	}
}

// TestStatisticsTablesAreBounded: a trace with a thousand distinct span
// names lists its top operations and a link to all of them, paged; the
// pages cover every operation once (#15).
func TestStatisticsTablesAreBounded(t *testing.T) {
	top := buildFlat(t, 1001, TraceOptions{Row: -1})
	ops := top.OpStats
	if len(ops.Rows) != StatTop || ops.All.URL == "" || !strings.Contains(ops.Note, "of 1001 operations") {
		t.Fatalf("top table: %d rows, all %q, note %q", len(ops.Rows), ops.All.URL, ops.Note)
	}
	if !strings.Contains(ops.All.URL, "ops=1") || !strings.HasSuffix(ops.All.URL, "#ops") {
		t.Errorf("show all %q", ops.All.URL)
	}
	seen := map[string]bool{}
	for page := 1; page < 10; page++ {
		p := buildFlat(t, 1001, TraceOptions{Row: -1, StatPages: map[string]int{"ops": page}}).OpStats
		for _, r := range p.Rows {
			seen[r.Operation] = true
		}
		if len(p.Rows) > StatPage || p.Top.URL == "" {
			t.Fatalf("page %d: %d rows, top link %q", page, len(p.Rows), p.Top.URL)
		}
		if p.Next.URL == "" {
			break
		}
	}
	if len(seen) != 1001 {
		t.Errorf("%d of 1001 operations on the pages", len(seen))
	}
	if svcs := top.ServiceStats; len(svcs.Rows) != 1 || svcs.All.URL != "" {
		t.Errorf("one service: %+v", svcs)
	}
}

// nPlusOne is a request making 50 alike SELECTs, then one other call.
func nPlusOne() *trace.TraceTree {
	tr := &datasources.Trace{ID: "4bf92f3577b34da6a3ce929d0e0e4736"}
	res := &datasources.Resource{Service: "orders"}
	tr.Spans = append(tr.Spans, datasources.Span{TraceID: tr.ID, SpanID: "1000000000000000", Name: "GET /orders", StartNs: 0, EndNs: 100e6, Resource: res})
	for i := range 50 {
		s := datasources.Span{TraceID: tr.ID, SpanID: fmt.Sprintf("%016x", i+1), ParentSpanID: "1000000000000000",
			Name: "SELECT orders", StartNs: int64(i) * 1e6, EndNs: int64(i)*1e6 + int64(i%10+1)*1e5, Resource: res}
		if i == 7 {
			s.Status = datasources.StatusError
		}
		tr.Spans = append(tr.Spans, s)
	}
	tr.Spans = append(tr.Spans, datasources.Span{TraceID: tr.ID, SpanID: "2000000000000000", ParentSpanID: "1000000000000000",
		Name: "POST /charge", StartNs: 60e6, EndNs: 90e6, Resource: &datasources.Resource{Service: "payments"}})
	return trace.BuildTree(tr, false)
}

// TestWaterfallGroupsAlikeSiblings: fifty SELECTs in a row are one row
// saying how many, how long and how many failed (an N+1 at a glance); it
// expands span by span and groups again; a selected span inside shows it
// (#15).
func TestWaterfallGroupsAlikeSiblings(t *testing.T) {
	in := func(opt TraceOptions) TraceView {
		opt.Row = -1
		return BuildTrace(nPlusOne(), TraceInput{Options: opt, Now: time.Unix(3600, 0), Zone: time.UTC})
	}
	v := in(TraceOptions{})
	if len(v.Rows) != 3 || v.Rows[1].Group == nil || v.Rows[2].Title != "POST /charge" {
		t.Fatalf("rows %+v", v.Rows)
	}
	g := v.Rows[1]
	if g.Group.Count != 50 || !g.Error || !strings.Contains(g.Group.Stats, "1 failed") || !strings.Contains(g.Group.Stats, "p99 1") || g.Duration != "max 1.00 ms" {
		t.Errorf("group row %+v %+v", g, g.Group)
	}
	u, _ := url.Parse(g.Group.ExpandURL)
	first := fmt.Sprintf("%016x", 1)
	if u.Query().Get("expand") != first || u.Query().Get("at") != first {
		t.Errorf("expand link %q", g.Group.ExpandURL)
	}
	open := in(TraceOptions{Expand: []string{first}})
	if len(open.Rows) != 52 || open.Rows[1].GroupCount != 50 || open.Rows[1].GroupURL == "" {
		t.Fatalf("expanded: %d rows, first %+v", len(open.Rows), open.Rows[1])
	}
	if u, _ := url.Parse(open.Rows[1].GroupURL); u.Query().Has("expand") {
		t.Errorf("group again: %q", open.Rows[1].GroupURL)
	}
	sel := in(TraceOptions{Span: fmt.Sprintf("%016x", 30)})
	if len(sel.Rows) != 52 || !sel.Rows[30].Selected {
		t.Errorf("a selected span in a group: %d rows", len(sel.Rows))
	}
}

// TestOverview: the strip shows where spans start over the whole trace
// (however few rows the window holds), marks the slices where spans
// failed, draws the critical path's own stretches, and each slice links
// to the rows around its first span.
func TestOverview(t *testing.T) {
	o := BuildTrace(nPlusOne(), TraceInput{Options: TraceOptions{Row: -1}, Now: time.Unix(3600, 0), Zone: time.UTC}).Overview
	if len(o.Columns) == 0 || len(o.Columns) > overviewColumns {
		t.Fatalf("%d columns", len(o.Columns))
	}
	spans, failed := 0, 0
	for _, c := range o.Columns {
		var n int
		fmt.Sscan(c.Title, &n)
		spans += n
		if c.Error {
			failed++
		}
		if u, _ := url.Parse(c.URL); u.Query().Get("at") == "" || u.Fragment != "s-"+u.Query().Get("at") {
			t.Errorf("column link %q", c.URL)
		}
	}
	if spans != 52 || failed != 1 {
		t.Errorf("the columns count %d spans, %d failing slices; want 52 and 1", spans, failed)
	}
	if len(o.Critical) == 0 {
		t.Error("no critical path")
	}
}
