package trace

import (
	"sort"

	"github.com/ariadne-dev/ariadne/datasources"
)

// TraceTree is a trace arranged for a waterfall: spans in depth-first order
// (children by start time), each with its depth, its parent and children by
// index, and the figures a page shows per span. It is computed once per
// request, in O(n log n), so a 100,000-span trace stays cheap.
type TraceTree struct {
	Trace *datasources.Trace
	Nodes []Node // depth-first order
	// Roots are indices into Nodes of spans without a parent in the trace,
	// including orphans (see Node.MissingParent).
	Roots []int
	// StartNs and EndNs bound the whole trace.
	StartNs, EndNs int64
	MaxDepth       int
	Services       []string // in order of first appearance
	Errors         int
}

// Node is one span in the tree.
type Node struct {
	Span     *datasources.Span
	Parent   int // index in Nodes, -1 for a root
	Children []int
	Depth    int
	// MissingParent is set for a span whose parent is not in the trace
	// (not yet received, dropped, or outside the query): it is shown as a
	// root under a visible marker, never dropped.
	MissingParent bool
	// SelfNs is the span's duration not covered by any child.
	SelfNs int64
	// Critical is set for spans on the critical path; CriticalNs is how
	// much of the span's time lies on it.
	Critical   bool
	CriticalNs int64
	// Skew flags: the span starts before its parent or ends after it (by
	// these many nanoseconds, > 0). Never silently corrected.
	StartsBeforeParentNs int64
	EndsAfterParentNs    int64
	// ShiftNs is the adjustment applied when skew adjustment is on.
	ShiftNs int64
	// Descendants counts every span below this one.
	Descendants int
}

// Skewed reports whether the span disagrees with its parent's clock.
func (n *Node) Skewed() bool { return n.StartsBeforeParentNs > 0 || n.EndsAfterParentNs > 0 }

// StartNs and EndNs are the span's times after any skew adjustment.
func (n *Node) StartNs() int64 { return n.Span.StartNs + n.ShiftNs }
func (n *Node) EndNs() int64   { return n.Span.EndNs + n.ShiftNs }

// BuildTree arranges tr. With adjustSkew, a subtree whose root starts
// before its parent is shifted to start with it (or, when it ends after
// the parent, to end with it), and every shifted node records the amount.
// Span texts are made visible in place first (see makeVisible).
func BuildTree(tr *datasources.Trace, adjustSkew bool) *TraceTree {
	t := &TraceTree{Trace: tr}
	n := len(tr.Spans)
	if n == 0 {
		return t
	}
	makeVisible(tr)
	byID := make(map[string]int, n)
	for i := range tr.Spans {
		byID[tr.Spans[i].SpanID] = i
	}
	children := make([][]int, n) // by span index
	var roots []int
	missing := make([]bool, n)
	for i := range tr.Spans {
		s := &tr.Spans[i]
		p, ok := byID[s.ParentSpanID]
		if s.ParentSpanID == "" || !ok || p == i {
			roots = append(roots, i)
			missing[i] = s.ParentSpanID != "" && (!ok || p == i)
			continue
		}
		children[p] = append(children[p], i)
	}
	// A cycle (corrupt data) leaves spans unreachable from any root: make
	// the earliest of each such group a root so nothing is lost.
	byStart := func(a []int) {
		sort.SliceStable(a, func(x, y int) bool {
			sx, sy := &tr.Spans[a[x]], &tr.Spans[a[y]]
			if sx.StartNs != sy.StartNs {
				return sx.StartNs < sy.StartNs
			}
			return sx.SpanID < sy.SpanID
		})
	}
	byStart(roots)
	for i := range children {
		if len(children[i]) > 1 {
			byStart(children[i])
		}
	}

	t.Nodes = make([]Node, 0, n)
	visited := make([]bool, n)
	var stack []frame
	walk := func(root int) {
		stack = append(stack[:0], frame{span: root, parent: -1, depth: 0})
		for len(stack) > 0 {
			f := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if visited[f.span] {
				continue
			}
			visited[f.span] = true
			idx := len(t.Nodes)
			t.Nodes = append(t.Nodes, Node{Span: &tr.Spans[f.span], Parent: f.parent, Depth: f.depth, MissingParent: f.parent == -1 && missing[f.span]})
			if f.parent >= 0 {
				t.Nodes[f.parent].Children = append(t.Nodes[f.parent].Children, idx)
			} else {
				t.Roots = append(t.Roots, idx)
			}
			if f.depth > t.MaxDepth {
				t.MaxDepth = f.depth
			}
			kids := children[f.span]
			for k := len(kids) - 1; k >= 0; k-- {
				stack = append(stack, frame{span: kids[k], parent: idx, depth: f.depth + 1})
			}
		}
	}
	for _, r := range roots {
		walk(r)
	}
	for len(t.Nodes) < n { // spans caught in a parent cycle
		first := -1
		for i := range visited {
			if !visited[i] && (first < 0 || tr.Spans[i].StartNs < tr.Spans[first].StartNs) {
				first = i
			}
		}
		missing[first] = true
		walk(first)
	}

	t.measure(adjustSkew)
	return t
}

