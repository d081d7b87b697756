package servicemap

import (
	"strings"
	"testing"
	"time"

	"github.com/ariadne-dev/ariadne/datasources"
)

// span builds one span of a test trace.
type sp struct {
	id, parent, service, name string
	kind                      datasources.SpanKind
	startMs, ms               int64
	failed                    bool
	attrs                     []string // key=value
}

func traceOf(base time.Time, spans ...sp) *datasources.Trace {
	tr := &datasources.Trace{ID: "t"}
	res := map[string]*datasources.Resource{}
	for _, s := range spans {
		if res[s.service] == nil {
			res[s.service] = &datasources.Resource{Service: s.service}
		}
		d := datasources.Span{SpanID: s.id, ParentSpanID: s.parent, Name: s.name, Kind: s.kind, Resource: res[s.service],
			StartNs: base.Add(time.Duration(s.startMs) * time.Millisecond).UnixNano()}
		d.EndNs = d.StartNs + s.ms*1e6
		if s.failed {
			d.Status = datasources.StatusError
		}
		for _, kv := range s.attrs {
			k, v, _ := strings.Cut(kv, "=")
			d.Attrs = append(d.Attributes(), datasources.Attribute{Key: k, Value: v})
		}
		tr.Spans = append(tr.Spans, d)
	}
	return tr
}

// checkout is the demo's order: gateway → orders → (inventory, payments
// → payment-provider), orders also calling a database and a fraud API
// that emit nothing, and a call whose server span is missing (an IP
// address: our own hop, not a dependency).
func checkout(base time.Time, failed bool) *datasources.Trace {
	return traceOf(base,
		sp{id: "1", service: "gateway", name: "POST /api/checkout", kind: datasources.KindServer, ms: 100},
		sp{id: "2", parent: "1", service: "gateway", name: "POST /orders", kind: datasources.KindClient, ms: 95},
		sp{id: "3", parent: "2", service: "orders", name: "POST /orders", kind: datasources.KindServer, ms: 90, failed: failed},
		sp{id: "4", parent: "3", service: "orders", name: "INSERT orders", kind: datasources.KindClient, ms: 3,
			attrs: []string{"db.system=postgresql", "db.namespace=shop", "server.address=orders-db"}},
		sp{id: "5", parent: "3", service: "orders", name: "POST /v1/score", kind: datasources.KindClient, ms: 20,
			attrs: []string{"peer.service=fraud-api", "server.address=fraud-api.example"}},
		sp{id: "6", parent: "3", service: "orders", name: "POST /charge", kind: datasources.KindClient, ms: 60},
		sp{id: "7", parent: "6", service: "payments", name: "POST /charge", kind: datasources.KindServer, ms: 55, failed: failed},
		sp{id: "8", parent: "7", service: "payments", name: "POST /v1/charges", kind: datasources.KindClient, ms: 50},
		sp{id: "9", parent: "8", service: "payment-provider", name: "post /v1/charges", kind: datasources.KindServer, ms: 45},
		sp{id: "10", parent: "3", service: "orders", name: "POST /reserve", kind: datasources.KindClient, ms: 5,
			attrs: []string{"server.address=127.0.0.1"}},
	)
}

func TestFromTracesEdgesAndPeers(t *testing.T) {
	from := time.Unix(1_700_000_000, 0)
	w := Window{From: from, To: from.Add(10 * time.Minute)}
	var trs []*datasources.Trace
	for i := range 10 {
		trs = append(trs, checkout(from.Add(time.Duration(i)*time.Minute), i == 9))
	}
	m := FromTraces(trs, w)
	var names []string
	for _, n := range m.Nodes {
		s := n.Name
		if n.Uninstrumented() {
			s += "(" + n.Peer.Kind + ")"
		}
		names = append(names, s)
	}
	if got := strings.Join(names, ","); got != "fraud-api(service),gateway,orders,payment-provider,payments,postgresql shop(database)" {
		t.Errorf("nodes %s", got)
	}
	if e := m.Edge("gateway", "orders"); e == nil || e.RED.Sampled != 10 || e.RED.Errors != 0.1 || e.RED.P99 != 0.09 {
		t.Errorf("gateway → orders as orders measured it: %+v", e)
	}
	if e := m.Edge("orders", "fraud-api"); e == nil || e.RED.P99 != 0.02 {
		t.Errorf("orders → fraud-api as orders' client span measured it: %+v", e)
	}
	if m.Edge("orders", "127.0.0.1") != nil || m.Node("127.0.0.1") != nil {
		t.Error("an IP address with no server span is not a dependency")
	}
	if e := m.Edge("gateway", "gateway"); e != nil {
		t.Error("calls within a service are not edges")
	}
	o := m.Node("orders")
	if o.RED.Sampled != 10 || len(o.Series.Mean) != SampleBuckets {
		t.Errorf("orders %+v", o)
	}
	// The last bucket holds the failing trace: a judged, failing signal.
	if h := Judge(o.Series); h.Level != Failing || !strings.Contains(h.Reason, "error rate") {
		t.Errorf("orders health %+v", h)
	}
}

