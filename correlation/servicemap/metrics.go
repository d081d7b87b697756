package servicemap

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/ariadne-dev/ariadne/correlation/query"
	"github.com/ariadne-dev/ariadne/datasources"
)

// SpanMetrics names one writer's span metrics: a calls counter and a
// duration histogram per service, span name, kind and status.
type SpanMetrics struct {
	Name   string `yaml:"name"`   // who writes them, for the page: "Tempo metrics-generator"
	Calls  string `yaml:"calls"`  // counter
	Bucket string `yaml:"bucket"` // histogram buckets (its _sum and _count are read beside it)
	// Unit is the histogram's unit: "s" or "ms".
	Unit         string `yaml:"unit"`
	ServiceLabel string `yaml:"service_label"`
	SpanLabel    string `yaml:"span_name_label"`
	KindLabel    string `yaml:"span_kind_label"`
	StatusLabel  string `yaml:"status_code_label"`
	ServerKind   string `yaml:"server_kind"`  // the kind label's value for server spans
	ErrorStatus  string `yaml:"error_status"` // the status label's value for failures
}

// ServiceGraph names the service-graph metrics (Tempo metrics-generator's
// service_graphs processor): one counter of requests per client and
// server, one of failures, and the latency histograms each side measured.
type ServiceGraph struct {
	Requests     string `yaml:"requests"`
	Failed       string `yaml:"failed"`
	ServerBucket string `yaml:"server_bucket"`
	ClientBucket string `yaml:"client_bucket"`
	ClientLabel  string `yaml:"client_label"`
	ServerLabel  string `yaml:"server_label"`
}

// Metrics is where the map reads Prometheus: the service graph, then each
// span-metrics writer in order (the first with data wins).
type Metrics struct {
	ServiceGraph ServiceGraph  `yaml:"service_graph"`
	SpanMetrics  []SpanMetrics `yaml:"span_metrics"`
}

// DefaultMetrics are the names Tempo's metrics-generator writes and those
// the OpenTelemetry Collector's spanmetrics connector (v0.140, the one in
// Jaeger v1.76) writes through its prometheus exporter: its default
// namespace traces.span.metrics, its default unit ms (the exporter appends
// the unit and _total), service.name as service_name.
func DefaultMetrics() Metrics {
	return Metrics{
		ServiceGraph: ServiceGraph{
			Requests:     "traces_service_graph_request_total",
			Failed:       "traces_service_graph_request_failed_total",
			ServerBucket: "traces_service_graph_request_server_seconds_bucket",
			ClientBucket: "traces_service_graph_request_client_seconds_bucket",
			ClientLabel:  "client", ServerLabel: "server",
		},
		SpanMetrics: []SpanMetrics{{
			Name: "Tempo metrics-generator", Calls: "traces_spanmetrics_calls_total", Bucket: "traces_spanmetrics_latency_bucket", Unit: "s",
			ServiceLabel: "service", SpanLabel: "span_name", KindLabel: "span_kind", StatusLabel: "status_code",
			ServerKind: "SPAN_KIND_SERVER", ErrorStatus: "STATUS_CODE_ERROR",
		}, {
			Name: "OpenTelemetry spanmetrics connector", Calls: "traces_span_metrics_calls_total", Bucket: "traces_span_metrics_duration_milliseconds_bucket", Unit: "ms",
			ServiceLabel: "service_name", SpanLabel: "span_name", KindLabel: "span_kind", StatusLabel: "status_code",
			ServerKind: "SPAN_KIND_SERVER", ErrorStatus: "STATUS_CODE_ERROR",
		}},
	}
}

// WithDefaults fills every name m leaves empty from DefaultMetrics (a
// writer without a name takes the first default's labels).
func (m Metrics) WithDefaults() Metrics {
	d := DefaultMetrics()
	g, dg := &m.ServiceGraph, d.ServiceGraph
	for _, f := range []struct {
		v *string
		d string
	}{{&g.Requests, dg.Requests}, {&g.Failed, dg.Failed}, {&g.ServerBucket, dg.ServerBucket},
		{&g.ClientBucket, dg.ClientBucket}, {&g.ClientLabel, dg.ClientLabel}, {&g.ServerLabel, dg.ServerLabel}} {
		if *f.v == "" {
			*f.v = f.d
		}
	}
	if len(m.SpanMetrics) == 0 {
		m.SpanMetrics = d.SpanMetrics
	}
	for i := range m.SpanMetrics {
		s, ds := &m.SpanMetrics[i], d.SpanMetrics[0]
		for _, f := range []struct {
			v *string
			d string
		}{{&s.Name, s.Calls}, {&s.Unit, ds.Unit}, {&s.ServiceLabel, ds.ServiceLabel},
			{&s.SpanLabel, ds.SpanLabel}, {&s.KindLabel, ds.KindLabel}, {&s.StatusLabel, ds.StatusLabel},
			{&s.ServerKind, ds.ServerKind}, {&s.ErrorStatus, ds.ErrorStatus}} {
			if *f.v == "" {
				*f.v = f.d
			}
		}
	}
	return m
}