type frame struct{ span, parent, depth int }

// measure fills skew, shifts, bounds, self time, descendants and the
// critical path. Nodes are in depth-first order, so parents come before
// children and a reverse pass sees children first.
func (t *TraceTree) measure(adjustSkew bool) {
	seen := map[string]bool{}
	for i := range t.Nodes {
		nd := &t.Nodes[i]
		if nd.Parent >= 0 {
			p := &t.Nodes[nd.Parent]
			// Skew is judged on raw times, against the parent as shown.
			nd.ShiftNs = p.ShiftNs
			if d := p.StartNs() - nd.StartNs(); d > 0 {
				nd.StartsBeforeParentNs = d
			}
			if d := nd.EndNs() - p.EndNs(); d > 0 {
				nd.EndsAfterParentNs = d
			}
			if adjustSkew && nd.Skewed() {
				if nd.StartsBeforeParentNs > 0 {
					nd.ShiftNs += nd.StartsBeforeParentNs
				} else {
					// Ends late: pull it back, but not before the parent's start.
					shift := nd.EndsAfterParentNs
					if room := nd.StartNs() - p.StartNs(); shift > room {
						shift = room
					}
					nd.ShiftNs -= shift
				}
			}
		}
		if s := nd.Span.Service(); !seen[s] {
			seen[s] = true
			t.Services = append(t.Services, s)
		}
		if nd.Span.Status == datasources.StatusError {
			t.Errors++
		}
		if i == 0 || nd.StartNs() < t.StartNs {
			t.StartNs = nd.StartNs()
		}
		if i == 0 || nd.EndNs() > t.EndNs {
			t.EndNs = nd.EndNs()
		}
	}
	for i := len(t.Nodes) - 1; i >= 0; i-- {
		nd := &t.Nodes[i]
		nd.SelfNs = selfTime(t, nd)
		if nd.Parent >= 0 {
			t.Nodes[nd.Parent].Descendants += nd.Descendants + 1
		}
	}
	for _, r := range t.Roots {
		t.critical(r, t.Nodes[r].StartNs(), t.Nodes[r].EndNs())
	}
}

// selfTime is the span's duration minus the union of its children's
// intervals, clipped to the span.
func selfTime(t *TraceTree, nd *Node) int64 {
	start, end := nd.StartNs(), nd.EndNs()
	if end <= start {
		return 0
	}
	covered := int64(0)
	cur := start // children are sorted by start
	for _, c := range nd.Children {
		cs, ce := max(t.Nodes[c].StartNs(), cur), min(t.Nodes[c].EndNs(), end)
		if ce > cs {
			covered += ce - cs
			cur = ce
		}
	}
	return end - start - covered
}

// critical marks the critical path below node i within [from, to]: walking
// back from the last-finishing child, each child that ends before the
// previous one started (or the time left) is on the path, as Jaeger's UI
// computes it. Iterative over a worklist so deep traces cannot overflow.
func (t *TraceTree) critical(root int, from, to int64) {
	type job struct {
		node     int
		from, to int64
	}
	work := []job{{root, from, to}}
	for len(work) > 0 {
		j := work[len(work)-1]
		work = work[:len(work)-1]
		nd := &t.Nodes[j.node]
		if j.to <= j.from {
			continue
		}
		nd.Critical = true
		nd.CriticalNs += j.to - j.from
		// Children by end time, latest first.
		kids := append([]int(nil), nd.Children...)
		sort.Slice(kids, func(a, b int) bool { return t.Nodes[kids[a]].EndNs() > t.Nodes[kids[b]].EndNs() })
		cursor := j.to
		for _, c := range kids {
			cn := &t.Nodes[c]
			if cn.EndNs() > cursor && cn.StartNs() >= cursor {
				continue
			}
			cs, ce := max(cn.StartNs(), j.from), min(cn.EndNs(), cursor)
			if ce <= cs {
				continue
			}
			// The child's stretch is critical; the parent only owns the rest.
			nd.CriticalNs -= ce - cs
			work = append(work, job{c, cs, ce})
			cursor = cs
			if cursor <= j.from {
				break
			}
		}
	}
}
