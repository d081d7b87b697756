package trace

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"testing"

	"github.com/ariadne-dev/ariadne/datasources"
)

// referenceOrder is the tree's order as BuildTree arranged it before its
// flat arrays and numeric ID index (string map, slices of children,
// stable sort): the plain statement the fast one must agree with. It
// returns, in waterfall order, each span's index, parent node and depth.
func referenceOrder(spans []datasources.Span) (order []int, parents, depths []int) {
	n := len(spans)
	byID := make(map[string]int, n)
	for i := range spans {
		byID[spans[i].SpanID] = i
	}
	children := make([][]int, n)
	var roots []int
	for i := range spans {
		p, ok := byID[spans[i].ParentSpanID]
		if spans[i].ParentSpanID == "" || !ok || p == i {
			roots = append(roots, i)
			continue
		}
		children[p] = append(children[p], i)
	}
	byStart := func(a []int) {
		sort.SliceStable(a, func(x, y int) bool {
			sx, sy := &spans[a[x]], &spans[a[y]]
			if sx.StartNs != sy.StartNs {
				return sx.StartNs < sy.StartNs
			}
			return sx.SpanID < sy.SpanID
		})
	}
	byStart(roots)
	for i := range children {
		byStart(children[i])
	}
	visited := make([]bool, n)
	walk := func(root int) {
		type fr struct{ span, parent, depth int }
		stack := []fr{{root, -1, 0}}
		for len(stack) > 0 {
			f := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if visited[f.span] {
				continue
			}
			visited[f.span] = true
			idx := len(order)
			order, parents, depths = append(order, f.span), append(parents, f.parent), append(depths, f.depth)
			for k := len(children[f.span]) - 1; k >= 0; k-- {
				stack = append(stack, fr{children[f.span][k], idx, f.depth + 1})
			}
		}
	}
	for _, r := range roots {
		walk(r)
	}
	for len(order) < n {
		first := -1
		for i := range visited {
			if !visited[i] && (first < 0 || spans[i].StartNs < spans[first].StartNs) {
				first = i
			}
		}
		walk(first)
	}
	return order, parents, depths
}

// TestBuildTreeAgreesWithReference: on random traces — deep and flat,
// equal start times, duplicate span IDs, parents missing or in a cycle,
// IDs that are not 16 lower-case hex digits — BuildTree orders, parents
// and nests every span as the plain reference does, and each node's
// children are exactly the nodes naming it as their parent, in order.
func TestBuildTreeAgreesWithReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for trial := range 400 {
		n := 1 + rng.IntN(60)
		spans := make([]datasources.Span, n)
		id := func(i int) string {
			switch trial % 5 {
			case 3:
				return fmt.Sprintf("span-%d", i) // not hex: the string index
			case 4:
				if i%7 == 0 {
					return fmt.Sprintf("%016X", i*977) // upper case
				}
			}
			return fmt.Sprintf("%016x", i*977)
		}
		for i := range spans {
			spans[i] = datasources.Span{SpanID: id(i), StartNs: int64(rng.IntN(5)), EndNs: 10}
			if rng.IntN(8) == 0 && i > 0 {
				spans[i].SpanID = spans[rng.IntN(i)].SpanID // a duplicate
			}
		}
		for i := range spans {
			switch r := rng.IntN(10); {
			case r == 0:
				// a root
			case r == 1:
				spans[i].ParentSpanID = "ffffffffffffffff" // missing
			case r == 2:
				spans[i].ParentSpanID = spans[rng.IntN(n)].SpanID // maybe a cycle
			default:
				if i > 0 {
					spans[i].ParentSpanID = spans[rng.IntN(i)].SpanID
				}
			}
		}
		wantOrder, wantParents, wantDepths := referenceOrder(spans)
		tr := BuildTree(&datasources.Trace{ID: "t", Spans: spans}, false)
		if len(tr.Nodes) != n {
			t.Fatalf("trial %d: %d nodes of %d spans", trial, len(tr.Nodes), n)
		}
		for i, nd := range tr.Nodes {
			if nd.Span != &spans[wantOrder[i]] || int(nd.Parent) != wantParents[i] || int(nd.Depth) != wantDepths[i] {
				t.Fatalf("trial %d node %d: span %s parent %d depth %d, want span %s parent %d depth %d",
					trial, i, nd.Span.SpanID, nd.Parent, nd.Depth, spans[wantOrder[i]].SpanID, wantParents[i], wantDepths[i])
			}
			var kids []int
			for j, c := range tr.Nodes {
				if int(c.Parent) == i {
					kids = append(kids, j)
				}
			}
			if fmt.Sprint(kids) != fmt.Sprint(nd.Children) {
				t.Fatalf("trial %d node %d: children %v, want %v", trial, i, nd.Children, kids)
			}
		}
	}
}

// TestBuildTreeShowsInvisibleCharactersAtAnySize: a trace big enough to
// be shared out among the cores still has every span's texts and every
// resource's shown, whichever part of the trace they sit in.
func TestBuildTreeShowsInvisibleCharactersAtAnySize(t *testing.T) {
	const hostile = "pay\u202eevil"
	for _, n := range []int{10, parallelSpans + 7} {
		shared := &datasources.Resource{Service: hostile}
		own := &datasources.Resource{Service: "ok"}
		spans := make([]datasources.Span, n)
		for i := range spans {
			spans[i] = datasources.Span{SpanID: fmt.Sprintf("%016x", i+1), Name: hostile, Resource: shared,
				Attrs: []datasources.Attribute{{Key: "k\u200b", Value: hostile}}}
			if i%3 == 0 {
				spans[i].Resource = own
			}
		}
		BuildTree(&datasources.Trace{ID: "t", Spans: spans}, false)
		for i := range spans {
			s := &spans[i]
			if s.Name == hostile || s.Attributes()[0].Value == hostile || s.Attributes()[0].Key == "k\u200b" {
				t.Fatalf("%d spans: span %d keeps %q, %q=%q", n, i, s.Name, s.Attributes()[0].Key, s.Attributes()[0].Value)
			}
		}
		if shared.Service == hostile || own.Service != "ok" {
			t.Errorf("%d spans: resources %q, %q", n, shared.Service, own.Service)
		}
	}
}

func TestHexID(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want uint64
		ok   bool
	}{
		{"0000000000000000", 0, true},
		{"00f067aa0ba902b7", 0x00f067aa0ba902b7, true},
		{"ffffffffffffffff", 1<<64 - 1, true},
		{"00F067AA0BA902B7", 0, false}, // upper case: not the same string
		{"00f067aa0ba902b", 0, false},
		{"00f067aa0ba902b77", 0, false},
		{"00f067aa0ba902bg", 0, false},
		{"00f067aa0ba902b/", 0, false},
		{"", 0, false},
	} {
		got, ok := hexID(tt.in)
		if ok != tt.ok || (ok && got != tt.want) {
			t.Errorf("hexID(%q) = %x, %v; want %x, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}
