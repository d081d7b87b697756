package handlers

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/datasources/loki"
	"github.com/ariadne-dev/ariadne/telemetry"
)

const (
	incomingTrace  = "4bf92f3577b34da6a3ce929d0e0e4736"
	incomingParent = "00f067aa0ba902b7"
	secretToken    = "k3yS3cr3tT0k3n"
)

func tracedApp(t *testing.T, opt Options) (*testApp, *tracetest.SpanRecorder) {
	t.Helper()
	rec := tracetest.NewSpanRecorder()
	opt.Telemetry = telemetry.Recording(rec)
	return newApp(t, opt), rec
}

// Each request is one server span named after its route pattern, in the
// trace of the incoming traceparent, with the semantic conventions' HTTP
// attributes.
func TestRequestSpansAreNamedByRoute(t *testing.T) {
	a, rec := tracedApp(t, Options{})
	r := httptest.NewRequest(http.MethodGet, "/traces/zz-not-an-id?from=now-1h", nil)
	r.Header.Set("traceparent", "00-"+incomingTrace+"-"+incomingParent+"-01")
	if w := a.do(t, r); w.Code != http.StatusBadRequest {
		t.Fatalf("status %d", w.Code)
	}
	spans := rec.Ended()
	if len(spans) != 1 {
		t.Fatalf("%d spans, want 1: %v", len(spans), spanNames(spans))
	}
	s := spans[0]
	if s.Name() != "GET /traces/:id" {
		t.Errorf("span name %q, want the route pattern", s.Name())
	}
	if s.SpanContext().TraceID().String() != incomingTrace || s.Parent().SpanID().String() != incomingParent {
		t.Errorf("span in trace %s under %s: the incoming traceparent was not honoured", s.SpanContext().TraceID(), s.Parent().SpanID())
	}
	at := spanAttrs(s)
	for k, want := range map[string]string{"http.route": "/traces/:id", "http.request.method": "GET", "http.response.status_code": "400", "url.path": "/traces/zz-not-an-id"} {
		if at[k] != want {
			t.Errorf("%s = %q, want %q", k, at[k], want)
		}
	}
	if _, ok := at["url.query"]; ok {
		t.Error("the query string is recorded")
	}
}

// A share token reaches no span name, no attribute and no metric label,
// however the path is spelled.
func TestShareTokenNeverInSpansOrMetrics(t *testing.T) {
	a, rec := tracedApp(t, Options{})
	for _, p := range []string{"/s/" + secretToken + "?x=1", "//s/" + secretToken, "/S/" + secretToken, "/%73/" + secretToken, "/s/" + secretToken + "/extra", "/x/../s/" + secretToken} {
		a.get(t, p)
	}
	spans := rec.Ended()
	if len(spans) == 0 {
		t.Fatal("no spans")
	}
	for _, s := range spans {
		if strings.Contains(s.Name(), secretToken) {
			t.Errorf("token in span name %q", s.Name())
		}
		for k, v := range spanAttrs(s) {
			if strings.Contains(v, secretToken) {
				t.Errorf("token in span attribute %s=%q", k, v)
			}
		}
		for _, e := range s.Events() {
			for _, kv := range e.Attributes {
				if strings.Contains(kv.Value.Emit(), secretToken) {
					t.Errorf("token in span event %s", e.Name)
				}
			}
		}
	}
	if !containsName(spans, "GET /s/:token") {
		t.Errorf("share link span not named by its route: %v", spanNames(spans))
	}
	m := a.get(t, "/metrics").Body.String()
	if strings.Contains(m, secretToken) {
		t.Error("token in /metrics")
	}
	if !strings.Contains(m, `route="/s/:token"`) {
		t.Errorf("share requests not counted under their route:\n%s", grepLines(m, "http_server"))
	}
	if strings.Contains(a.logs.String(), secretToken) {
		t.Error("token in the log")
	}
}

// /metrics: request durations per route pattern and status, with the
// trace ID of a sampled request as an exemplar in OpenMetrics.
func TestRequestMetrics(t *testing.T) {
	a, _ := tracedApp(t, Options{})
	a.get(t, "/healthz")
	a.get(t, "/healthz")
	r := httptest.NewRequest(http.MethodGet, "/traces/nope", nil)
	r.Header.Set("traceparent", "00-"+incomingTrace+"-"+incomingParent+"-01")
	a.do(t, r)
	a.get(t, "/no/such/page/4bf92f3577b34da6a3ce929d0e0e4736")

	r = httptest.NewRequest(http.MethodGet, "/metrics", nil)
	r.Header.Set("Accept", "application/openmetrics-text;version=1.0.0")
	w := a.do(t, r)
	if !strings.HasPrefix(w.Header().Get("Content-Type"), "application/openmetrics-text") {
		t.Fatalf("content type %q", w.Header().Get("Content-Type"))
	}
	out := w.Body.String()
	for _, want := range []string{
		`http_server_request_duration_seconds_count{method="GET",route="/healthz",service="ariadne",status="200"} 2`,
		`http_server_request_duration_seconds_count{method="GET",route="/traces/:id",service="ariadne",status="400"} 1`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %s in\n%s", want, grepLines(out, "http_server"))
		}
	}
	if !regexp.MustCompile(`http_server_request_duration_seconds_bucket\{method="GET",route="/traces/:id",service="ariadne",status="400",le="[^"]+"\} 1 # \{trace_id="` + incomingTrace + `"\}`).MatchString(out) {
		t.Errorf("no exemplar with the request's trace ID:\n%s", grepLines(out, `route="/traces/:id"`))
	}
	if strings.Contains(out, "/no/such") || strings.Contains(out, incomingTrace+`",status`) {
		t.Errorf("a path became a label:\n%s", grepLines(out, "http_server"))
	}
	if !strings.Contains(out, `route="unmatched"`) {
		t.Errorf("an unmatched path is not counted as unmatched:\n%s", grepLines(out, "http_server"))
	}
	if strings.Contains(a.logs.String(), "path=/metrics") {
		t.Error("a scrape was logged at info level")
	}
}

