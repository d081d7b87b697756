package trace

import (
	"reflect"
	"testing"

	"github.com/ariadne-dev/ariadne/datasources"
)

func svcSpan(id, parent, service string, startMs, endMs int64, failed bool) datasources.Span {
	s := sp(id, parent, startMs, endMs)
	s.Resource = &datasources.Resource{Service: service}
	s.Name = "op-" + service
	if failed {
		s.Status = datasources.StatusError
	}
	return s
}

func TestStatsAndServiceGraph(t *testing.T) {
	tr := tree(false,
		svcSpan("a", "", "gateway", 0, 100, true),
		svcSpan("b", "a", "orders", 10, 90, true),
		svcSpan("c", "b", "orders", 20, 30, false), // same service: no edge
		svcSpan("d", "b", "payments", 40, 80, true),
		svcSpan("e", "b", "payments", 81, 85, false),
	)
	services, ops := tr.Stats()
	want := []OpStats{
		{Service: "gateway", Spans: 1, Errors: 1, TotalNs: 100e6, SelfNs: 20e6},
		{Service: "orders", Spans: 2, Errors: 1, TotalNs: 90e6, SelfNs: 36e6},
		{Service: "payments", Spans: 2, Errors: 1, TotalNs: 44e6, SelfNs: 44e6},
	}
	if !reflect.DeepEqual(services, want) {
		t.Errorf("services\n got %+v\nwant %+v", services, want)
	}
	if len(ops) != 3 || ops[1].Operation != "op-orders" || ops[1].Spans != 2 {
		t.Errorf("operations %+v", ops)
	}
	edges, layer := tr.ServiceGraph()
	wantEdges := []ServiceEdge{{"gateway", "orders", 1, 1}, {"orders", "payments", 2, 1}}
	if !reflect.DeepEqual(edges, wantEdges) {
		t.Errorf("edges %+v, want %+v", edges, wantEdges)
	}
	if !reflect.DeepEqual(layer, map[string]int{"gateway": 0, "orders": 1, "payments": 2}) {
		t.Errorf("layers %v", layer)
	}
}

func TestSpanTitle(t *testing.T) {
	attrs := func(kv ...string) []datasources.Attribute {
		var out []datasources.Attribute
		for i := 0; i < len(kv); i += 2 {
			out = append(out, datasources.Attribute{Key: kv[i], Value: kv[i+1]})
		}
		return out
	}
	tests := []struct {
		name  string
		span  datasources.Span
		title string
	}{
		{"http server, new semconv", datasources.Span{Name: "GET /api/orders/{id}", Attrs: attrs("http.request.method", "GET", "http.route", "/api/orders/{id}", "http.response.status_code", "500")}, "GET /api/orders/{id} → 500"},
		{"http, old semconv", datasources.Span{Name: "HTTP POST", Attrs: attrs("http.method", "POST", "http.target", "/charge", "http.status_code", "200")}, "POST /charge → 200"},
		{"http client without route uses its name", datasources.Span{Name: "POST /reserve", Attrs: attrs("http.request.method", "POST")}, "POST /reserve"},
		{"database", datasources.Span{Name: "SELECT inventory", Attrs: attrs("db.system", "postgresql", "db.query.text", "SELECT 1")}, "postgresql SELECT inventory"},
		{"plain", datasources.Span{Name: "compute"}, "compute"},
	}
	for _, tt := range tests {
		if got := SpanTitle(&tt.span); got != tt.title {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.title)
		}
	}
	db := datasources.Span{Attrs: attrs("db.statement", "SELECT old")}
	if Statement(&db) != "SELECT old" {
		t.Error("db.statement fallback")
	}
}
