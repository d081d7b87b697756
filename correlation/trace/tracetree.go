package trace

import (
	"cmp"
	"math/rand/v2"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/datasources/prefault"
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
	// serviceOf is each node's service as an index into Services: the
	// passes over every span (Stats, ServiceGraph) compare and count
	// small numbers, not hash a service name per span.
	serviceOf []int32
	// nodeOf is each span's node, by the span's index in Trace.Spans: a
	// pass that needs no order reads the spans as they lie in memory,
	// not scattered in depth-first order.
	nodeOf []int32
}

// Node is one span in the tree. Indexes and counts are int32 and the
// flags sit together: a million-span trace has a million nodes, and each
// byte of one is a megabyte of fresh memory for the request.
type Node struct {
	Span     *datasources.Span
	Children []int32 // indexes in Nodes
	Parent   int32   // index in Nodes, -1 for a root
	Depth    int32
	// Descendants counts every span below this one.
	Descendants int32
	// MissingParent is set for a span whose parent is not in the trace
	// (not yet received, dropped, or outside the query): it is shown as a
	// root under a visible marker, never dropped.
	MissingParent bool
	// Critical is set for spans on the critical path.
	Critical bool
	// SelfNs is the span's duration not covered by any child.
	SelfNs int64
	// CriticalNs is how much of the span's time lies on the critical path.
	CriticalNs int64
	// Skew flags: the span starts before its parent or ends after it (by
	// these many nanoseconds, > 0). Never silently corrected.
	StartsBeforeParentNs int64
	EndsAfterParentNs    int64
	// ShiftNs is the adjustment applied when skew adjustment is on.
	ShiftNs int64
}

