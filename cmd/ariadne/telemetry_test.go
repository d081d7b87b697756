package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ariadne-dev/ariadne/store/storetest"
)

// otlpSink is an OTLP/HTTP traces endpoint that keeps what it is sent.
type otlpSink struct {
	*httptest.Server
	mu     sync.Mutex
	bodies []string
}

func newOTLPSink(t *testing.T) *otlpSink {
	s := &otlpSink{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if r.URL.Path == "/v1/traces" {
			s.mu.Lock()
			s.bodies = append(s.bodies, string(b))
			s.mu.Unlock()
		}
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *otlpSink) all() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return strings.Join(s.bodies, "\n")
}

// With OTEL_EXPORTER_OTLP_ENDPOINT set, serve exports its spans there:
// the request's server span (named by route) and its Postgres query,
// flushed at shutdown; with OTEL_TRACES_EXPORTER=none nothing is sent.
func TestServeExportsItsOwnTraces(t *testing.T) {
	sink := newOTLPSink(t)
	db := storetest.NewDatabase(t)
	url, stop, logs := startServe(t, map[string]string{"DATABASE_URL": db, "OTEL_EXPORTER_OTLP_ENDPOINT": sink.URL})
	req, _ := http.NewRequest(http.MethodGet, url+"/investigations", nil)
	req.Header.Set("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
	if resp, err := http.DefaultClient.Do(req); err != nil {
		t.Fatal(err)
	} else {
		io.Copy(io.Discard, resp.Body) // read whole: a page left unread is a 499
		resp.Body.Close()
	}
	// The request is counted once its handler returns, which may be just
	// after the client has read the whole page.
	wants := []*regexp.Regexp{
		regexp.MustCompile(`http_server_request_duration_seconds_bucket\{method="GET",route="/investigations",service="ariadne",status="200",le="[^"]+"\} 1 # \{trace_id="4bf92f3577b34da6a3ce929d0e0e4736"\}`),
		regexp.MustCompile(`ariadne_backend_request_duration_seconds_bucket\{backend="postgres",status="ok",le="[^"]+"\} \d+ # \{trace_id="4bf92f3577b34da6a3ce929d0e0e4736"\}`),
	}
	var b []byte
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		req, _ = http.NewRequest(http.MethodGet, url+"/metrics", nil)
		req.Header.Set("Accept", "application/openmetrics-text;version=1.0.0")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ = io.ReadAll(resp.Body)
		resp.Body.Close()
		if wants[0].Match(b) && wants[1].Match(b) {
			break
		}
	}
	for _, want := range wants {
		if !want.Match(b) {
			t.Errorf("/metrics lacks %s:\n%s", want, b)
		}
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	got := sink.all()
	for _, want := range []string{"ariadne", "GET /investigations", "SELECT investigation_list", "postgresql"} {
		if !strings.Contains(got, want) {
			t.Errorf("exported spans lack %q", want)
		}
	}
	if !strings.Contains(logs.String(), "exporting traces") {
		t.Errorf("no start line says where traces go:\n%s", logs)
	}

	off := newOTLPSink(t)
	url, stop, _ = startServe(t, map[string]string{"DATABASE_URL": db, "OTEL_EXPORTER_OTLP_ENDPOINT": off.URL, "OTEL_TRACES_EXPORTER": "none"})
	if resp, err := http.Get(url + "/investigations"); err == nil {
		resp.Body.Close()
	}
	stop()
	if b := off.all(); b != "" {
		t.Error("spans exported with OTEL_TRACES_EXPORTER=none")
	}
}

// ARIADNE_METRICS_ADDR serves /metrics on a listener of its own; the main
// address then answers 404 for it.
func TestMetricsOnTheirOwnListener(t *testing.T) {
	url, _, logs := startServe(t, map[string]string{"DATABASE_URL": storetest.NewDatabase(t), "ARIADNE_METRICS_ADDR": "127.0.0.1:0"})
	m := regexp.MustCompile(`msg="serving metrics" addr=(\S+)`).FindStringSubmatch(logs.String())
	if m == nil {
		t.Fatalf("no metrics listener in the log:\n%s", logs)
	}
	if resp, err := http.Get(url + "/healthz"); err == nil {
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	resp, err := http.Get(url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("main address /metrics: %d, want 404", resp.StatusCode)
	}
	var body string
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) && !strings.Contains(body, `route="/healthz"`) {
		resp, err := http.Get("http://" + m[1] + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		body = string(b)
	}
	if !strings.Contains(body, `http_server_request_duration_seconds_count{method="GET",route="/healthz",service="ariadne",status="200"} 1`) {
		t.Errorf("metrics listener lacks the main address's request:\n%s", body)
	}
}

func TestMetricsAddrConfig(t *testing.T) {
	for _, tt := range []struct {
		args []string
		env  map[string]string
		want string
	}{
		{nil, map[string]string{"ARIADNE_METRICS_ADDR": "127.0.0.1:9464"}, "127.0.0.1:9464"},
		{[]string{"--ariadne-metrics-addr", "127.0.0.1:9465"}, map[string]string{"ARIADNE_METRICS_ADDR": "127.0.0.1:9464"}, "127.0.0.1:9465"},
		{nil, map[string]string{}, ""},
	} {
		tt.env["DATABASE_URL"] = "postgres://ariadne@127.0.0.1:5432/ariadne"
		c, err := parseConfig(tt.args, envOf(tt.env), io.Discard)
		if err != nil || c.MetricsAddr != tt.want {
			t.Errorf("%v %v: MetricsAddr %q, %v; want %q", tt.args, tt.env, c.MetricsAddr, err, tt.want)
		}
	}
	c, err := parseConfig([]string{"--ariadne-metrics-addr", "127.0.0.1:9464"}, envOf(map[string]string{"DATABASE_URL": "postgres://a@h/d",
		"OTEL_EXPORTER_OTLP_ENDPOINT": "https://collector:4318/?token=s3cr3t", "OTEL_SERVICE_NAME": "ariadne-eu"}), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Join(describeConfig(c), "\n")
	for _, want := range []string{"ARIADNE_METRICS_ADDR=127.0.0.1:9464", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=https://collector:4318/v1/traces", "OTEL_SERVICE_NAME=ariadne-eu"} {
		if !strings.Contains(lines, want) {
			t.Errorf("config check lacks %s:\n%s", want, lines)
		}
	}
	if strings.Contains(lines, "s3cr3t") {
		t.Error("config check prints the endpoint's query")
	}
	_, err = parseConfig([]string{"--ariadne-metrics-addr", "9464"}, envOf(map[string]string{"DATABASE_URL": "postgres://a@h/d"}), io.Discard)
	if err == nil || !strings.Contains(err.Error(), "--ariadne-metrics-addr") {
		t.Errorf("a bad address: %v", err)
	}
	_, err = parseConfig(nil, envOf(map[string]string{"DATABASE_URL": "postgres://a@h/d", "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4317"}), io.Discard)
	if err == nil || !strings.Contains(err.Error(), "OTLP/HTTP only") {
		t.Errorf("OTLP over gRPC: %v", err)
	}
}
