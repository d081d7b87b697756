package query

import (
	"strings"
	"testing"
	"time"

	"github.com/ariadne-dev/ariadne/datasources"
)

func TestTraceFilterBuild(t *testing.T) {
	tests := []struct {
		name string
		f    TraceFilter
		want string
		err  string
	}{
		{"empty matches every trace", TraceFilter{}, "{}", ""},
		{"service and errors", TraceFilter{Service: "payments", ErrorsOnly: true}, `{ resource.service.name = "payments" && status = error }`, ""},
		{"span name and durations", TraceFilter{SpanName: "POST /charge", MinDuration: 250 * time.Millisecond, MaxDuration: 2 * time.Second},
			`{ name = "POST /charge" && duration >= 250ms && duration <= 2s }`, ""},
		{"quotes and backslashes are escaped", TraceFilter{Service: `pay"ments\`, SpanName: "a\nb"},
			`{ resource.service.name = "pay\"ments\\" && name = "a\nb" }`, ""},
		{"injection attempt stays a string", TraceFilter{Service: `x" || true || name = "y`},
			`{ resource.service.name = "x\" || true || name = \"y" }`, ""},
		{"attributes: scoped, bare, numbers, booleans", TraceFilter{Attributes: []string{"span.http.response.status_code=500", "order.id = ord-1", "resource.cloud=true", `user.id="abc"`}},
			`{ span.http.response.status_code = 500 && .order.id = "ord-1" && resource.cloud = true && .user.id = "abc" }`, ""},
		{"odd attribute names are quoted", TraceFilter{Attributes: []string{"my key=v"}}, `{ ."my key" = "v" }`, ""},
		{"root intrinsics first", TraceFilter{RootService: "gateway", RootName: "POST /api/checkout", ErrorsOnly: true},
			`{ rootServiceName = "gateway" && rootName = "POST /api/checkout" && status = error }`, ""},
		{"sub-millisecond duration", TraceFilter{MinDuration: 1500 * time.Microsecond}, `{ duration >= 1500us }`, ""},
		{"attribute without value", TraceFilter{Attributes: []string{"order.id"}}, "", "write it as key=value"},
		{"max below min", TraceFilter{MinDuration: time.Second, MaxDuration: time.Millisecond}, "", "below min duration"},
		{"scope without name", TraceFilter{Attributes: []string{"span.=x"}}, "", "attribute name missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.f.Build()
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("got %q (%v)\nwant %q", got, err, tt.want)
			}
		})
	}
}

func TestTraceFilterParams(t *testing.T) {
	f := TraceFilter{Service: "shop", SpanName: "GET /", ErrorsOnly: true, Attributes: []string{"http.route = /cart", `user="ada"`}}
	q, err := f.Params()
	if err != nil || q.Service != "shop" || q.Operation != "GET /" || !q.ErrorsOnly || len(q.Attributes) != 2 ||
		q.Attributes[0] != (datasources.Attribute{Key: "http.route", Value: "/cart"}) || q.Attributes[1].Value != "ada" {
		t.Errorf("%+v, %v", q, err)
	}
	for _, bad := range []string{"status >= 500", "no value", "=x"} {
		if _, err := (TraceFilter{Attributes: []string{bad}}).Params(); err == nil || !strings.Contains(err.Error(), "key=value") {
			t.Errorf("%q: %v, want refused", bad, err)
		}
	}
}
