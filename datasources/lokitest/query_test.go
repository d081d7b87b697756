package lokitest_test

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/ariadne-dev/ariadne/datasources/loki"
	"github.com/ariadne-dev/ariadne/datasources/lokitest"
)

// shop pushes a small shop: checkout (logfmt), payment (JSON) and a
// frontend, with trace ids in lines and as structured metadata.
func shop(t *testing.T, srv *lokitest.Server) {
	t.Helper()
	mustPush(t, srv, map[string]string{"service_name": "checkout", "namespace": "shop"},
		lokitest.Entry{Time: at(1), Line: `level=info msg="order placed" order_id=8790 status=201`},
		lokitest.Entry{Time: at(2), Line: `level=error msg="card service timeout" order_id=8790 status=504 trace_id=0af7651916cd43dd8448eb211c80319c`,
			Metadata: map[string]string{"trace_id": "0af7651916cd43dd8448eb211c80319c"}},
		lokitest.Entry{Time: at(3), Line: `GET /healthz 200`},
		lokitest.Entry{Time: at(4), Line: `level=error msg="payment declined" order_id=8812 status=402 trace_id=4bf92f3577b34da6a3ce929d0e0e4736`,
			Metadata: map[string]string{"trace_id": "4bf92f3577b34da6a3ce929d0e0e4736", "span_id": "00f067aa0ba902b7"}},
	)
	mustPush(t, srv, map[string]string{"service_name": "payment", "namespace": "shop"},
		lokitest.Entry{Time: at(2.5), Line: `{"level":"warn","msg":"retrying","http":{"status":503},"trace_id":"4bf92f3577b34da6a3ce929d0e0e4736"}`},
		lokitest.Entry{Time: at(5), Line: `{"level":"debug","msg":"PANIC averted"}`},
	)
	mustPush(t, srv, map[string]string{"service_name": "frontend", "namespace": "shop"},
		lokitest.Entry{Time: at(6), Line: `served /cart in 12ms`},
	)
	mustPush(t, srv, map[string]string{"service_name": "load-generator", "namespace": "shop"},
		lokitest.Entry{Time: at(7), Line: `sent 100 requests`},
	)
}

