package views

import (
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
