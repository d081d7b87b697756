package trace

import (
	"math"
	"slices"

	"github.com/ariadne-dev/ariadne/datasources"
)

// GroupMin is the shortest run of alike siblings a waterfall shows as one
// group row: five SELECTs in a row is already an N+1 worth seeing.
const GroupMin = 5

// Item is one row of a waterfall: a span (Count 1), or a group of Count
// consecutive siblings with the same service and name, Node the first.
type Item struct {
	Node, Count int32
}

// Runs finds the runs of alike siblings: for the first node of each run
// of at least min consecutive siblings with the same service and name,
// the run's length; 0 for every other node.
func (t *TraceTree) Runs(min int) []int32 {
	runs := make([]int32, len(t.Nodes))
	scan := func(kids []int32) {
		for i := 0; i < len(kids); {
			j := i + 1
			a := t.Nodes[kids[i]].Span
			for j < len(kids) {
				b := t.Nodes[kids[j]].Span
				if b.Name != a.Name || b.Service() != a.Service() {
					break
				}
				j++
			}
			if j-i >= min {
				runs[kids[i]] = int32(j - i)
			}
			i = j
		}
	}
	scan(t.Roots32())
	for i := range t.Nodes {
		if len(t.Nodes[i].Children) >= min {
			scan(t.Nodes[i].Children)
		}
	}
	return runs
}

// Visible lists, in tree order, the rows a waterfall shows of the
// subtrees rooted at roots: open reports whether a node with children
// shows them, and grouped whether the run of alike siblings starting at a
// node (runs, from Runs; nil for none) shows as one row. Nodes are in
// depth-first order, so a closed subtree or a group is a run skipped in
// one step: the cost is the rows listed, not the spans.
func (t *TraceTree) Visible(roots []int, open func(i int) bool, runs []int32, grouped func(first int) bool) []Item {
	var out []Item
	for _, r := range roots {
		end := r + int(t.Nodes[r].Descendants)
		for j := r; j <= end; {
			if runs != nil && runs[j] > 0 && grouped(j) {
				n := runs[j]
				out = append(out, Item{Node: int32(j), Count: n})
				for range n { // past each sibling's subtree
					j += int(t.Nodes[j].Descendants) + 1
				}
				continue
			}
			out = append(out, Item{Node: int32(j), Count: 1})
			if t.Nodes[j].Descendants > 0 && !open(j) {
				j += int(t.Nodes[j].Descendants) + 1
			} else {
				j++
			}
		}
	}
	return out
}

// Group is what a group row says of its run of alike siblings.
type Group struct {
	Count          int
	P50, P99, Max  int64 // durations, ns
	Errors         int
	StartNs, EndNs int64 // the run's extent
	Critical       bool  // one of them is on the critical path
}

// GroupOf summarises the run of count siblings starting at node first.
func (t *TraceTree) GroupOf(first, count int) Group {
	g := Group{Count: count, StartNs: t.Nodes[first].StartNs(), EndNs: t.Nodes[first].EndNs()}
	durs := make([]int64, 0, count)
	for j, c := first, 0; c < count; c++ {
		nd := &t.Nodes[j]
		durs = append(durs, nd.EndNs()-nd.StartNs())
		g.StartNs, g.EndNs = min(g.StartNs, nd.StartNs()), max(g.EndNs, nd.EndNs())
		if nd.Span.Status == datasources.StatusError {
			g.Errors++
		}
		g.Critical = g.Critical || nd.Critical
		j += int(nd.Descendants) + 1
	}
	slices.Sort(durs)
	// Nearest rank: the smallest duration at least q of the run reach.
	rank := func(q float64) int64 { return durs[max(int(math.Ceil(q*float64(len(durs))))-1, 0)] }
	g.P50, g.P99, g.Max = rank(.5), rank(.99), durs[len(durs)-1]
	return g
}

// Ancestors marks every node above the given ones, so a page can open the
// path to each.
func (t *TraceTree) Ancestors(nodes ...int) []bool {
	open := make([]bool, len(t.Nodes))
	t.MarkAncestors(open, nodes...)
	return open
}

// MarkAncestors marks in open every node above the given ones.
func (t *TraceTree) MarkAncestors(open []bool, nodes ...int) {
	for _, n := range nodes {
		for p := t.Nodes[n].Parent; p >= 0 && !open[p]; p = t.Nodes[p].Parent {
			open[p] = true
		}
	}
}
