package servicemap

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/ariadne-dev/ariadne/datasources"
)

// series is vals at 10 s steps, ending at a fixed instant (only the
// spacing matters to Judge).
func series(vals ...float64) []datasources.Point {
	pts := make([]datasources.Point, len(vals))
	for i, v := range vals {
		pts[i] = datasources.Point{TMs: int64(i) * 10_000, V: v}
	}
	return pts
}

func repeat(v float64, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = v + 0.001*float64(i%3) // a little noise
	}
	return out
}

func TestJudgeAgainstOwnBaseline(t *testing.T) {
	slow := append(repeat(0.8, 20), 0.82)    // always 800 ms: slow, but usual
	fast := append(repeat(0.01, 20), 0.3)    // 10 ms, now 300 ms: 30×
	wobble := append(repeat(0.05, 20), 0.06) // within its noise and under +50 %
	for _, tc := range []struct {
		name   string
		s      Signals
		want   Level
		reason string
	}{
		{"slow as usual is healthy", Signals{StepMs: 10_000, Mean: series(slow...)}, Healthy, ""},
		{"fast service slowed down", Signals{StepMs: 10_000, Mean: series(fast...)}, Failing, "mean latency 300 ms, 30× its usual 10.0 ms"},
		{"a wobble is not a problem", Signals{StepMs: 10_000, Mean: series(wobble...)}, Healthy, ""},
		{"too short a history is not judged", Signals{StepMs: 10_000, Mean: series(0.01, 0.02, 5)}, Unjudged, ""},
		{"errors far above usual", Signals{StepMs: 10_000, Errors: series(append(repeat(0.02, 20), 0.09)...)}, Failing, "error rate 9.0%"},
		{"a tiny error share is not called out", Signals{StepMs: 10_000, Errors: series(append(repeat(0, 20), 0.004)...)}, Healthy, ""},
		// During a spike filling half the range, the calm half is still the
		// baseline (the lower half's median), so the spike is seen.
		{"half the range in a spike", Signals{StepMs: 10_000, Mean: series(append(append(repeat(0.02, 10), repeat(0.5, 9)...), 0.5)...)}, Failing, "24× its usual"},
		{"NaN gaps are skipped", Signals{StepMs: 10_000, Mean: series(append(append(repeat(0.02, 10), math.NaN()), 0.2)...)}, Failing, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := Judge(tc.s)
			if h.Level != tc.want {
				t.Fatalf("level %v (%q), want %v", h.Level.Word(), h.Reason, tc.want.Word())
			}
			if !strings.Contains(h.Reason, tc.reason) {
				t.Errorf("reason %q, want it to contain %q", h.Reason, tc.reason)
			}
		})
	}
}

func TestWorstFirst(t *testing.T) {
	m := &Map{}
	for name, h := range map[string]Health{
		"gateway":          {Level: Failing, Score: 4},
		"inventory":        {Level: Failing, Score: 30},
		"payments":         {Level: Degraded, Score: 1.8},
		"orders":           {Level: Healthy},
		"payment-provider": {Level: Unjudged},
	} {
		m.addNode(name).Health = h
	}
	var got []string
	for _, n := range m.Worst(5) {
		got = append(got, n.Name)
	}
	if strings.Join(got, ",") != "inventory,gateway,payments" {
		t.Errorf("worst %v", got)
	}
	if len(m.Worst(1)) != 1 {
		t.Errorf("Worst(1) gives one")
	}
}

func TestFromNodeMetrics(t *testing.T) {
	at := func(v ...float64) []datasources.Point { return series(v...) }
	r := NodeResults{
		Rate:   []datasources.Series{{Labels: map[string]string{"service_name": "orders"}, Points: at(10, 10, 20)}, {Labels: map[string]string{"service_name": "gateway"}, Points: at(5, 5, 5)}},
		Errors: []datasources.Series{{Labels: map[string]string{"service_name": "orders"}, Points: at(1, 0, 5)}},
		P99:    []datasources.Series{{Labels: map[string]string{"service_name": "orders"}, Points: at(0.1, 0.1, math.NaN())}},
	}
	m := FromNodeMetrics(r, "service_name", 10_000)
	o, g := m.Node("orders"), m.Node("gateway")
	if o == nil || g == nil {
		t.Fatalf("nodes %+v", m.Nodes)
	}
	if o.RED.Rate != 20 || o.RED.Errors != 0.25 || o.RED.P99 != 0.1 || !math.IsNaN(o.RED.Mean) {
		t.Errorf("orders RED %+v (p99: the last finite point; mean unknown)", o.RED)
	}
	if g.RED.Errors != 0 || len(g.Series.Errors) != 3 || g.Series.Errors[0].V != 0 {
		t.Errorf("a service without failures has a zero error series: %+v", g.Series.Errors)
	}
}

func TestQueriesUseTheConfiguredNames(t *testing.T) {
	m := DefaultMetrics()
	w := NewWindow(time.Unix(0, 0), time.Unix(3600, 0))
	if w.Step != 2*time.Minute || w.Rate != 6*time.Minute {
		t.Errorf("window %+v", w)
	}
	otel := m.SpanMetrics[1].NodeQueries(w, "")
	if want := `sum by (service_name) (rate(traces_span_metrics_calls_total{span_kind="SPAN_KIND_SERVER", status_code="STATUS_CODE_ERROR"}[360s]))`; otel.Errors != want {
		t.Errorf("errors %s\nwant   %s", otel.Errors, want)
	}
	if !strings.HasSuffix(otel.P99, "/ 1000") || !strings.Contains(otel.Mean, "traces_span_metrics_duration_milliseconds_sum") {
		t.Errorf("milliseconds not scaled to seconds: %s / %s", otel.P99, otel.Mean)
	}
	ops := m.SpanMetrics[0].NodeQueries(w, `pay"ments`)
	if !strings.Contains(ops.Rate, `sum by (span_name)`) || !strings.Contains(ops.Rate, `service="pay\"ments"`) {
		t.Errorf("one service's operations: %s", ops.Rate)
	}
	e := m.ServiceGraph.EdgeQueries(w)
	if want := `histogram_quantile(0.99, sum by (client, server, le) (rate(traces_service_graph_request_server_seconds_bucket[360s])))`; e.P99 != want {
		t.Errorf("edge p99 %s", e.P99)
	}
	bad := Metrics{SpanMetrics: []SpanMetrics{{Calls: "x{y}", Bucket: "b_bucket"}}}.WithDefaults()
	if err := bad.Validate(); err == nil {
		t.Error("a metric name with a selector in it is accepted")
	}
	if err := DefaultMetrics().Validate(); err != nil {
		t.Error(err)
	}
}