func TestLogQueries(t *testing.T) {
	srv, c := newPair(t)
	shop(t, srv)
	tests := []struct {
		expr string
		want []string // lines, newest first
	}{
		{`{service_name="frontend"}`, []string{"served /cart in 12ms"}},
		{`{namespace="shop", service_name!~"load-.*|checkout|payment"}`, []string{"served /cart in 12ms"}},
		{`{service_name=~"front.+|load-generator"}`, []string{"sent 100 requests", "served /cart in 12ms"}},
		// =~ is anchored: "end" matches no service.
		{`{service_name=~"end"}`, nil},
		{`{namespace="shop", service_name!="checkout", service_name!="payment"}`, []string{"sent 100 requests", "served /cart in 12ms"}},
		{`{namespace="shop"} |= "4bf92f3577b34da6a3ce929d0e0e4736"`, []string{
			`level=error msg="payment declined" order_id=8812 status=402 trace_id=4bf92f3577b34da6a3ce929d0e0e4736`,
			`{"level":"warn","msg":"retrying","http":{"status":503},"trace_id":"4bf92f3577b34da6a3ce929d0e0e4736"}`}},
		{`{service_name="checkout"} != "healthz" |= "error" != "timeout"`, []string{
			`level=error msg="payment declined" order_id=8812 status=402 trace_id=4bf92f3577b34da6a3ce929d0e0e4736`}},
		// |~ is unanchored and takes (?i).
		{`{namespace="shop"} |~ "(?i)panic|timeout"`, []string{`{"level":"debug","msg":"PANIC averted"}`,
			`level=error msg="card service timeout" order_id=8790 status=504 trace_id=0af7651916cd43dd8448eb211c80319c`}},
		{`{service_name="checkout"} !~ "GET /health(z)?"`, []string{
			`level=error msg="payment declined" order_id=8812 status=402 trace_id=4bf92f3577b34da6a3ce929d0e0e4736`,
			`level=error msg="card service timeout" order_id=8790 status=504 trace_id=0af7651916cd43dd8448eb211c80319c`,
			`level=info msg="order placed" order_id=8790 status=201`}},
		{`{service_name="checkout"} | logfmt | level="error" | msg=~".*declined"`, []string{
			`level=error msg="payment declined" order_id=8812 status=402 trace_id=4bf92f3577b34da6a3ce929d0e0e4736`}},
		{`{service_name="payment"} | json | http_status >= 500`, []string{
			`{"level":"warn","msg":"retrying","http":{"status":503},"trace_id":"4bf92f3577b34da6a3ce929d0e0e4736"}`}},
		{`{service_name="payment"} | json | level!="debug"`, []string{
			`{"level":"warn","msg":"retrying","http":{"status":503},"trace_id":"4bf92f3577b34da6a3ce929d0e0e4736"}`}},
		// The JSON line matches by its parsed field; the logfmt line fails
		// to parse as JSON but matches by its structured metadata.
		{`{namespace="shop"} | json | trace_id="4bf92f3577b34da6a3ce929d0e0e4736"`, []string{
			`level=error msg="payment declined" order_id=8812 status=402 trace_id=4bf92f3577b34da6a3ce929d0e0e4736`,
			`{"level":"warn","msg":"retrying","http":{"status":503},"trace_id":"4bf92f3577b34da6a3ce929d0e0e4736"}`}},
		// Structured metadata is filterable without a parser.
		{`{namespace="shop"} | trace_id="4bf92f3577b34da6a3ce929d0e0e4736"`, []string{
			`level=error msg="payment declined" order_id=8812 status=402 trace_id=4bf92f3577b34da6a3ce929d0e0e4736`}},
		{`{service_name="checkout"} | logfmt | status >= 500 or level="info"`, []string{
			`level=error msg="card service timeout" order_id=8790 status=504 trace_id=0af7651916cd43dd8448eb211c80319c`,
			`level=info msg="order placed" order_id=8790 status=201`}},
		{`{service_name="checkout"} | logfmt | status > 400, status < 500`, []string{
			`level=error msg="payment declined" order_id=8812 status=402 trace_id=4bf92f3577b34da6a3ce929d0e0e4736`}},
		// "GET /healthz 200" does not parse as JSON: only __error__="" drops it.
		{`{service_name="checkout"} | json | __error__=""`, nil},
		{`{service_name="checkout"} |= "healthz" | json | __error__="JSONParserErr"`, []string{`GET /healthz 200`}},
		{`{service_name="checkout"} | logfmt | level="info" | line_format "{{.level}}: {{.msg}} ({{.order_id}})"`, []string{"info: order placed (8790)"}},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			got := lines(queryLines(t, c, window(tt.expr, 100)))
			if !slices.Equal(got, tt.want) && !(len(got) == 0 && len(tt.want) == 0) {
				t.Errorf("got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestCategorizedLabels(t *testing.T) {
	srv, c := newPair(t)
	shop(t, srv)
	ls := queryLines(t, c, window(`{service_name="checkout"} | logfmt | level="error" | drop order_id`, 1))
	if len(ls) != 1 {
		t.Fatalf("got %d lines", len(ls))
	}
	l := ls[0]
	wantLabels := map[string]string{"namespace": "shop", "service_name": "checkout"}
	wantSM := map[string]string{"trace_id": "4bf92f3577b34da6a3ce929d0e0e4736", "span_id": "00f067aa0ba902b7"}
	// The line's own trace_id clashes with structured metadata, not with
	// a stream label, so it stays trace_id (parsed).
	wantParsed := map[string]string{"level": "error", "msg": "payment declined", "status": "402", "trace_id": "4bf92f3577b34da6a3ce929d0e0e4736"}
	if l.TimeNs != at(4).UnixNano() || !maps.Equal(l.Labels, wantLabels) || !maps.Equal(l.Parsed, wantParsed) {
		t.Errorf("line = %+v", l)
	}
	if sm := l.StructuredMetadata; sm["span_id"] != wantSM["span_id"] || len(sm) != 1 {
		// trace_id was overwritten by the parsed value of the same name.
		t.Errorf("structured metadata = %v, want only span_id left", sm)
	}
}

func TestParsedKeyClashingWithStreamLabel(t *testing.T) {
	srv, c := newPair(t)
	mustPush(t, srv, map[string]string{"service_name": "api", "level": "info"},
		lokitest.Entry{Time: at(1), Line: `{"level":"error","caller":"main.go:12"}`})
	ls := queryLines(t, c, window(`{service_name="api"} | json | level_extracted="error"`, 10))
	if len(ls) != 1 || ls[0].Labels["level"] != "info" || ls[0].Parsed["level_extracted"] != "error" || ls[0].Parsed["caller"] != "main.go:12" {
		t.Fatalf("lines = %+v", ls)
	}
}

func TestDirectionLimitAndRangeBounds(t *testing.T) {
	srv, c := newPair(t)
	for i := range 10 {
		mustPush(t, srv, map[string]string{"app": "a", "pod": string(rune('0' + i%2))},
			lokitest.Entry{Time: at(float64(i)), Line: "line " + string(rune('0'+i))})
	}
	tests := []struct {
		name string
		q    loki.Query
		want string
	}{
		{"backward newest first over streams", loki.Query{Expr: `{app="a"}`, Start: at(0), End: at(100), Limit: 3}, "line 9,line 8,line 7"},
		{"forward oldest first", loki.Query{Expr: `{app="a"}`, Start: at(0), End: at(100), Limit: 3, Direction: loki.Forward}, "line 0,line 1,line 2"},
		{"start inclusive, end exclusive", loki.Query{Expr: `{app="a"}`, Start: at(2), End: at(5), Limit: 100}, "line 4,line 3,line 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := strings.Join(lines(queryLines(t, c, tt.q)), ",")
			if got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}