func TestPeerOf(t *testing.T) {
	for _, tc := range []struct {
		attrs []string
		name  string
		ok    bool
	}{
		{[]string{"peer.service=fraud-api", "server.address=x.example"}, "fraud-api", true},
		{[]string{"db.system=postgresql", "db.namespace=shop"}, "postgresql shop", true},
		{[]string{"db.system=redis"}, "redis", true},
		{[]string{"messaging.destination.name=orders.created", "server.address=kafka"}, "orders.created", true},
		{[]string{"server.address=api.stripe.example"}, "api.stripe.example", true},
		{[]string{"server.address=10.0.0.7"}, "", false},
		{[]string{"server.address=localhost"}, "", false},
		{nil, "", false},
	} {
		s := traceOf(time.Unix(0, 0), sp{id: "1", service: "a", kind: datasources.KindClient, attrs: tc.attrs}).Spans[0]
		_, name, ok := PeerOf(&s)
		if name != tc.name || ok != tc.ok {
			t.Errorf("%v: %q %v, want %q %v", tc.attrs, name, ok, tc.name, tc.ok)
		}
	}
}

func TestHiddenDependencies(t *testing.T) {
	m := mapOf([2]string{"gateway", "orders"}, [2]string{"orders", "inventory"}, [2]string{"inventory", "recommendations"},
		[2]string{"orders", "fraud-api"})
	m.Node("fraud-api").Peer = &Peer{Kind: "service", Attrs: []Attr{{"peer.service", "fraud-api"}}}
	yesterday := [][2]string{{"gateway", "orders"}, {"orders", "inventory"}, {"orders", "fraud-api"}, {"gone", "away"}}

	h := m.FindHidden(yesterday, true)
	if !h.Compared || len(h.New) != 1 || h.New[0].Client != "inventory" || h.New[0].Server != "recommendations" || !h.New[0].New {
		t.Errorf("new edges %+v", h.New)
	}
	if m.Edge("inventory", "recommendations").New {
		t.Error("the shared map was written to")
	}
	if len(h.Uninstrumented) != 1 || h.Uninstrumented[0].Node.Name != "fraud-api" || len(h.Uninstrumented[0].Callers) != 1 ||
		h.Uninstrumented[0].Callers[0].Client != "orders" {
		t.Errorf("uninstrumented %+v", h.Uninstrumented)
	}
	if got := h.Uninstrumented[0].Node.Peer.Describe(); got != "service (peer.service=fraud-api)" {
		t.Errorf("describe %q", got)
	}

	// Nothing at all the day before (a new deployment, a short
	// retention): no comparison, so nothing is called new.
	m2 := mapOf([2]string{"a", "b"})
	if h := m2.FindHidden(nil, true); h.Compared || len(h.New) != 0 {
		t.Errorf("without a previous day: %+v", h)
	}
	// A failed look-up of the previous day is not a comparison either.
	if h := m2.FindHidden(yesterday, false); h.Compared || len(h.New) != 0 {
		t.Errorf("previous day unknown: %+v", h)
	}
}

func TestMergePrefersTheFirstSource(t *testing.T) {
	metrics := &Map{}
	n := metrics.addNode("orders")
	n.RED = RED{Rate: 10, Errors: 0.01, P99: 0.2, Mean: 0.05}
	deps := FromDependencies([]Dependency{{Parent: "gateway", Child: "orders", Calls: 600}, {Parent: "orders", Child: "orders", Calls: 900}}, 10*time.Minute)
	if len(deps.Edges) != 1 {
		t.Errorf("Jaeger's links of a service to itself are not calls: %+v", deps.Edges)
	}
	sample := mapOf([2]string{"gateway", "orders"}, [2]string{"orders", "fraud-api"})
	sample.Edge("gateway", "orders").RED = RED{Rate: 99, Errors: 0.5, P99: 0.3, Mean: 0.1, Sampled: 20}
	sample.Node("fraud-api").Peer = &Peer{Kind: "service"}
	sample.Node("orders").RED.Rate = 1

	metrics.Merge(deps)
	metrics.Merge(sample)
	if metrics.Node("orders").RED.Rate != 10 {
		t.Error("a sample's figure replaced the metrics'")
	}
	e := metrics.Edge("gateway", "orders")
	if e.RED.Rate != 1 || e.RED.P99 != 0.3 || e.RED.Sampled != 20 {
		t.Errorf("edge: Jaeger's rate (600 calls in 10 min), the sample's latency: %+v", e.RED)
	}
	if !metrics.Node("fraud-api").Uninstrumented() {
		t.Error("the sample's peer is lost")
	}
}