// Validate says what is wrong with m (after WithDefaults): a name that is
// not a metric or label name would make every query a syntax error.
func (m Metrics) Validate() error {
	check := func(what, v string) error {
		if !metricName(v) {
			return fmt.Errorf("%s %q is not a Prometheus metric or label name", what, v)
		}
		return nil
	}
	g := m.ServiceGraph
	for _, f := range [][2]string{{"service_graph.requests", g.Requests}, {"service_graph.failed", g.Failed},
		{"service_graph.server_bucket", g.ServerBucket}, {"service_graph.client_bucket", g.ClientBucket},
		{"service_graph.client_label", g.ClientLabel}, {"service_graph.server_label", g.ServerLabel}} {
		if err := check(f[0], f[1]); err != nil {
			return err
		}
	}
	for i, s := range m.SpanMetrics {
		p := fmt.Sprintf("span_metrics[%d].", i)
		for _, f := range [][2]string{{"calls", s.Calls}, {"bucket", s.Bucket}, {"service_label", s.ServiceLabel},
			{"span_name_label", s.SpanLabel}, {"span_kind_label", s.KindLabel}, {"status_code_label", s.StatusLabel}} {
			if err := check(p+f[0], f[1]); err != nil {
				return err
			}
		}
		if !strings.HasSuffix(s.Bucket, "_bucket") {
			return fmt.Errorf("%sbucket %q must end in _bucket", p, s.Bucket)
		}
		if s.Unit != "s" && s.Unit != "ms" {
			return fmt.Errorf("%sunit %q must be s or ms", p, s.Unit)
		}
	}
	return nil
}

