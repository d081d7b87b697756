package baseline

import (
	"sort"

	"github.com/ariadne-dev/ariadne/correlation/trace"
)

// Change is what happened to a span from trace A to trace B.
type Change uint8

const (
	Same Change = iota
	Changed
	Added   // in B only
	Removed // in A only
)

// What counts as a changed span: a different status, or a duration that
// moved by at least ChangedMinNs and at least ChangedMinShare of A's.
const (
	ChangedMinNs    = int64(1e6)
	ChangedMinShare = 0.2
)

// Pair is one row of the alignment: a span of A, of B, or of both.
type Pair struct {
	A, B  int // indices in the trees' Nodes, -1 when absent
	Depth int
	Op
	// Ordinal is the span's position among its same-operation siblings
	// (0 for the first by start time): the third of three retries pairs
	// with the third.
	Ordinal int
	Change  Change
	// DurationA and DurationB are the spans' lengths (0 when absent);
	// DeltaNs is B's minus A's for a span in both.
	DurationA, DurationB, DeltaNs int64
	StatusChanged                 bool
}

// Alignment is two traces side by side.
type Alignment struct {
	A, B                    *trace.TraceTree
	Pairs                   []Pair // depth-first, siblings by start offset
	Added, Removed, Changed int
}

// Align pairs the spans of a and b by (service, span name, position among
// same-named siblings) under already-paired parents, roots alike: so
// reordered siblings still pair, repeated operations pair in order, and a
// subtree present on one side only is added or removed whole. Each tree's
// critical path is its own (CriticalPath).
func Align(a, b *trace.TraceTree) *Alignment {
	al := &Alignment{A: a, B: b}
	al.merge(a.Roots32(), b.Roots32(), -1, -1, 0)
	return al
}

type side struct {
	t     *trace.TraceTree
	nodes []int
}

// merge pairs the sibling lists as and bs (children of the paired parents
// pa and pb, -1 for roots) and recurses into each pair.
func (al *Alignment) merge(as, bs []int32, pa, pb, depth int) {
	type slot struct {
		a, b   int
		op     Op
		ord    int
		offset int64 // start relative to the parent's (or the trace's)
		tiebrk int
	}
	var slots []slot
	index := map[Op][]int{} // op → slots holding an A span, by ordinal
	ordA := map[Op]int{}
	for _, i32 := range as {
		i := int(i32)
		op := OpOf(al.A.Nodes[i].Span)
		index[op] = append(index[op], len(slots))
		slots = append(slots, slot{a: i, b: -1, op: op, ord: ordA[op], offset: offset(al.A, i, pa), tiebrk: i})
		ordA[op]++
	}
	ordB := map[Op]int{}
	for _, j32 := range bs {
		j := int(j32)
		op := OpOf(al.B.Nodes[j].Span)
		k := ordB[op]
		ordB[op]++
		if k < len(index[op]) {
			slots[index[op][k]].b = j
			continue
		}
		slots = append(slots, slot{a: -1, b: j, op: op, ord: k, offset: offset(al.B, j, pb), tiebrk: len(al.A.Nodes) + j})
	}
	sort.SliceStable(slots, func(x, y int) bool {
		if slots[x].offset != slots[y].offset {
			return slots[x].offset < slots[y].offset
		}
		return slots[x].tiebrk < slots[y].tiebrk
	})
	for _, s := range slots {
		p := Pair{A: s.a, B: s.b, Depth: depth, Op: s.op, Ordinal: s.ord}
		switch {
		case s.b < 0:
			al.subtree(al.A, s.a, depth, Removed, s.ord)
			continue
		case s.a < 0:
			al.subtree(al.B, s.b, depth, Added, s.ord)
			continue
		}
		na, nb := &al.A.Nodes[s.a], &al.B.Nodes[s.b]
		p.DurationA, p.DurationB = na.EndNs()-na.StartNs(), nb.EndNs()-nb.StartNs()
		p.DeltaNs = p.DurationB - p.DurationA
		p.StatusChanged = na.Span.Status != nb.Span.Status
		d := max(p.DeltaNs, -p.DeltaNs)
		if p.StatusChanged || d >= ChangedMinNs && float64(d) >= ChangedMinShare*float64(p.DurationA) {
			p.Change = Changed
			al.Changed++
		}
		al.Pairs = append(al.Pairs, p)
		al.merge(na.Children, nb.Children, s.a, s.b, depth+1)
	}
}

// offset is node i's start after its parent's, or after the trace's
// start for a root.
func offset(t *trace.TraceTree, i, parent int) int64 {
	if parent < 0 {
		return t.Nodes[i].StartNs() - t.StartNs
	}
	return t.Nodes[i].StartNs() - t.Nodes[parent].StartNs()
}

// subtree appends node i of t and everything below it as added or
// removed; nodes are depth-first, so its subtree is the next
// Descendants nodes.
func (al *Alignment) subtree(t *trace.TraceTree, i, depth int, c Change, ord int) {
	for k := i; k <= i+int(t.Nodes[i].Descendants); k++ {
		nd := &t.Nodes[k]
		p := Pair{A: -1, B: -1, Depth: depth + int(nd.Depth-t.Nodes[i].Depth), Op: OpOf(nd.Span), Change: c}
		if k == i {
			p.Ordinal = ord
		} else {
			p.Ordinal = ordinal(t, k)
		}
		if c == Removed {
			p.A, p.DurationA = k, nd.EndNs()-nd.StartNs()
			al.Removed++
		} else {
			p.B, p.DurationB = k, nd.EndNs()-nd.StartNs()
			al.Added++
		}
		al.Pairs = append(al.Pairs, p)
	}
}

// ordinal is node k's position among its parent's children of its
// operation.
func ordinal(t *trace.TraceTree, k int) int {
	nd := &t.Nodes[k]
	if nd.Parent < 0 {
		return 0
	}
	op, n := OpOf(nd.Span), 0
	for _, c := range t.Nodes[nd.Parent].Children {
		if int(c) == k {
			break
		}
		if OpOf(t.Nodes[c].Span) == op {
			n++
		}
	}
	return n
}

// CriticalPath is the indices of t's nodes on its critical path, in tree
// order: the path correlation/trace computes, not a second one.
func CriticalPath(t *trace.TraceTree) []int {
	var out []int
	for i := range t.Nodes {
		if t.Nodes[i].Critical {
			out = append(out, i)
		}
	}
	return out
}
