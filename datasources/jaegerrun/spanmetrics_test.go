package jaegerrun

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// With SpanMetrics, Jaeger's spanmetrics connector counts what it
// receives and its prometheus exporter serves the names the service map
// reads by default (servicemap.DefaultMetrics): the connector's v0.140
// defaults through the exporter's suffixes.
func TestSpanMetricsExported(t *testing.T) {
	j := StartTest(t, Options{SpanMetrics: &SpanMetrics{FlushInterval: time.Second}})
	if j.MetricsURL == "" {
		t.Fatal("no MetricsURL")
	}
	now := time.Now().UnixNano()
	body := fmt.Sprintf(`{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"svc"}}]},"scopeSpans":[{"spans":[
{"traceId":"4bf92f3577b34da6a3ce929d0e0e4737","spanId":"00000000000000a1","name":"GET /x","kind":2,"startTimeUnixNano":"%d","endTimeUnixNano":"%d","status":{"code":2}}]}]}]}`, now, now+5e6)
	req, _ := http.NewRequest(http.MethodPost, j.OTLPHTTP+"/v1/traces", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("OTLP push: %v %v", resp, err)
	}
	resp.Body.Close()

	want := []string{
		`traces_span_metrics_calls_total{`,
		`service_name="svc"`, `span_kind="SPAN_KIND_SERVER"`, `status_code="STATUS_CODE_ERROR"`, `span_name="GET /x"`,
		`traces_span_metrics_duration_milliseconds_bucket{`,
		`traces_span_metrics_duration_milliseconds_sum{`,
	}
	deadline := time.Now().Add(15 * time.Second)
	var text string
	for time.Now().Before(deadline) {
		if resp, err := http.Get(j.MetricsURL); err == nil {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			text = string(b)
			ok := true
			for _, w := range want {
				ok = ok && strings.Contains(text, w)
			}
			if ok {
				return
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("metrics lack %q:\n%s\n%s", want, text[:min(len(text), 3000)], j.Logs(20))
}
