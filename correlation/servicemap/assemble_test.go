package servicemap

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// drawn is a map as its page shows it: nodes by name (peers marked, a
// known rate beside), edges as client→server with the rate or the
// sampled count they are labelled with.
func drawn(m *Map) (nodes, edges string) {
	var ns, es []string
	for _, n := range m.Nodes {
		s := n.Name
		if n.Uninstrumented() {
			s += "(peer)"
		}
		if Known(n.RED.Rate) {
			s += fmt.Sprintf(" %g/s", n.RED.Rate)
		}
		ns = append(ns, s)
	}
	for _, e := range m.Edges {
		s := e.Client + "→" + e.Server
		if Known(e.RED.Rate) {
			s += fmt.Sprintf(" %g/s", e.RED.Rate)
		} else if e.RED.Sampled > 0 {
			s += fmt.Sprintf(" %d sampled", e.RED.Sampled)
		}
		es = append(es, s)
	}
	slices.Sort(ns)
	slices.Sort(es)
	return strings.Join(ns, ", "), strings.Join(es, ", ")
}

func TestAssemble(t *testing.T) {
	names := DefaultMetrics()
	// Span metrics know gateway and orders; the service graph the call
	// between them; Jaeger the same call and one more; the sample also
	// sees orders call a fraud API that emits nothing.
	spanMetrics := func() *Map {
		m := &Map{}
		m.addNode("gateway").RED = RED{Rate: 20, Errors: 0, P99: 0.1, Mean: 0.05}
		m.addNode("orders").RED = RED{Rate: 10, Errors: 0.01, P99: 0.2, Mean: 0.08}
		return m
	}
	serviceGraph := func() *Map {
		m := &Map{}
		m.addEdge("gateway", "orders").RED = RED{Rate: 9, Errors: 0, P99: 0.2, Mean: 0.1}
		return m
	}
	deps := func() *Map {
		return FromDependencies([]Dependency{{Parent: "gateway", Child: "orders", Calls: 600}, {Parent: "orders", Child: "inventory", Calls: 300}}, 10*time.Minute)
	}
	sample := func() *Map {
		m := mapOf([2]string{"gateway", "orders"}, [2]string{"orders", "fraud-api"})
		m.Node("fraud-api").Peer = &Peer{Kind: "service"}
		m.Node("gateway").RED.Sampled = 4
		m.Node("orders").RED.Sampled = 4
		m.Edge("gateway", "orders").RED.Sampled = 4
		m.Edge("orders", "fraud-api").RED.Sampled = 3
		return m
	}
	const sampleText = "a sample of 4 traces from Tempo, up to 10 from each tenth of the range"
	withSample := func(f Fetched) Fetched {
		f.Sample, f.Sampled, f.SampleFrom, f.PerSlice = sample(), 4, "Tempo", 10
		return f
	}
	const fromTempo = "Tempo metrics-generator: traces_spanmetrics_calls_total"

	for _, tc := range []struct {
		name         string
		f            Fetched
		nodes, edges string
		want         Source
	}{
		{
			name: "nothing configured",
			f:    Fetched{Names: names, PerSlice: 10, SampleErr: "Tempo is not configured."},
			want: Source{Problems: []string{
				"Prometheus is not configured: no span or service-graph metrics.",
				"The trace sample: Tempo is not configured.",
			}},
		},
		{
			name:  "Prometheus not configured: the sample draws the map",
			f:     withSample(Fetched{Names: names}),
			nodes: "fraud-api(peer), gateway, orders",
			edges: "gateway→orders 4 sampled, orders→fraud-api 3 sampled",
			want: Source{Nodes: []string{sampleText}, Edges: []string{sampleText}, SampleTraces: 4,
				Problems: []string{"Prometheus is not configured: no span or service-graph metrics."}},
		},
		{
			name: "span and service-graph metrics fail",
			f: withSample(Fetched{Prometheus: true, Names: names,
				SpanMetricsErr: "Prometheus is unreachable.", ServiceGraphErr: "Prometheus is unreachable."}),
			nodes: "fraud-api(peer), gateway, orders",
			edges: "gateway→orders 4 sampled, orders→fraud-api 3 sampled",
			want: Source{Nodes: []string{sampleText}, Edges: []string{sampleText}, SampleTraces: 4, Problems: []string{
				"Span metrics from Prometheus: Prometheus is unreachable.",
				"Service-graph metrics from Prometheus: Prometheus is unreachable.",
			}},
		},
		{
			name: "Prometheus has neither metric",
			f:    Fetched{Prometheus: true, Names: names, ServiceGraph: &Map{}, PerSlice: 10},
			want: Source{Problems: []string{
				"Prometheus has no span metrics (traces_spanmetrics_calls_total or traces_span_metrics_calls_total).",
				"Prometheus has no service-graph metrics (traces_service_graph_request_total).",
			}},
		},
		{
			name: "configured names are the ones named",
			f: Fetched{Prometheus: true, PerSlice: 10, ServiceGraph: &Map{}, Names: Metrics{
				ServiceGraph: ServiceGraph{Requests: "mesh_requests_total"},
				SpanMetrics:  []SpanMetrics{{Calls: "calls_total"}},
			}},
			want: Source{Problems: []string{
				"Prometheus has no span metrics (calls_total).",
				"Prometheus has no service-graph metrics (mesh_requests_total).",
			}},
		},
		{
			name: "span metrics without service-graph metrics",
			f: Fetched{Prometheus: true, Names: names, PerSlice: 10,
				SpanMetrics: spanMetrics(), SpanMetricsFrom: fromTempo, ServiceGraph: &Map{}},
			nodes: "gateway 20/s, orders 10/s",
			want: Source{Nodes: []string{"span metrics (" + fromTempo + ")"},
				Problems: []string{"Prometheus has no service-graph metrics (traces_service_graph_request_total)."}},
		},
		{
			name: "span metrics and service-graph metrics",
			f: Fetched{Prometheus: true, Names: names, PerSlice: 10,
				SpanMetrics: spanMetrics(), SpanMetricsFrom: fromTempo, ServiceGraph: serviceGraph()},
			nodes: "gateway 20/s, orders 10/s",
			edges: "gateway→orders 9/s",
			want: Source{Nodes: []string{"span metrics (" + fromTempo + ")"},
				Edges: []string{"service-graph metrics (traces_service_graph_request_total)"}},
		},
		{
			// The metrics' figures win; Jaeger adds the call the graph
			// lacks, the sample the peer: each is named as an edge source,
			// and the sample not as a node source.
			name: "every source, merged in order of preference",
			f: withSample(Fetched{Prometheus: true, Names: names, Jaeger: true,
				SpanMetrics: spanMetrics(), SpanMetricsFrom: fromTempo, ServiceGraph: serviceGraph(), Dependencies: deps()}),
			nodes: "fraud-api(peer), gateway 20/s, inventory, orders 10/s",
			edges: "gateway→orders 9/s, orders→fraud-api 3 sampled, orders→inventory 0.5/s",
			want: Source{Nodes: []string{"span metrics (" + fromTempo + ")"}, SampleTraces: 4, Edges: []string{
				"service-graph metrics (traces_service_graph_request_total)",
				"Jaeger's dependencies (call rates)",
				sampleText,
			}},
		},
		{
			name:  "Jaeger's dependencies without metrics",
			f:     Fetched{Names: names, Jaeger: true, Dependencies: deps(), PerSlice: 10},
			nodes: "gateway, inventory, orders",
			edges: "gateway→orders 1/s, orders→inventory 0.5/s",
			want: Source{Edges: []string{"Jaeger's dependencies (call rates)"},
				Problems: []string{"Prometheus is not configured: no span or service-graph metrics."}},
		},
		{
			name:  "Jaeger's dependencies fail",
			f:     withSample(Fetched{Names: names, Jaeger: true, DependenciesErr: "Jaeger is unreachable."}),
			nodes: "fraud-api(peer), gateway, orders",
			edges: "gateway→orders 4 sampled, orders→fraud-api 3 sampled",
			want: Source{Nodes: []string{sampleText}, Edges: []string{sampleText}, SampleTraces: 4, Problems: []string{
				"Prometheus is not configured: no span or service-graph metrics.",
				"Jaeger's dependencies: Jaeger is unreachable.",
			}},
		},
		{
			name: "Jaeger's dependencies empty: nothing said",
			f:    Fetched{Names: names, Jaeger: true, Dependencies: FromDependencies(nil, time.Hour), PerSlice: 10},
			want: Source{Problems: []string{"Prometheus is not configured: no span or service-graph metrics."}},
		},
		{
			name: "the sample fails beside working metrics",
			f: Fetched{Prometheus: true, Names: names, PerSlice: 10,
				SpanMetrics: spanMetrics(), SpanMetricsFrom: fromTempo, ServiceGraph: serviceGraph(),
				Sample: &Map{}, SampleFrom: "Tempo", SampleErr: "Tempo is unreachable."},
			nodes: "gateway 20/s, orders 10/s",
			edges: "gateway→orders 9/s",
			want: Source{Nodes: []string{"span metrics (" + fromTempo + ")"},
				Edges:    []string{"service-graph metrics (traces_service_graph_request_total)"},
				Problems: []string{"The trace sample: Tempo is unreachable."}},
		},
		{
			name: "an empty sample is not named",
			f: Fetched{Prometheus: true, Names: names, PerSlice: 10,
				SpanMetrics: spanMetrics(), SpanMetricsFrom: fromTempo, ServiceGraph: serviceGraph(),
				Sample: &Map{}, SampleFrom: "Jaeger"},
			nodes: "gateway 20/s, orders 10/s",
			edges: "gateway→orders 9/s",
			want: Source{Nodes: []string{"span metrics (" + fromTempo + ")"},
				Edges: []string{"service-graph metrics (traces_service_graph_request_total)"}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := Assemble(tc.f)
			nodes, edges := drawn(m)
			if nodes != tc.nodes {
				t.Errorf("nodes %q, want %q", nodes, tc.nodes)
			}
			if edges != tc.edges {
				t.Errorf("edges %q, want %q", edges, tc.edges)
			}
			got := m.Source
			for _, l := range []struct {
				what      string
				got, want []string
			}{{"Source.Nodes", got.Nodes, tc.want.Nodes}, {"Source.Edges", got.Edges, tc.want.Edges}, {"Source.Problems", got.Problems, tc.want.Problems}} {
				if !slices.Equal(l.got, l.want) {
					t.Errorf("%s\n got %q\nwant %q", l.what, l.got, l.want)
				}
			}
			if got.SampleTraces != tc.want.SampleTraces {
				t.Errorf("SampleTraces %d, want %d", got.SampleTraces, tc.want.SampleTraces)
			}
		})
	}
}
