package query

import (
	"testing"
	"time"

	"github.com/ariadne-dev/ariadne/datasources"
)

func TestTraceFilterMatches(t *testing.T) {
	gw := &datasources.Resource{Service: "gateway", Attributes: []datasources.Attribute{{Key: "deployment.environment", Value: "prod"}}}
	pay := &datasources.Resource{Service: "payments"}
	ms := int64(time.Millisecond)
	checkout := &datasources.Trace{Spans: []datasources.Span{
		{SpanID: "1", Name: "POST /api/checkout", Resource: gw, StartNs: 0, EndNs: 900 * ms,
			Attrs: []datasources.Attribute{{Key: "http.route", Value: "/api/checkout"}}},
		{SpanID: "2", ParentSpanID: "1", Name: "POST /charge", Resource: pay, StartNs: 10 * ms, EndNs: 810 * ms, Status: datasources.StatusError,
			Attrs: []datasources.Attribute{{Key: "http.response.status_code", Value: "504"}}},
	}}
	tests := []struct {
		name string
		f    TraceFilter
		want bool
	}{
		{"empty matches any trace", TraceFilter{}, true},
		{"service and errors on one span", TraceFilter{Service: "payments", ErrorsOnly: true}, true},
		{"service and errors on different spans", TraceFilter{Service: "gateway", ErrorsOnly: true}, false},
		{"min duration of a span", TraceFilter{Service: "payments", MinDuration: 800 * time.Millisecond}, true},
		{"no span that slow", TraceFilter{MinDuration: time.Second}, false},
		{"max duration", TraceFilter{Service: "gateway", MaxDuration: 500 * time.Millisecond}, false},
		{"span name", TraceFilter{SpanName: "POST /charge"}, true},
		{"bare attribute, numeric value", TraceFilter{Attributes: []string{"http.response.status_code=504"}}, true},
		{"quoted value", TraceFilter{Attributes: []string{`http.route = "/api/checkout"`}}, true},
		{"attribute on another span than the service", TraceFilter{Service: "payments", Attributes: []string{"http.route=/api/checkout"}}, false},
		{"resource scope", TraceFilter{Attributes: []string{"resource.deployment.environment=prod"}}, true},
		{"span scope does not read resources", TraceFilter{Attributes: []string{"span.deployment.environment=prod"}}, false},
		{"resource service.name kept apart", TraceFilter{Attributes: []string{"resource.service.name=payments"}}, true},
		{"malformed attribute matches nothing", TraceFilter{Attributes: []string{"order.id"}}, false},
		{"root service and name", TraceFilter{RootService: "gateway", RootName: "POST /api/checkout"}, true},
		{"a child is not the root", TraceFilter{RootService: "payments"}, false},
		{"root name differs", TraceFilter{RootService: "gateway", RootName: "GET /api/orders/{id}"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.f.Matches(checkout); got != tt.want {
				t.Errorf("Matches = %v, want %v", got, tt.want)
			}
		})
	}
	orphans := &datasources.Trace{Spans: []datasources.Span{{SpanID: "2", ParentSpanID: "9", Name: "x", Resource: pay}}}
	if (TraceFilter{RootService: "payments"}).Matches(orphans) || (TraceFilter{}).Matches(&datasources.Trace{}) || (TraceFilter{}).Matches(nil) {
		t.Error("a trace without a root, or without spans, matched")
	}
}

func TestTraceFilterParamsRoot(t *testing.T) {
	q, err := TraceFilter{RootService: "gateway", RootName: "POST /api/checkout"}.Params()
	if err != nil || q.Service != "gateway" || q.Operation != "POST /api/checkout" {
		t.Errorf("%+v, %v: want the root as service and operation", q, err)
	}
	q, _ = TraceFilter{Service: "payments", RootService: "gateway"}.Params()
	if q.Service != "payments" || q.Operation != "" {
		t.Errorf("%+v: the form's service wins", q)
	}
}

func TestTraceFilterRestScope(t *testing.T) {
	for _, c := range []struct{ f, want TraceFilter }{
		{TraceFilter{Service: "payments", ErrorsOnly: true}, TraceFilter{Service: "payments"}},
		{TraceFilter{Service: "gateway", SpanName: "POST /api/checkout", MinDuration: time.Second}, TraceFilter{Service: "gateway", SpanName: "POST /api/checkout"}},
		{TraceFilter{Attributes: []string{"http.route=/x"}}, TraceFilter{}},
		{TraceFilter{Service: "payments"}, TraceFilter{}},
		{TraceFilter{}, TraceFilter{}},
	} {
		if got := c.f.RestScope(); got.Service != c.want.Service || got.SpanName != c.want.SpanName || !got.Empty() && c.want.Empty() {
			t.Errorf("%+v: RestScope %+v, want %+v", c.f, got, c.want)
		}
	}
}
