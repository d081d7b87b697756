package views

import (
	"fmt"
	"strconv"
	"time"

	"github.com/ariadne-dev/ariadne/correlation/text"
	"github.com/ariadne-dev/ariadne/correlation/trace"
)

// Geometry of the trace page: the service graph's boxes and arrows, the
// waterfall's time ticks, and bar positions in percent.

// serviceGraphView lays services out in columns by call depth.
func serviceGraphView(t *trace.TraceTree, colour map[string]string) ServiceGraph {
	edges, layer := t.ServiceGraph()
	const boxW, boxH, colW, rowH, pad = 150, 34, 210, 56, 12
	byLayer := map[int][]string{}
	maxLayer := 0
	for _, s := range t.Services {
		l := layer[s]
		byLayer[l] = append(byLayer[l], s)
		maxLayer = max(maxLayer, l)
	}
	pos := map[string][2]int{}
	maxRows := 1
	var g ServiceGraph
	for l := 0; l <= maxLayer; l++ {
		for k, s := range byLayer[l] {
			x, y := pad+l*colW, pad+k*rowH
			pos[s] = [2]int{x, y}
			g.Nodes = append(g.Nodes, GraphNode{X: itoa(x), Y: itoa(y), W: itoa(boxW), H: itoa(boxH),
				TextX: itoa(x + 10), TextY: itoa(y + 22), Name: s, Class: colour[s]})
		}
		maxRows = max(maxRows, len(byLayer[l]))
	}
	for _, e := range edges {
		a, b := pos[e.From], pos[e.To]
		x1, y1 := a[0]+boxW, a[1]+boxH/2
		x2, y2 := b[0], b[1]+boxH/2
		if b[0] <= a[0] { // a call back to an earlier column: route below
			x1, y1 = a[0]+boxW/2, a[1]+boxH
			x2, y2 = b[0]+boxW/2, b[1]+boxH
		}
		mx := (x1 + x2) / 2
		label := strconv.Itoa(e.Calls) + " call"
		if e.Calls != 1 {
			label += "s"
		}
		if e.Errors > 0 {
			label += ", " + strconv.Itoa(e.Errors) + " failed"
		}
		g.Edges = append(g.Edges, GraphEdge{
			Path:   fmt.Sprintf("M %d %d C %d %d, %d %d, %d %d", x1, y1, mx, y1, mx, y2, x2, y2),
			LabelX: itoa(mx - 30), LabelY: itoa((y1+y2)/2 - 6), Label: label, Error: e.Errors > 0,
		})
	}
	g.Width = itoa(2*pad + maxLayer*colW + boxW)
	g.Height = itoa(2*pad + (maxRows-1)*rowH + boxH)
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