// Roots32 are the Roots as a node holds its Children.
func (t *TraceTree) Roots32() []int32 {
	out := make([]int32, len(t.Roots))
	for i, r := range t.Roots {
		out[i] = int32(r)
	}
	return out
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
	// The nodes are most of the tree's fresh memory, and they are written
	// one by one by the walk below, on one core: the other faults their
	// pages in meanwhile (see prefault).
	t.Nodes = make([]Node, 0, n)
	defer prefault.Slice(t.Nodes)()
	makeVisible(tr)
	byID := newSpanIndex(tr.Spans)
	// Children by span index, as one flat array cut per parent (kids[
	// off[p]:off[p+1]]): a million spans would otherwise be a million
	// small slices.
	parent := make([]int32, n)
	missing := make([]bool, n)
	// The look-ups are most of this and read-only: shared out.
	inShares(n, func(lo, hi int) {
		lastParent, lastP, lastOK := "", 0, false
		for i := lo; i < hi; i++ {
			s := &tr.Spans[i]
			// Siblings tend to arrive together: one look-up serves a run.
			if s.ParentSpanID != lastParent || i == lo {
				lastParent = s.ParentSpanID
				lastP, lastOK = byID.get(lastParent)
			}
			p, ok := lastP, lastOK
			if s.ParentSpanID == "" || !ok || p == i {
				missing[i] = s.ParentSpanID != "" && (!ok || p == i)
				parent[i] = -1
				continue
			}
			parent[i] = int32(p)
		}
	})
	off := make([]int32, n+1)
	var roots []int
	for i, p := range parent {
		if p < 0 {
			roots = append(roots, i)
		} else {
			off[p+1]++
		}
	}
	for i := 1; i <= n; i++ {
		off[i] += off[i-1]
	}
	kids := make([]int32, off[n])
	fill := slices.Clone(off[:n])
	for i, p := range parent {
		if p >= 0 {
			kids[fill[p]] = int32(i)
			fill[p]++
		}
	}
	children := func(i int) []int32 { return kids[off[i]:off[i+1]] }
	// Siblings by start time, then span ID, then as received: a total
	// order, so the page is the same on every load. The starts are read
	// from one array, not from a million scattered spans.
	starts := make([]int64, n)
	for i := range tr.Spans {
		starts[i] = tr.Spans[i].StartNs
	}
	byStart := func(a, b int32) int {
		if c := cmp.Compare(starts[a], starts[b]); c != 0 {
			return c
		}
		// Equal starts are common (a flat trace's spans often share
		// one): IDs as numbers order as their fixed-width hex does, and
		// are read from one array too.
		if byID.ids != nil {
			if c := cmp.Compare(byID.ids[a], byID.ids[b]); c != 0 {
				return c
			}
		} else if c := strings.Compare(tr.Spans[a].SpanID, tr.Spans[b].SpanID); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	}
	slices.SortFunc(roots, func(a, b int) int { return byStart(int32(a), int32(b)) })
	for i := range n {
		if c := children(i); len(c) > 1 {
			slices.SortFunc(c, byStart)
		}
	}
	// A cycle (corrupt data) leaves spans unreachable from any root: make
	// the earliest of each such group a root so nothing is lost.

	childNodes := make([]int32, len(kids))
	visited := make([]bool, n)
	t.nodeOf = make([]int32, n)
	var stack []frame
	walk := func(root int) {
		stack = append(stack[:0], frame{span: int32(root), parent: -1, depth: 0})
		for len(stack) > 0 {
			f := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if visited[f.span] {
				continue
			}
			visited[f.span] = true
			idx := len(t.Nodes)
			t.nodeOf[f.span] = int32(idx)
			kids := children(int(f.span))
			// Each node's children are a cut of one array (they are
			// appended below as the walk reaches them, within it).
			mine := childNodes[:0:len(kids)]
			childNodes = childNodes[len(kids):]
			t.Nodes = append(t.Nodes, Node{Span: &tr.Spans[f.span], Parent: f.parent, Depth: f.depth, MissingParent: f.parent == -1 && missing[f.span], Children: mine})
			if f.parent >= 0 {
				t.Nodes[f.parent].Children = append(t.Nodes[f.parent].Children, int32(idx))
			} else {
				t.Roots = append(t.Roots, idx)
			}
			if int(f.depth) > t.MaxDepth {
				t.MaxDepth = int(f.depth)
			}
			for k := len(kids) - 1; k >= 0; k-- {
				stack = append(stack, frame{span: kids[k], parent: int32(idx), depth: f.depth + 1})
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

// frame is a span the walk has still to place (a flat trace's root
// puts all its children on the stack at once).
type frame struct{ span, parent, depth int32 }

// spanIndex finds a span by its ID. IDs are nearly always 16 lower-case
// hex digits, and as a uint64 in a table of their own (idTable) they are
// found several times faster than as strings in a map: most of arranging
// a million-span trace was this look-up. Any other ID puts the whole
// trace on strings, so equal means what it always did.
type spanIndex struct {
	byNum *idTable
	ids   []uint64 // each span's ID as a number, with byNum
	byStr map[string]int32
}

func newSpanIndex(spans []datasources.Span) spanIndex {
	ids := make([]uint64, len(spans))
	var other atomic.Bool
	inShares(len(spans), func(lo, hi int) {
		for i := lo; i < hi && !other.Load(); i++ {
			v, ok := hexID(spans[i].SpanID)
			if !ok {
				other.Store(true)
				return
			}
			ids[i] = v
		}
	})
	if other.Load() {
		str := make(map[string]int32, len(spans))
		for j := range spans {
			str[spans[j].SpanID] = int32(j)
		}
		return spanIndex{byStr: str}
	}
	shards := 1
	if len(ids) >= parallelSpans {
		shards = runtime.GOMAXPROCS(0)
	}
	return spanIndex{byNum: newIDTable(ids, shards), ids: ids}
}

func (x spanIndex) get(id string) (int, bool) {
	if x.byStr != nil {
		i, ok := x.byStr[id]
		return int(i), ok
	}
	v, ok := hexID(id)
	if !ok {
		return 0, false // no span has such an ID
	}
	i, ok := x.byNum.get(v)
	return int(i), ok
}

// idTable maps span IDs to span indexes: open addressing with linear
// probing in one array of key and value side by side (a look-up is one
// cache line, where a Go map's group of control bytes and slots is two
// or three), at most three quarters full (half full, it was larger than
// the map at 100,000 spans, and slower for it). The slot is the top bits
// of the ID times a random odd number chosen per table, so spans with IDs
// picked to collide cannot make the look-ups of a trace quadratic.
//
// A large table is filled on several cores at once, each its own shard
// (a power of two of them): an ID's shard is the top bits of its slot,
// and probing wraps within the shard, so no two cores write one slot.
// Filling was the longest stretch of a million-span tree on one core.
type idTable struct {
	slots []idSlot
	shift uint
	mul   uint64
	mask  int // a shard's slots - 1: probing wraps within it
}

type idSlot struct {
	id  uint64
	idx int32 // the span's index + 1; 0 for an empty slot
}

// newIDTable maps each of ids to its index (the last index of equal
// IDs), filled by at most shards goroutines.
func newIDTable(ids []uint64, shards int) *idTable {
	n := len(ids)
	bits := uint(4)
	for 1<<bits < n+n/3 {
		bits++
	}
	// A shard keeps at least 64K slots: three quarters of them filled on
	// average, one of them full is then tens of thousands of standard
	// deviations away (probing a full shard would never end).
	sbits := uint(0)
	for 2<<sbits <= shards && bits-sbits > 16 {
		sbits++
	}
	t := &idTable{slots: make([]idSlot, 1<<bits), shift: 64 - bits, mul: rand.Uint64() | 1, mask: 1<<(bits-sbits) - 1}
	if sbits == 0 {
		for i, id := range ids {
			t.put(id, int32(i))
		}
		return t
	}
	var wg sync.WaitGroup
	for shard := range 1 << sbits {
		wg.Go(func() {
			for i, id := range ids { // in order: equal IDs share a shard
				if t.slot(id)>>(bits-sbits) == shard {
					t.put(id, int32(i))
				}
			}
		})
	}
	wg.Wait()
	return t
}

func (t *idTable) slot(id uint64) int { return int(id * t.mul >> t.shift) }

// next is the slot probed after j: the next one, within j's shard.
func (t *idTable) next(j int) int { return j&^t.mask | (j+1)&t.mask }

func (t *idTable) put(id uint64, i int32) {
	for j := t.slot(id); ; j = t.next(j) {
		s := &t.slots[j]
		if s.idx == 0 || s.id == id {
			s.id, s.idx = id, i+1
			return
		}
	}
}

func (t *idTable) get(id uint64) (int32, bool) {
	for j := t.slot(id); ; j = t.next(j) {
		s := &t.slots[j]
		if s.idx == 0 {
			return 0, false
		}
		if s.id == id {
			return s.idx - 1, true
		}
	}
}

// hexID reads exactly 16 lower-case hex digits.
func hexID(s string) (uint64, bool) {
	if len(s) != 16 {
		return 0, false
	}
	var v uint64
	var bad byte
	for i := 0; i < 16; i++ {
		d := hexDigit[s[i]]
		bad |= d
		v = v<<4 | uint64(d&0x0f)
	}
	return v, bad&0xf0 == 0
}

// hexDigit is each byte's value as a lower-case hex digit, 0xff for none.
var hexDigit = func() (t [256]byte) {
	for i := range t {
		t[i] = 0xff
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = byte(c - '0')
	}
	for c := 'a'; c <= 'f'; c++ {
		t[c] = byte(c - 'a' + 10)
	}
	return t
}()

// measure fills skew, shifts, bounds, self time, descendants and the
// critical path. Nodes are in depth-first order, so parents come before
// children and a reverse pass sees children first.
func (t *TraceTree) measure(adjustSkew bool) {
	// A service is looked up once per resource, and a resource only when
	// it changes from the node before (spans of one process come in runs).
	serviceIdx := map[string]int32{}
	resourceIdx := map[*datasources.Resource]int32{}
	var lastRes *datasources.Resource
	lastIdx := int32(-1)
	t.serviceOf = make([]int32, len(t.Nodes))
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
		if r := nd.Span.Resource; r != lastRes || lastIdx < 0 {
			j, ok := resourceIdx[r]
			if !ok {
				s := nd.Span.Service()
				if j, ok = serviceIdx[s]; !ok {
					j = int32(len(t.Services))
					serviceIdx[s] = j
					t.Services = append(t.Services, s)
				}
				resourceIdx[r] = j
			}
			lastRes, lastIdx = r, j
		}
		t.serviceOf[i] = lastIdx
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
		kids := append([]int32(nil), nd.Children...)
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
			work = append(work, job{int(c), cs, ce})
			cursor = cs
			if cursor <= j.from {
				break
			}
		}
	}
}
