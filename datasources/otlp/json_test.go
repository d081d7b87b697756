package otlp

import (
	"strings"
	"testing"

	"github.com/ariadne-dev/ariadne/datasources"
)

// The shape Jaeger's /api/v3/traces/{id} puts inside "result": OTLP/JSON
// with hex IDs, enums as numbers, 64-bit integers as strings.
const jaegerV3 = `{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"checkout"}}]},
"scopeSpans":[{"scope":{"name":"test","attributes":[{"key":"tailsampling.policy","value":{"stringValue":"slow"}}]},"spans":[
{"traceId":"4bf92f3577b34da6a3ce929d0e0e4736","spanId":"00000000000000a1","traceState":"ot=th:c","name":"POST /checkout","kind":2,
 "startTimeUnixNano":"1796134347450942430","endTimeUnixNano":"1796134347550942430",
 "attributes":[{"key":"http.route","value":{"stringValue":"/checkout"}},{"key":"n","value":{"intValue":"3"}},{"key":"ok","value":{"boolValue":false}},
  {"key":"ratio","value":{"doubleValue":0.5}},{"key":"tags","value":{"arrayValue":{"values":[{"stringValue":"a"},{"intValue":2}]}}}],
 "events":[{"timeUnixNano":"1796134347500942430","name":"exception","attributes":[{"key":"exception.message","value":{"stringValue":"bad"}}]}],
 "status":{"message":"boom","code":2}},
{"traceId":"4bf92f3577b34da6a3ce929d0e0e4736","spanId":"00000000000000b2","parentSpanId":"00000000000000a1","name":"charge","kind":"SPAN_KIND_CLIENT",
 "startTimeUnixNano":1796134347460942430,"endTimeUnixNano":"1796134347540942430",
 "links":[{"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"00000000000000c3","attributes":[{"key":"opentracing.ref_type","value":{"stringValue":"follows_from"}}]}],"status":{}}
]}]}]}`

func TestDecodeJSON(t *testing.T) {
	td, err := DecodeJSON([]byte(jaegerV3))
	if err != nil {
		t.Fatal(err)
	}
	spans := Convert(td)
	if len(spans) != 2 {
		t.Fatalf("%d spans", len(spans))
	}
	root, child := spans[0], spans[1]
	if root.TraceID != "4bf92f3577b34da6a3ce929d0e0e4736" || root.SpanID != "00000000000000a1" || root.ParentSpanID != "" {
		t.Errorf("root IDs %q %q %q", root.TraceID, root.SpanID, root.ParentSpanID)
	}
	if root.Kind != datasources.KindServer || root.Status != datasources.StatusError || root.StatusMsg() != "boom" || root.Service() != "checkout" {
		t.Errorf("root %+v", root)
	}
	if p, _ := datasources.Attr(child.ScopeAttributes, "tailsampling.policy"); p != "slow" || root.Scope != "test" {
		t.Errorf("scope %q %+v", root.Scope, child.ScopeAttributes)
	}
	if root.TraceState() != "ot=th:c" || child.TraceState() != "" {
		t.Errorf("tracestate %q, %q", root.TraceState(), child.TraceState())
	}
	if root.StartNs != 1796134347450942430 || root.EndNs-root.StartNs != 100_000_000 {
		t.Errorf("root times %d..%d", root.StartNs, root.EndNs)
	}
	got := map[string]string{}
	for _, a := range root.Attributes() {
		got[a.Key] = a.Value
	}
	for k, want := range map[string]string{"http.route": "/checkout", "n": "3", "ok": "false", "ratio": "0.5", "tags": `["a",2]`} {
		if got[k] != want {
			t.Errorf("attribute %s = %q, want %q", k, got[k], want)
		}
	}
	if len(root.Events()) != 1 || root.Events()[0].Name != "exception" {
		t.Errorf("events %+v", root.Events())
	}
	if child.ParentSpanID != "00000000000000a1" || child.Kind != datasources.KindClient || child.StartNs != 1796134347460942430 {
		t.Errorf("child %+v", child)
	}
	if len(child.Links()) != 1 || child.Links()[0].TraceID != "0af7651916cd43dd8448eb211c80319c" || child.Links()[0].SpanID != "00000000000000c3" {
		t.Errorf("links %+v", child.Links())
	}
}

func TestDecodeJSONRefusesBadIDs(t *testing.T) {
	for _, bad := range []string{"zz", "4bf92f3577b34da6", "4bf92f3577b34da6a3ce929d0e0e47"} {
		_, err := DecodeJSON([]byte(`{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"` + bad + `","spanId":"00000000000000a1"}]}]}]}`))
		if bad == "4bf92f3577b34da6" {
			// 16 hex characters: a 64-bit trace ID, as Zipkin-era
			// senders write them.
			if err != nil {
				t.Errorf("64-bit trace ID refused: %v", err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), "traceId") {
			t.Errorf("traceId %q: %v, want an error naming the field", bad, err)
		}
	}
}