// The request log line and the error lines carry the request's trace_id
// and span_id (the server span's), and with telemetry off the incoming
// traceparent's IDs, so a proxy's trace still finds Ariadne's lines.
func TestLogLinesCarryTraceIDs(t *testing.T) {
	a, rec := tracedApp(t, Options{})
	a.e.GET("/fail", func(c echo.Context) error { return context.DeadlineExceeded })
	r := httptest.NewRequest(http.MethodGet, "/fail", nil)
	r.Header.Set("traceparent", "00-"+incomingTrace+"-"+incomingParent+"-01")
	a.do(t, r)
	spans := rec.Ended()
	if len(spans) != 1 {
		t.Fatalf("%d spans", len(spans))
	}
	sid := spans[0].SpanContext().SpanID().String()
	lines := strings.Split(strings.TrimSpace(a.logs.String()), "\n")
	var request, failed bool
	for _, l := range lines {
		if !strings.Contains(l, "trace_id="+incomingTrace) || !strings.Contains(l, "span_id="+sid) {
			t.Errorf("line without the request's trace_id and span_id: %s", l)
		}
		request = request || strings.Contains(l, "msg=request")
		failed = failed || strings.Contains(l, "level=ERROR")
	}
	if !request || !failed {
		t.Errorf("want the request line and an error line:\n%s", a.logs)
	}

	off := newApp(t, Options{})
	r = httptest.NewRequest(http.MethodGet, "/healthz", nil)
	r.Header.Set("traceparent", "00-"+incomingTrace+"-"+incomingParent+"-01")
	off.do(t, r)
	if l := off.logs.String(); !strings.Contains(l, "trace_id="+incomingTrace) || !strings.Contains(l, "span_id="+incomingParent) {
		t.Errorf("with telemetry off the incoming trace context is not in the log: %s", l)
	}
	off.get(t, "/healthz")
	if strings.Count(off.logs.String(), "trace_id=") != 1 {
		t.Errorf("a request without trace context got a trace ID: %s", off.logs)
	}
}

// /metrics is compressed once, by the metrics handler, not again by the
// router's gzip middleware (a scraper would read gzip bytes).
func TestMetricsCompressedOnce(t *testing.T) {
	a := newApp(t, Options{})
	srv := httptest.NewServer(a.e)
	defer srv.Close()
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/metrics", nil)
	req.Header.Set("Accept", "application/openmetrics-text;version=1.0.0")
	resp, err := http.DefaultClient.Do(req) // asks for gzip and decodes it
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if !strings.HasPrefix(string(b), "# HELP") {
		t.Errorf("/metrics reads %q", b[:min(len(b), 8)])
	}
}

// With a metrics listener of its own, the main address has no /metrics.
func TestMetricsOwnListenerLeavesMainAddress(t *testing.T) {
	a := newApp(t, Options{MetricsOwnListener: true})
	if w := a.get(t, "/metrics"); w.Code != http.StatusNotFound {
		t.Errorf("/metrics on the main address: %d, want 404", w.Code)
	}
	b := newApp(t, Options{})
	if w := b.get(t, "/metrics"); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "go_goroutines") {
		t.Errorf("/metrics on the main address by default: %d", w.Code)
	}
}

// A panel that gives up is counted by who was slow.
func TestPanelTimeoutsCounted(t *testing.T) {
	hang := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-hang:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(func() { close(hang); slow.Close() })
	lc, err := loki.New(datasources.Config{URL: slow.URL, Timeout: 30 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	a := newApp(t, Options{PanelTimeout: 100 * time.Millisecond, Loki: lc})
	a.get(t, "/logs?q="+url.QueryEscape(`{service_name="orders"}`))
	if m := a.get(t, "/metrics").Body.String(); !strings.Contains(m, `ariadne_panel_timeouts_total{source="Loki"} 2`) {
		t.Errorf("the two Loki panels' timeouts not counted:\n%s", grepLines(m, "ariadne_panel"))
	}
}

func spanNames(spans []sdktrace.ReadOnlySpan) []string {
	var out []string
	for _, s := range spans {
		out = append(out, s.Name())
	}
	return out
}

func containsName(spans []sdktrace.ReadOnlySpan, name string) bool {
	for _, s := range spans {
		if s.Name() == name {
			return true
		}
	}
	return false
}

func spanAttrs(s sdktrace.ReadOnlySpan) map[string]string {
	m := map[string]string{}
	for _, kv := range s.Attributes() {
		m[string(kv.Key)] = kv.Value.Emit()
	}
	return m
}

func grepLines(s, substr string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, substr) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// The trace cache's lookups are counted: a page's fragment reuses the
// trace the page was rendered from (a hit); a fragment of a trace no
// page showed is fetched (a miss).
func TestCacheLookupsCounted(t *testing.T) {
	a := newTraceApp(t, checkoutTrace())
	a.get(t, "/traces/"+traceHex)
	a.get(t, "/traces/"+traceHex+"/rows?row=0")
	a.get(t, "/traces/0af7651916cd43dd8448eb211c80319c/rows?row=0") // never paged: fetched
	m := a.get(t, "/metrics").Body.String()
	for _, want := range []string{`ariadne_cache_lookups_total{cache="trace",result="hit"} 1`, `ariadne_cache_lookups_total{cache="trace",result="miss"} 1`} {
		if !strings.Contains(m, want) {
			t.Errorf("missing %s in\n%s", want, grepLines(m, "ariadne_cache"))
		}
	}
}
