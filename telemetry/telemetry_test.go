package telemetry

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
)

func env(kv ...string) func(string) string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) string { return m[k] }
}

func TestSettingsFromEnv(t *testing.T) {
	tests := []struct {
		name     string
		env      func(string) string
		endpoint string
		service  string
		err      string
	}{
		{"unset: nothing exported", env(), "", "ariadne", ""},
		{"base endpoint gets the signal's path", env("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318/"), "http://collector:4318/v1/traces", "ariadne", ""},
		{"the path is appended to the base's path", env("OTEL_EXPORTER_OTLP_ENDPOINT", "https://gw/otlp?tenant=a"), "https://gw/otlp/v1/traces?tenant=a", "ariadne", ""},
		{"traces endpoint as it is", env("OTEL_EXPORTER_OTLP_ENDPOINT", "http://a:4318", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "https://b/otlp/traces"), "https://b/otlp/traces", "ariadne", ""},
		{"service name", env("OTEL_EXPORTER_OTLP_ENDPOINT", "http://a:4318", "OTEL_SERVICE_NAME", "ariadne-eu"), "http://a:4318/v1/traces", "ariadne-eu", ""},
		{"exporter none", env("OTEL_EXPORTER_OTLP_ENDPOINT", "http://a:4318", "OTEL_TRACES_EXPORTER", "none"), "", "ariadne", ""},
		{"SDK disabled", env("OTEL_EXPORTER_OTLP_ENDPOINT", "http://a:4318", "OTEL_SDK_DISABLED", "true"), "", "ariadne", ""},
		{"gRPC is refused", env("OTEL_EXPORTER_OTLP_ENDPOINT", "http://a:4317", "OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"), "", "", "OTLP/HTTP only"},
		{"another exporter is refused", env("OTEL_TRACES_EXPORTER", "zipkin"), "", "", "OTLP/HTTP only"},
		{"credentials in the URL", env("OTEL_EXPORTER_OTLP_ENDPOINT", "http://u:p@a:4318"), "", "", "credentials"},
		{"not a URL", env("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "collector:4318"), "", "", "http or https"},
	}
	for _, tt := range tests {
		s, err := SettingsFromEnv(tt.env)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%s: err %v, want %q", tt.name, err, tt.err)
			}
			continue
		}
		if err != nil || s.TracesEndpoint != tt.endpoint || s.ServiceName != tt.service {
			t.Errorf("%s: %+v, %v; want endpoint %q, service %q", tt.name, s, err, tt.endpoint, tt.service)
		}
	}
}

// Without an endpoint nothing is exported and no span records; the
// backends get no traceparent of ours.
func TestOffExportsNothing(t *testing.T) {
	tel, err := Setup(context.Background(), Settings{})
	if err != nil {
		t.Fatal(err)
	}
	if tel.Exporting {
		t.Fatal("exporting without an endpoint")
	}
	_, span := tel.tracer().Start(context.Background(), "x")
	if span.IsRecording() || span.SpanContext().IsValid() {
		t.Error("a span records with telemetry off")
	}
	var got atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got.Store(r.Header.Get("traceparent")) }))
	defer srv.Close()
	hc := &http.Client{Transport: tel.Transport("loki", http.DefaultTransport)}
	resp, err := hc.Get(srv.URL + "/loki/api/v1/labels")
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if v := got.Load(); v != "" {
		t.Errorf("backend got traceparent %q with telemetry off", v)
	}
	if !strings.Contains(scrape(t, tel.Metrics), `ariadne_backend_request_duration_seconds_count{backend="loki",status="2xx"} 1`) {
		t.Error("the backend call was not counted with tracing off")
	}
}

// With an endpoint, spans are posted there over OTLP/HTTP, with
// service.name ariadne.
func TestSetupExportsOverOTLPHTTP(t *testing.T) {
	var posts atomic.Int32
	var body atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && r.URL.Path == "/v1/traces" {
			b, _ := io.ReadAll(r.Body)
			body.Store(string(b))
			posts.Add(1)
		}
	}))
	defer srv.Close()
	s, _ := SettingsFromEnv(env("OTEL_EXPORTER_OTLP_ENDPOINT", srv.URL))
	tel, err := Setup(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	_, span := tel.tracer().Start(context.Background(), "GET /traces/:id")
	span.End()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := tel.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	if posts.Load() == 0 {
		t.Fatal("no spans posted to the OTLP endpoint")
	}
	if b, _ := body.Load().(string); !strings.Contains(b, "ariadne") || !strings.Contains(b, "GET /traces/:id") {
		t.Errorf("posted spans lack the service name or span name")
	}
}

