package views

import (
	"math"
	"strings"
	"testing"

	"github.com/ariadne-dev/ariadne/correlation/links"
	"github.com/ariadne-dev/ariadne/correlation/servicemap"
)

func testMap() *servicemap.Map {
	m := &servicemap.Map{Nodes: []servicemap.Node{
		{Name: "gateway", RED: servicemap.RED{Rate: 12, Errors: 0.01, P99: 0.25, Mean: 0.05}, Health: servicemap.Health{Level: servicemap.Healthy}},
		{Name: "inventory", RED: servicemap.RED{Rate: 3, Errors: 0, P99: 1.2, Mean: 0.45},
			Health: servicemap.Health{Level: servicemap.Failing, Score: 16, Reason: "mean latency 450 ms, 16× its usual 28.0 ms"}},
		{Name: "postgresql shop", RED: servicemap.Unknown(), Peer: &servicemap.Peer{Kind: "database",
			Attrs: []servicemap.Attr{{Key: "db.system", Value: "postgresql"}, {Key: "db.namespace", Value: "shop"}}}},
	}, Edges: []servicemap.Edge{
		{Client: "gateway", Server: "inventory", RED: servicemap.RED{Rate: 3, Errors: 0, P99: 1.2, Mean: math.NaN()}},
		{Client: "inventory", Server: "postgresql shop", RED: servicemap.RED{Rate: math.NaN(), Errors: 0, P99: 0.004, Mean: 0.002, Sampled: 30}},
	}}
	m.Source.Nodes = []string{"span metrics (x)"}
	return m
}

func TestBuildServiceMap(t *testing.T) {
	w := links.TimeRange{RawFrom: "now-5m", RawTo: "now"}
	v := BuildServiceMap(MapInput{Map: testMap(), Window: w, Rate: "30s", TraceQL: true})
	if len(v.Nodes) != 3 || len(v.Edges) != 2 {
		t.Fatalf("%d nodes, %d edges", len(v.Nodes), len(v.Edges))
	}
	by := map[string]MapNode{}
	for _, n := range v.Nodes {
		by[n.Name] = n
	}
	if by["inventory"].Class != "node health-bad" || by["postgresql shop"].Class != "node peer" || by["gateway"].Line2 != "12/s · 1.0% · p99 250 ms" {
		t.Errorf("nodes %+v", by)
	}
	if !strings.Contains(by["inventory"].Title, "failing: mean latency 450 ms") {
		t.Errorf("tooltip %q", by["inventory"].Title)
	}
	if v.Edges[0].Class != "edge health-bad" || v.Edges[1].Class != "edge peer" || v.Edges[1].Label != "30 sampled · 0% · p99 4.00 ms" {
		t.Errorf("edges %+v", v.Edges)
	}
	if !strings.Contains(v.Edges[1].URL, "span.db.system+%3D+%22postgresql%22") {
		t.Errorf("a peer's arrow searches its callers' spans naming it: %s", v.Edges[1].URL)
	}
	if len(v.Worst) != 1 || v.Worst[0].Name != "inventory" || v.Worst[0].URL != "/services/inventory?from=now-5m&to=now" {
		t.Errorf("worst %+v", v.Worst)
	}
	// Jaeger or Zipkin only: the arrow searches the callee by name.
	j := BuildServiceMap(MapInput{Map: testMap(), Window: w, Backend: "jaeger"})
	if got := j.Edges[0].URL; got != "/traces?backend=jaeger&from=now-5m&service=inventory&to=now" {
		t.Errorf("without TraceQL: %s", got)
	}
	if e := BuildServiceMap(MapInput{Map: &servicemap.Map{}}); e.Empty == "" {
		t.Error("an empty map says so")
	}
}

func TestBuildHidden(t *testing.T) {
	m := testMap()
	h := m.FindHidden([][2]string{{"gateway", "inventory"}}, true)
	v := BuildHidden(HiddenInput{MapInput: MapInput{Map: m, TraceQL: true}, Hidden: h, Previous: []string{"Jaeger's dependencies"}})
	if len(v.New) != 1 || v.New[0].Label != "inventory → postgresql shop" || !strings.Contains(v.Note, "Jaeger's dependencies") {
		t.Errorf("new %+v %q", v.New, v.Note)
	}
	if len(v.Uninstrumented) != 1 || v.Uninstrumented[0].Seen != "database (db.system=postgresql, db.namespace=shop)" || v.Uninstrumented[0].Callers[0].Label != "inventory" {
		t.Errorf("uninstrumented %+v", v.Uninstrumented)
	}
	none := BuildHidden(HiddenInput{MapInput: MapInput{Map: m}, Hidden: m.FindHidden(nil, true)})
	if len(none.New) != 0 || !strings.Contains(none.Note, "No calls were recorded in the day before") {
		t.Errorf("nothing to compare with: %+v", none)
	}
}
