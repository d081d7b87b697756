package servicemap

import (
	"cmp"
	"slices"

	"github.com/ariadne-dev/ariadne/correlation/chart"
)

// MaxNodes bounds what one map draws: past it the quietest services are
// left out (and the page says how many), so a mesh of hundreds stays a
// page a browser can lay out.
const MaxNodes = 80

// Layout lays m out left to right by call depth with correlation/chart's
// service-graph layout (chart.Layers, chart.LayoutSized at chart.MapSize).
// Boxes are in m.Nodes' order within a column; arrows follow m.Edges.
func Layout(m *Map) chart.GraphLayout {
	names := make([]string, len(m.Nodes))
	for i, n := range m.Nodes {
		names[i] = n.Name
	}
	pairs := m.Pairs()
	return chart.LayoutSized(names, chart.Layers(names, pairs), pairs, chart.MapSize)
}

// Limit keeps at most n nodes: every unhealthy one, then the busiest
// (most requests, then most sampled spans), and the edges between those
// kept. It returns how many nodes it left out.
func (m *Map) Limit(n int) int {
	if len(m.Nodes) <= n {
		return 0
	}
	ranked := slices.Clone(m.Nodes)
	busy := func(nd Node) float64 {
		if finite(nd.RED.Rate) {
			return nd.RED.Rate
		}
		return float64(nd.RED.Sampled) / 1e6
	}
	slices.SortStableFunc(ranked, func(a, b Node) int {
		return cmp.Or(cmp.Compare(b.Health.Level, a.Health.Level), cmp.Compare(busy(b), busy(a)))
	})
	keep := map[string]bool{}
	for _, nd := range ranked[:n] {
		keep[nd.Name] = true
	}
	m.Nodes = slices.DeleteFunc(m.Nodes, func(nd Node) bool { return !keep[nd.Name] })
	m.Edges = slices.DeleteFunc(m.Edges, func(e Edge) bool { return !keep[e.Client] || !keep[e.Server] })
	return len(ranked) - n
}