func TestURLTemplate(t *testing.T) {
	for in, want := range map[string]string{
		"/api/v2/traces/4bf92f3577b34da6a3ce929d0e0e4736": "/api/v2/traces/{id}",
		"/api/traces/abc":                                 "/api/traces/{id}",
		"/api/v2/trace/00f067aa0ba902b7":                  "/api/v2/trace/{id}",
		"/api/v3/traces/4bf92f3577b34da6a3ce929d0e0e4736": "/api/v3/traces/{id}",
		"/loki/api/v1/label/service_name/values":          "/loki/api/v1/label/{name}/values",
		"/api/v2/search/tag/resource.service.name/values": "/api/v2/search/tag/{name}/values",
		"/api/services/orders/operations":                 "/api/services/{name}/operations",
		"/loki/api/v1/query_range":                        "/loki/api/v1/query_range",
		"/api/v2/traces":                                  "/api/v2/traces",
		"/api/v1/query":                                   "/api/v1/query",
	} {
		if got := URLTemplate(in); got != want {
			t.Errorf("URLTemplate(%q) = %q, want %q", in, got, want)
		}
	}
}

// A backend call is a client span of the request's trace: named after the
// API path, traceparent sent on, the query kept (truncated) once and not
// in url.full, timed with the trace's exemplar.
func TestTransportSpans(t *testing.T) {
	rec := tracetest.NewSpanRecorder()
	tel := Recording(rec)
	var parentSeen atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		parentSeen.Store(r.Header.Get("traceparent"))
		w.Write([]byte(`{"status":"success"}`))
	}))
	defer srv.Close()
	ctx, parent := tel.tracer().Start(context.Background(), "GET /logs")
	long := `{service_name="orders"} |= "` + strings.Repeat("x", 3000) + `"`
	hc := &http.Client{Transport: tel.Transport("loki", http.DefaultTransport)}
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/loki/api/v1/query_range?"+url.Values{"query": {long}}.Encode(), nil)
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	// Prometheus' client POSTs its queries as a form.
	hp := &http.Client{Transport: tel.Transport("prometheus", http.DefaultTransport)}
	req, _ = http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+"/api/v1/query_range", strings.NewReader(url.Values{"query": {"rate(x[1m])"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err = hp.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	parent.End()

	spans := map[string]sdktrace.ReadOnlySpan{}
	for _, s := range rec.Ended() {
		spans[s.Name()] = s
	}
	loki, ok := spans["GET /loki/api/v1/query_range"]
	if !ok {
		t.Fatalf("no Loki span among %v", names(rec.Ended()))
	}
	if loki.Parent().SpanID() != parent.SpanContext().SpanID() || loki.SpanKind() != trace.SpanKindClient {
		t.Error("the Loki span is not a client child of the request's span")
	}
	a := attrs(loki)
	if q := a["ariadne.query.text"]; len(q) > MaxQueryText || !strings.HasPrefix(q, `{service_name="orders"}`) {
		t.Errorf("query text %d bytes (%.40q…), want at most %d", len(q), q, MaxQueryText)
	}
	if a["peer.service"] != "loki" || a["ariadne.query.language"] != "logql" || strings.Contains(a["url.full"], "?") {
		t.Errorf("attributes %v", a)
	}
	if _, ok := a["http.response.status_code"]; !ok {
		t.Errorf("no semantic-convention status in %v", a)
	}
	if p, _ := parentSeen.Load().(string); !strings.Contains(p, parent.SpanContext().TraceID().String()) {
		t.Errorf("backend got traceparent %q", p)
	}
	prom, ok := spans["POST /api/v1/query_range"]
	if !ok || attrs(prom)["ariadne.query.text"] != "rate(x[1m])" {
		t.Errorf("Prometheus' POSTed query not kept: %v", names(rec.Ended()))
	}
	out := scrape(t, tel.Metrics)
	if !strings.Contains(out, `ariadne_backend_request_duration_seconds_count{backend="loki",status="2xx"} 1`) ||
		!strings.Contains(out, `trace_id="`+parent.SpanContext().TraceID().String()+`"`) {
		t.Errorf("backend histogram without the call or its exemplar:\n%s", grep(out, "ariadne_backend"))
	}
}

func TestBackendErrorsCounted(t *testing.T) {
	m := NewMetrics("ariadne")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/down":
			w.WriteHeader(503)
		case "/missing":
			w.WriteHeader(404)
		}
	}))
	defer srv.Close()
	hc := &http.Client{Transport: (&Telemetry{Metrics: m}).Transport("tempo", http.DefaultTransport)}
	for _, p := range []string{"/down", "/missing"} {
		resp, err := hc.Get(srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	srv.Close()
	if _, err := hc.Get(srv.URL + "/gone"); err == nil {
		t.Fatal("a closed server answered")
	}
	out := scrape(t, m)
	for _, want := range []string{
		`ariadne_backend_request_errors_total{backend="tempo",reason="5xx"} 1`,
		`ariadne_backend_request_duration_seconds_count{backend="tempo",status="4xx"} 1`,
		`ariadne_backend_request_duration_seconds_count{backend="tempo",status="error"} 1`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %s in\n%s", want, grep(out, "ariadne_backend"))
		}
	}
	if strings.Contains(out, `reason="4`) {
		t.Error("a 404 (no such trace) counted as a backend error")
	}
}