func metricName(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if !(r == '_' || r == ':' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// Window is the range a map covers and how finely its health is judged.
type Window struct {
	From, To time.Time
	// Step is the spacing of the health series, and Rate their rate()
	// window: the latest point says how the service is doing now.
	Step, Rate time.Duration
}

// NewWindow chooses the step and rate window for [from, to]: about 30
// points over the range (FindSpikes needs 8), each a rate over 3 steps,
// never under 30 s (two scrapes at Prometheus's usual 15 s).
func NewWindow(from, to time.Time) Window {
	d := to.Sub(from)
	step := max((d / 30).Truncate(time.Second), 5*time.Second)
	return Window{From: from, To: to, Step: step, Rate: max(3*step, 30*time.Second)}
}

// NodeQueries are the PromQL for the nodes' RED series from one writer.
type NodeQueries struct{ Rate, Errors, P99, Mean string }

// NodeQueries writes s's per-service series of server-span rate,
// failure rate, p99 and mean duration; service, when set, narrows them
// to one service and splits them by span name (its operations).
func (s SpanMetrics) NodeQueries(w Window, service string) NodeQueries {
	by := s.ServiceLabel
	sel := s.KindLabel + `="` + query.PromLabelValue(s.ServerKind) + `"`
	if service != "" {
		by = s.SpanLabel
		sel += `, ` + s.ServiceLabel + `="` + query.PromLabelValue(service) + `"`
	}
	errSel := sel + `, ` + s.StatusLabel + `="` + query.PromLabelValue(s.ErrorStatus) + `"`
	rw := promDuration(w.Rate)
	base := strings.TrimSuffix(s.Bucket, "_bucket")
	scale := ""
	if s.Unit == "ms" {
		scale = " / 1000"
	}
	rate := func(metric, sel string) string { return "rate(" + metric + "{" + sel + "}[" + rw + "])" }
	return NodeQueries{
		Rate:   "sum by (" + by + ") (" + rate(s.Calls, sel) + ")",
		Errors: "sum by (" + by + ") (" + rate(s.Calls, errSel) + ")",
		P99:    "histogram_quantile(0.99, sum by (" + by + ", le) (" + rate(s.Bucket, sel) + "))" + scale,
		Mean:   "sum by (" + by + ") (" + rate(base+"_sum", sel) + ") / sum by (" + by + ") (" + rate(base+"_count", sel) + ")" + scale,
	}
}

// EdgeQueries are the PromQL for the edges' RED series.
type EdgeQueries struct{ Rate, Errors, P99 string }

// EdgeQueries writes the service graph's per-edge request rate, failure
// rate and server-measured p99.
func (g ServiceGraph) EdgeQueries(w Window) EdgeQueries {
	by := g.ClientLabel + ", " + g.ServerLabel
	rw := promDuration(w.Rate)
	return EdgeQueries{
		Rate:   "sum by (" + by + ") (rate(" + g.Requests + "[" + rw + "]))",
		Errors: "sum by (" + by + ") (rate(" + g.Failed + "[" + rw + "]))",
		P99:    "histogram_quantile(0.99, sum by (" + by + ", le) (rate(" + g.ServerBucket + "[" + rw + "])))",
	}
}

// PreviousEdges is the PromQL for the edges called in the day before at
// (evaluate it at at): what NewEdges compares with.
func (g ServiceGraph) PreviousEdges() string {
	return "sum by (" + g.ClientLabel + ", " + g.ServerLabel + ") (increase(" + g.Requests + "[1d])) > 0"
}

func promDuration(d time.Duration) string {
	return fmt.Sprintf("%ds", int64(max(d, time.Second)/time.Second))
}

// NodeResults are the answers to NodeQueries, series by series.
type NodeResults struct{ Rate, Errors, P99, Mean []datasources.Series }

// FromNodeMetrics builds the nodes from s's series: each service's latest
// figures as its RED, and the whole series as its health signals. label
// is the label the queries grouped by (ServiceLabel, or SpanLabel for
// one service's operations).
func FromNodeMetrics(r NodeResults, label string, stepMs int64) *Map {
	m := &Map{}
	byName := func(ss []datasources.Series, set func(n *Node, pts []datasources.Point)) {
		for _, s := range ss {
			name := s.Labels[label]
			if name == "" {
				continue
			}
			set(m.addNode(name), s.Points)
		}
	}
	rates := map[string][]datasources.Point{}
	byName(r.Rate, func(n *Node, pts []datasources.Point) {
		rates[n.Name] = pts
		n.RED.Rate = lastOr(pts)
		n.RED.Errors = 0 // no failure series means none failed
	})
	byName(r.Errors, func(n *Node, pts []datasources.Point) {
		n.Series.Errors = ratio(pts, rates[n.Name])
		n.RED.Errors = lastOr(n.Series.Errors)
	})
	byName(r.P99, func(n *Node, pts []datasources.Point) { n.Series.P99 = pts; n.RED.P99 = lastOr(pts) })
	byName(r.Mean, func(n *Node, pts []datasources.Point) { n.Series.Mean = pts; n.RED.Mean = lastOr(pts) })
	for i := range m.Nodes {
		m.Nodes[i].Series.StepMs = stepMs
		if m.Nodes[i].Series.Errors == nil {
			// Never failed: a flat zero series, judged like any other.
			m.Nodes[i].Series.Errors = ratio(nil, rates[m.Nodes[i].Name])
		}
	}
	return m
}

// EdgeResults are the answers to EdgeQueries.
type EdgeResults struct{ Rate, Errors, P99 []datasources.Series }

// FromEdgeMetrics builds the edges from the service graph's series.
func FromEdgeMetrics(r EdgeResults, g ServiceGraph) *Map {
	m := &Map{}
	each := func(ss []datasources.Series, set func(e *Edge, pts []datasources.Point)) {
		for _, s := range ss {
			c, sv := s.Labels[g.ClientLabel], s.Labels[g.ServerLabel]
			if c == "" || sv == "" {
				continue
			}
			set(m.addEdge(c, sv), s.Points)
		}
	}
	rates := map[[2]string][]datasources.Point{}
	each(r.Rate, func(e *Edge, pts []datasources.Point) {
		rates[[2]string{e.Client, e.Server}] = pts
		e.RED.Rate, e.RED.Errors = lastOr(pts), 0
	})
	each(r.Errors, func(e *Edge, pts []datasources.Point) {
		e.RED.Errors = lastOr(ratio(pts, rates[[2]string{e.Client, e.Server}]))
	})
	each(r.P99, func(e *Edge, pts []datasources.Point) { e.RED.P99 = lastOr(pts) })
	return m
}

// EdgePairs reads PreviousEdges's answer.
func (g ServiceGraph) EdgePairs(ss []datasources.Series) [][2]string {
	var out [][2]string
	for _, s := range ss {
		if c, sv := s.Labels[g.ClientLabel], s.Labels[g.ServerLabel]; c != "" && sv != "" {
			out = append(out, [2]string{c, sv})
		}
	}
	return out
}

// ratio divides num by den point by point (matched by time); a step with
// calls and no failure series is 0, one without calls a gap.
func ratio(num, den []datasources.Point) []datasources.Point {
	at := make(map[int64]float64, len(num))
	for _, p := range num {
		at[p.TMs] = p.V
	}
	out := make([]datasources.Point, 0, len(den))
	for _, d := range den {
		v := math.NaN()
		if d.V > 0 {
			v = at[d.TMs] / d.V
		}
		out = append(out, datasources.Point{TMs: d.TMs, V: v})
	}
	return out
}

func lastOr(pts []datasources.Point) float64 {
	if v, ok := latest(pts); ok {
		return v
	}
	return math.NaN()
}
