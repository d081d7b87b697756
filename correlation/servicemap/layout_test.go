package servicemap

import (
	"fmt"
	"testing"

	"github.com/ariadne-dev/ariadne/correlation/chart"
)

func mapOf(edges ...[2]string) *Map {
	m := &Map{}
	for _, e := range edges {
		m.addEdge(e[0], e[1])
	}
	return m
}

func boxes(g chart.GraphLayout) map[string]chart.GraphBox {
	at := map[string]chart.GraphBox{}
	for _, b := range g.Boxes {
		at[b.Name] = b
	}
	return at
}

// checkCanvas: every box inside the canvas, no two boxes overlapping.
func checkCanvas(t *testing.T, g chart.GraphLayout) {
	t.Helper()
	seen := map[[2]int]string{}
	for _, b := range g.Boxes {
		if b.X < 0 || b.Y < 0 || b.X+chart.MapSize.BoxW > g.Width || b.Y+chart.MapSize.BoxH > g.Height {
			t.Errorf("box %s at (%d,%d) outside the %dx%d canvas", b.Name, b.X, b.Y, g.Width, g.Height)
		}
		if o, ok := seen[[2]int{b.X, b.Y}]; ok {
			t.Errorf("boxes %s and %s overlap at (%d,%d)", o, b.Name, b.X, b.Y)
		}
		seen[[2]int{b.X, b.Y}] = b.Name
	}
}

func TestLayoutCallersLeftOfCallees(t *testing.T) {
	m := mapOf([2]string{"gateway", "orders"}, [2]string{"orders", "inventory"}, [2]string{"orders", "payments"},
		[2]string{"payments", "payment-provider"}, [2]string{"gateway", "payment-provider"})
	g := Layout(m)
	at := boxes(g)
	checkCanvas(t, g)
	if !(at["gateway"].X < at["orders"].X && at["orders"].X < at["payments"].X && at["payments"].X < at["payment-provider"].X) {
		t.Errorf("not left to right by call depth: %+v", g.Boxes)
	}
	// The longest chain decides: gateway also calls payment-provider
	// directly, which still stands right of payments.
	if at["inventory"].X != at["payments"].X {
		t.Errorf("inventory and payments are both orders' callees, one column: %+v", g.Boxes)
	}
	if len(g.Arrows) != len(m.Edges) {
		t.Errorf("%d arrows for %d edges", len(g.Arrows), len(m.Edges))
	}
}

func TestLayoutCycleSelfCallIsolated(t *testing.T) {
	// a → b → c → a is a cycle, b calls itself, lonely calls no one.
	m := mapOf([2]string{"a", "b"}, [2]string{"b", "c"}, [2]string{"c", "a"}, [2]string{"b", "b"})
	m.addNode("lonely")
	m.Sort()
	g := Layout(m)
	at := boxes(g)
	checkCanvas(t, g)
	if len(at) != 4 {
		t.Fatalf("boxes %+v", g.Boxes)
	}
	// The cycle is broken where the order first meets it (a, the first
	// name): a, b, c left to right, c → a drawn as a call back.
	if !(at["a"].X < at["b"].X && at["b"].X < at["c"].X) {
		t.Errorf("cycle not laid out a, b, c: %+v", g.Boxes)
	}
	if at["lonely"].X != at["a"].X {
		t.Errorf("an isolated service stands in the first column: %+v", at["lonely"])
	}
	for i, e := range m.Edges {
		a := g.Arrows[i]
		if a.From != e.Client || a.To != e.Server || a.Path == "" {
			t.Errorf("arrow %d %+v for edge %+v", i, a, e)
		}
		if e.Client == "b" && e.Server == "b" {
			// The self-call is a loop starting and ending under b's box.
			want := fmt.Sprintf("M %d %d", at["b"].X+chart.MapSize.BoxW/2-12, at["b"].Y+chart.MapSize.BoxH)
			if a.Path[:len(want)] != want {
				t.Errorf("self-call path %q, want a loop from %q", a.Path, want)
			}
		}
	}
}

func TestLayoutFiftyServices(t *testing.T) {
	// A gateway fanning out to 49 services: one layer of 49 wraps into
	// columns of at most ten, so the picture stays wider than tall.
	var edges [][2]string
	for i := range 49 {
		edges = append(edges, [2]string{"gateway", fmt.Sprintf("svc-%02d", i)})
	}
	// and a chain among some of them, with a cycle
	edges = append(edges, [2]string{"svc-01", "svc-02"}, [2]string{"svc-02", "svc-03"}, [2]string{"svc-03", "svc-01"})
	m := mapOf(edges...)
	m.Sort()
	g := Layout(m)
	checkCanvas(t, g)
	if len(g.Boxes) != 50 {
		t.Fatalf("%d boxes", len(g.Boxes))
	}
	rows := (g.Height - 24 - 2*12 - chart.MapSize.BoxH) / chart.MapSize.RowH
	if rows+1 > chart.MapSize.MaxRows {
		t.Errorf("%d rows, at most %d", rows+1, chart.MapSize.MaxRows)
	}
	at := boxes(g)
	if at["gateway"].X >= at["svc-00"].X || at["svc-01"].X >= at["svc-02"].X {
		t.Errorf("callers not left of callees: gateway %+v svc-00 %+v svc-01 %+v svc-02 %+v", at["gateway"], at["svc-00"], at["svc-01"], at["svc-02"])
	}
}

func TestLimitKeepsUnhealthyAndBusiest(t *testing.T) {
	m := &Map{}
	for i := range 5 {
		n := m.addNode(fmt.Sprintf("s%d", i))
		n.RED.Rate = float64(i)
	}
	m.Node("s0").Health.Level = Failing
	m.addEdge("s0", "s4")
	m.addEdge("s1", "s2")
	if left := m.Limit(2); left != 3 {
		t.Errorf("left out %d, want 3", left)
	}
	if m.Node("s0") == nil || m.Node("s4") == nil || len(m.Nodes) != 2 || len(m.Edges) != 1 {
		t.Errorf("kept %+v %+v", m.Nodes, m.Edges)
	}
}