func TestLogHandlerAddsTraceAndSpanID(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(LogHandler(slog.NewTextHandler(&buf, nil)))
	tel := Recording(tracetest.NewSpanRecorder())
	ctx, span := tel.tracer().Start(context.Background(), "GET /traces/:id")
	defer span.End()
	tid, sid := span.SpanContext().TraceID().String(), span.SpanContext().SpanID().String()

	log.With("request_id", "r1").ErrorContext(ctx, "panel failed")
	if l := buf.String(); !strings.Contains(l, "trace_id="+tid) || !strings.Contains(l, "span_id="+sid) || !strings.Contains(l, "request_id=r1") {
		t.Errorf("line logged with the span's context: %s", l)
	}
	buf.Reset()
	WithSpan(log.With("request_id", "r2"), ctx).Error("no context here")
	if l := buf.String(); !strings.Contains(l, "trace_id="+tid) || !strings.Contains(l, "request_id=r2") {
		t.Errorf("line logged without a context by a bound logger: %s", l)
	}
	buf.Reset()
	log.Info("outside any request")
	if strings.Contains(buf.String(), "trace_id") {
		t.Errorf("a line outside a span got IDs: %s", buf.String())
	}
}

func TestMetricLabelsBounded(t *testing.T) {
	m := NewMetrics("ariadne")
	m.ObserveRequest(context.Background(), "", "BREW", 418, time.Millisecond)
	out := scrape(t, m)
	if !strings.Contains(out, `http_server_request_duration_seconds_count{method="OTHER",route="unmatched",service="ariadne",status="418"} 1`) {
		t.Errorf("an unknown method or unmatched route is not bounded:\n%s", grep(out, "http_server"))
	}
	m.CacheLookup(CacheTrace, true)
	m.CacheLookup(CacheTrace, false)
	m.PanelTimeout("Loki")
	out = scrape(t, m)
	for _, want := range []string{`ariadne_cache_lookups_total{cache="trace",result="hit"} 1`, `ariadne_cache_lookups_total{cache="trace",result="miss"} 1`, `ariadne_panel_timeouts_total{source="Loki"} 1`} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %s", want)
		}
	}
}

// scrape reads m's exposition as Prometheus asks for it: OpenMetrics,
// which carries the exemplars.
func scrape(t *testing.T, m *Metrics) string {
	t.Helper()
	r := httptest.NewRequest(http.MethodGet, "/metrics", nil)
	r.Header.Set("Accept", "application/openmetrics-text;version=1.0.0")
	w := httptest.NewRecorder()
	m.Handler().ServeHTTP(w, r)
	if !strings.HasPrefix(w.Header().Get("Content-Type"), "application/openmetrics-text") {
		t.Fatalf("content type %q", w.Header().Get("Content-Type"))
	}
	return w.Body.String()
}

func grep(s, substr string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, substr) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

func names(spans []sdktrace.ReadOnlySpan) []string {
	var out []string
	for _, s := range spans {
		out = append(out, s.Name())
	}
	return out
}

func attrs(s sdktrace.ReadOnlySpan) map[string]string {
	m := map[string]string{}
	for _, kv := range s.Attributes() {
		m[string(kv.Key)] = kv.Value.Emit()
	}
	return m
}

// Loki's tail is a WebSocket: through the transport its upgraded body
// stays writable, and the handshake is counted as the call.
func TestTransportKeepsWebSockets(t *testing.T) {
	tel := Recording(tracetest.NewSpanRecorder())
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := websocket.Accept(w, r, nil)
		if err != nil {
			return
		}
		defer c.CloseNow()
		c.Write(r.Context(), websocket.MessageText, []byte("line"))
		c.Read(r.Context())
	}))
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, _, err := websocket.Dial(ctx, srv.URL+"/loki/api/v1/tail", &websocket.DialOptions{
		HTTPClient: &http.Client{Transport: tel.Transport("loki", http.DefaultTransport)}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseNow()
	if _, b, err := c.Read(ctx); err != nil || string(b) != "line" {
		t.Fatalf("read %q, %v", b, err)
	}
	if err := c.Write(ctx, websocket.MessageText, []byte("bye")); err != nil {
		t.Fatalf("the upgraded connection is not writable: %v", err)
	}
	if out := scrape(t, tel.Metrics); !strings.Contains(out, `ariadne_backend_request_duration_seconds_count{backend="loki",status="1xx"} 1`) {
		t.Errorf("the handshake was not counted:\n%s", grep(out, "ariadne_backend"))
	}
}
