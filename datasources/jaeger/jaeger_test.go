package jaeger

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ariadne-dev/ariadne/datasources"
)

// The classic API's JSON, in the shape Jaeger 1.x's /api/traces/{id}
// answers (as the real Jaeger in integration_test.go answers it too):
// IDs without leading zeros, typed tags, a FOLLOWS_FROM reference to
// another trace, an error tag, a log with an "event" field.
const classicTraceJSON = `{"data":[{"traceID":"a3ce929d0e0e4736","spans":[
{"traceID":"a3ce929d0e0e4736","spanID":"a1","operationName":"GET /cart","references":[],"startTime":1700000000000000,"duration":250000,
 "tags":[{"key":"span.kind","type":"string","value":"server"},{"key":"http.status_code","type":"int64","value":500},{"key":"w3c.tracestate","type":"string","value":"ot=th:8"},{"key":"error","type":"bool","value":true},
  {"key":"ratio","type":"float64","value":0.25},{"key":"cached","type":"bool","value":false}],
 "logs":[{"timestamp":1700000000100000,"fields":[{"key":"event","type":"string","value":"exception"},{"key":"message","type":"string","value":"boom"}]}],
 "processID":"p1","warnings":null},
{"traceID":"a3ce929d0e0e4736","spanID":"b2","operationName":"SELECT","references":[{"refType":"CHILD_OF","traceID":"a3ce929d0e0e4736","spanID":"a1"},
  {"refType":"FOLLOWS_FROM","traceID":"0af7651916cd43dd8448eb211c80319c","spanID":"c3"}],
 "startTime":1700000000010000,"duration":1000,"tags":[{"key":"otel.status_code","type":"string","value":"OK"}],"logs":[],"processID":"p2",
 "warnings":["clock skew adjustment disabled; not applying calculated delta of 35ms"]}],
"processes":{"p1":{"serviceName":"frontend","tags":[{"key":"host.name","type":"string","value":"web-1"}]},"p2":{"serviceName":"db","tags":[]}},"warnings":null}],
"total":0,"limit":0,"offset":0,"errors":null}`

func TestConvertClassic(t *testing.T) {
	trs, err := decodeClassic([]byte(classicTraceJSON))
	if err != nil || len(trs) != 1 {
		t.Fatal(trs, err)
	}
	tr := convertClassic(trs[0])
	if tr.ID != "0000000000000000a3ce929d0e0e4736" || len(tr.Spans) != 2 {
		t.Fatalf("trace %q with %d spans", tr.ID, len(tr.Spans))
	}
	root, db := tr.Spans[0], tr.Spans[1]
	if root.SpanID != "00000000000000a1" || root.ParentSpanID != "" || root.Service() != "frontend" || root.Kind != datasources.KindServer ||
		root.Status != datasources.StatusError || root.StartNs != 1700000000000000000 || root.EndNs-root.StartNs != int64(250*time.Millisecond) {
		t.Errorf("root %+v", root)
	}
	attrs := map[string]string{}
	for _, a := range root.Attributes() {
		attrs[a.Key] = a.Value
	}
	if attrs["http.status_code"] != "500" || attrs["ratio"] != "0.25" || attrs["cached"] != "false" || attrs["span.kind"] != "" || attrs["error"] != "" {
		t.Errorf("root attributes %v (span.kind and error become fields)", attrs)
	}
	if root.TraceState() != "ot=th:8" || attrs[datasources.TraceStateTag] != "" {
		t.Errorf("tracestate %q (the tag becomes the field)", root.TraceState())
	}
	if len(root.Events()) != 1 || root.Events()[0].Name != "exception" || root.Events()[0].Attributes[0].Value != "boom" {
		t.Errorf("events %+v", root.Events())
	}
	if h, _ := datasources.Attr(root.Resource.Attributes, "host.name"); h != "web-1" {
		t.Errorf("process tags %+v", root.Resource)
	}
	if db.ParentSpanID != "00000000000000a1" || db.Status != datasources.StatusOK || db.Service() != "db" {
		t.Errorf("db %+v", db)
	}
	if w, _ := datasources.Attr(db.Attributes(), WarningAttribute); !strings.HasPrefix(w, "clock skew adjustment disabled") {
		t.Errorf("the span's Jaeger warning is lost: %+v", db.Attributes())
	}
	if len(db.Links()) != 1 || db.Links()[0].TraceID != "0af7651916cd43dd8448eb211c80319c" || db.Links()[0].SpanID != "00000000000000c3" {
		t.Errorf("FOLLOWS_FROM is not a link: %+v", db.Links())
	}
}

