package trace

// Visible lists, in tree order, the nodes a waterfall shows of the
// subtrees rooted at roots, when open reports whether a node with children
// shows them. Nodes are in depth-first order, so a closed subtree is a run
// skipped in one step: the cost is the number of rows listed, not of spans.
func (t *TraceTree) Visible(roots []int, open func(i int) bool) []int32 {
	var out []int32
	for _, r := range roots {
		end := r + t.Nodes[r].Descendants
		for j := r; j <= end; {
			out = append(out, int32(j))
			if t.Nodes[j].Descendants > 0 && !open(j) {
				j += t.Nodes[j].Descendants + 1
			} else {
				j++
			}
		}
	}
	return out
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
