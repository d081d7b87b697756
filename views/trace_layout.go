package views

import (
	"net/url"
	"strconv"
	"time"

	"github.com/ariadne-dev/ariadne/correlation/chart"
	"github.com/ariadne-dev/ariadne/correlation/text"
	"github.com/ariadne-dev/ariadne/correlation/trace"
)

// The trace page's service graph and statistics tables, from the one
// trace tree; the geometry is correlation/chart's.

// serviceGraphView draws who called whom, each arrow labelled with its
// calls and failures.
func serviceGraphView(t *trace.TraceTree, colour map[string]string) ServiceGraph {
	edges, layer := t.ServiceGraph()
	pairs := make([][2]string, len(edges))
	for i, e := range edges {
		pairs[i] = [2]string{e.From, e.To}
	}
	l := chart.LayoutServiceGraph(t.Services, layer, pairs)
	g := ServiceGraph{Width: itoa(l.Width), Height: itoa(l.Height)}
	for _, b := range l.Boxes {
		g.Nodes = append(g.Nodes, GraphNode{X: itoa(b.X), Y: itoa(b.Y), W: itoa(chart.GraphBoxW), H: itoa(chart.GraphBoxH),
			TextX: itoa(b.TextX), TextY: itoa(b.TextY), Name: b.Name, Class: colour[b.Name]})
	}
	for i, a := range l.Arrows {
		e := edges[i]
		label := strconv.Itoa(e.Calls) + " call"
		if e.Calls != 1 {
			label += "s"
		}
		if e.Errors > 0 {
			label += ", " + strconv.Itoa(e.Errors) + " failed"
		}
		g.Edges = append(g.Edges, GraphEdge{Path: a.Path, LabelX: itoa(a.LabelX), LabelY: itoa(a.LabelY), Label: label, Error: e.Errors > 0})
	}
	return g
}

func itoa(n int) string { return strconv.Itoa(n) }

// Statistics tables show their StatTop rows, or all of them StatPage at a
// time: a trace with 100,000 unique span names must not put 100,000 rows
// in its page.
const (
	StatTop  = 20
	StatPage = 200
)

// boundStats bounds stats (already ranked) to its top rows, or to page
// (1-based) of all of them when the URL's param asks for it.
func boundStats(id, what string, stats []trace.OpStats, colour map[string]string, page int, link func(func(url.Values)) string) StatTable {
	t := StatTable{ID: id}
	at := func(p int) string {
		return link(func(q url.Values) {
			if p == 0 {
				q.Del(id)
			} else {
				q.Set(id, strconv.Itoa(p))
			}
		}) + "#" + id
	}
	n := len(stats)
	if page <= 0 {
		if n > StatTop {
			t.Note = "Top " + strconv.Itoa(StatTop) + " of " + strconv.Itoa(n) + " " + what + " by total time."
			t.All = Link{Label: "Show all " + strconv.Itoa(n), URL: at(1)}
			stats = stats[:StatTop]
		}
		t.Rows = statRows(stats, colour)
		return t
	}
	pages := max((n+StatPage-1)/StatPage, 1)
	page = min(page, pages)
	from, to := (page-1)*StatPage, min(page*StatPage, n)
	t.Note = strconv.Itoa(from+1) + "–" + strconv.Itoa(to) + " of " + strconv.Itoa(n) + " " + what + " by total time."
	t.Top = Link{Label: "Top " + strconv.Itoa(StatTop) + " only", URL: at(0)}
	if page > 1 {
		t.Prev = Link{Label: "← previous " + strconv.Itoa(StatPage), URL: at(page - 1)}
	}
	if page < pages {
		t.Next = Link{Label: "next " + strconv.Itoa(min(StatPage, n-to)) + " →", URL: at(page + 1)}
	}
	t.Rows = statRows(stats[from:to], colour)
	return t
}

func statRows(stats []trace.OpStats, colour map[string]string) []StatRow {
	out := make([]StatRow, 0, len(stats))
	for _, s := range stats {
		r := StatRow{Service: s.Service, Operation: s.Operation, SvcClass: colour[s.Service], Spans: s.Spans, Errors: s.Errors,
			Total: text.FormatDuration(time.Duration(s.TotalNs)), Self: text.FormatDuration(time.Duration(s.SelfNs))}
		if s.TotalNs > 0 {
			r.SelfPct = strconv.FormatFloat(100*float64(s.SelfNs)/float64(s.TotalNs), 'f', 0, 64) + "%"
		}
		out = append(out, r)
	}
	return out
}