func TestSearchParams(t *testing.T) {
	start := time.Unix(1700000000, 0)
	tests := []struct {
		name string
		q    datasources.TraceQuery
		want url.Values
	}{
		{"everything", datasources.TraceQuery{Service: "shop", Operation: "GET /", Attributes: []datasources.Attribute{{Key: "b", Value: "2"}, {Key: "a", Value: "1"}},
			MinDuration: 250 * time.Millisecond, MaxDuration: 2 * time.Second, Start: start, End: start.Add(time.Hour), Limit: 20},
			url.Values{"service": {"shop"}, "operation": {"GET /"}, "tags": {`{"a":"1","b":"2"}`}, "minDuration": {"250ms"}, "maxDuration": {"2s"},
				"start": {"1700000000000000"}, "end": {"1700003600000000"}, "limit": {"20"}}},
		{"errors only asks for more and sends no error tag", datasources.TraceQuery{Service: "shop", ErrorsOnly: true, Limit: 20},
			url.Values{"service": {"shop"}, "limit": {"100"}}},
	}
	for _, tt := range tests {
		got, err := SearchParams(tt.q)
		if err != nil || got.Encode() != tt.want.Encode() {
			t.Errorf("%s: %s, %v; want %s", tt.name, got.Encode(), err, tt.want.Encode())
		}
	}
	if _, err := SearchParams(datasources.TraceQuery{}); datasources.ErrorKindOf(err) != datasources.ErrorBadQuery {
		t.Errorf("no service: %v", err)
	}
}

// Errors in both APIs' envelopes map to the vocabulary; a Jaeger without
// the v3 API (a plain 404) is asked on the classic API.
func TestErrorsAndClassicFallback(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string
		kind   datasources.ErrorKind
		says   string
	}{
		{"v3 not found", 404, `{"error":{"httpCode":404,"message":"No traces found"}}`, datasources.ErrorNotFound, "Jaeger has no trace with this ID."},
		{"v3 bad parameter", 400, `{"error":{"httpCode":400,"message":"malformed parameter start_time"}}`, datasources.ErrorBadQuery, "Jaeger: malformed parameter start_time"},
		{"v3 internal", 500, `{"error":{"httpCode":500,"message":"storage unavailable"}}`, datasources.ErrorUnavailable, "Jaeger answered 500 Internal Server Error."},
		{"proxy page", 502, `<html><body><h1>502 Bad Gateway</h1></body></html>`, datasources.ErrorUnavailable, "Jaeger answered 502 Bad Gateway."},
		{"not JSON", 200, `hello`, datasources.ErrorUnavailable, "is JAEGER_URL Jaeger's query service"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(tt.status)
				w.Write([]byte(tt.body))
			}))
			defer s.Close()
			c, _ := New(datasources.Config{URL: s.URL})
			_, err := c.Trace(context.Background(), "4bf92f3577b34da6a3ce929d0e0e4736", time.Time{}, time.Time{})
			if datasources.ErrorKindOf(err) != tt.kind || !strings.Contains(datasources.UserMessage(err), tt.says) {
				t.Errorf("%v (%s), want %s saying %q", err, datasources.UserMessage(err), tt.kind, tt.says)
			}
		})
	}

	// An old Jaeger: /api/v3 is an unknown route (Go's plain 404), the
	// classic API has the trace.
	var asked []string
	old := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked = append(asked, r.URL.Path)
		if strings.HasPrefix(r.URL.Path, "/api/v3/") {
			http.NotFound(w, r)
			return
		}
		w.Write([]byte(classicTraceJSON))
	}))
	defer old.Close()
	c, _ := New(datasources.Config{URL: old.URL, Tenant: "acme"})
	tr, err := c.Trace(context.Background(), "a3ce929d0e0e4736", time.Time{}, time.Time{})
	if err != nil || len(tr.Spans) != 2 || tr.ID != "0000000000000000a3ce929d0e0e4736" {
		t.Fatalf("classic fallback: %v %+v", err, tr)
	}
	if strings.Join(asked, " ") != "/api/v3/traces/0000000000000000a3ce929d0e0e4736 /api/traces/0000000000000000a3ce929d0e0e4736" {
		t.Errorf("asked %v", asked)
	}
}

// Jaeger's tenant header is x-tenant unless configured otherwise.
func TestTenantHeader(t *testing.T) {
	var got http.Header
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Clone()
		w.Write([]byte(`{"data":["shop"]}`))
	}))
	defer s.Close()
	for header, want := range map[string]string{"": "x-tenant", "X-Org": "X-Org"} {
		c, _ := New(datasources.Config{URL: s.URL, Tenant: "acme", TenantHeader: header})
		if _, err := c.Services(context.Background()); err != nil {
			t.Fatal(err)
		}
		if got.Get(want) != "acme" {
			t.Errorf("TenantHeader %q: headers %v, want %s: acme", header, got, want)
		}
	}
}
