package demo

import (
	"context"
	"encoding/json"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/grafana/loki-client-go/loki"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/common/model"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.26.0"
	"go.opentelemetry.io/otel/trace"
)

// newTracerProvider gives one service its own resource (service.name) and
// exporter, as a separate process would have. Sampling is parent-based
// (shopSampler): the gateway decides, every hop after it follows the
// traceparent flag.
func newTracerProvider(ctx context.Context, service, otlpURL string, sampler sdktrace.Sampler) (*sdktrace.TracerProvider, error) {
	exp, err := otlptracehttp.New(ctx,
		otlptracehttp.WithEndpointURL(otlpURL+"/v1/traces"),
		otlptracehttp.WithTimeout(5*time.Second),
	)
	if err != nil {
		return nil, fmt.Errorf("OTLP exporter for %s: %w", service, err)
	}
	res := resource.NewWithAttributes(semconv.SchemaURL,
		semconv.ServiceName(service),
		semconv.ServiceVersion("1.4.2"),
		semconv.DeploymentEnvironment("demo"),
		attribute.String("host.name", "demo-"+service),
	)
	return sdktrace.NewTracerProvider(
		sdktrace.WithBatcher(exp, sdktrace.WithBatchTimeout(time.Second)),
		sdktrace.WithResource(res),
		sdktrace.WithSampler(sampler),
	), nil
}

// metrics is the shop's request-duration histogram, one for all services
// (told apart by the service label), exposing exemplars with trace_id.
type metrics struct {
	duration *prometheus.HistogramVec
	registry *prometheus.Registry
}

func newMetrics() *metrics {
	reg := prometheus.NewRegistry()
	h := prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "http_server_request_duration_seconds",
		Help:    "Duration of HTTP server requests.",
		Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
	}, []string{"service", "route", "method", "status"})
	reg.MustRegister(h)
	return &metrics{duration: h, registry: reg}
}

// observe records one request. Only sampled spans become exemplars, so
// with head (and adaptive) sampling an exemplar's trace exists in the
// backend; with tail sampling every span is sampled here and the
// collector decides later, so most exemplars name traces it dropped.
func (m *metrics) observe(ctx context.Context, service, route, method string, status int, d time.Duration) {
	o := m.duration.WithLabelValues(service, route, method, fmt.Sprint(status))
	sc := trace.SpanContextFromContext(ctx)
	if sc.IsSampled() {
		o.(prometheus.ExemplarObserver).ObserveWithExemplar(d.Seconds(), prometheus.Labels{"trace_id": sc.TraceID().String()})
		return
	}
	o.Observe(d.Seconds())
}

// logger writes the services' structured JSON logs to Loki. Stream labels
// stay low-cardinality (service_name, level); IDs live in the line.
type logger struct {
	client *loki.Client
	lines  atomic.Int64
}

func newLogger(pushURL string) (*logger, error) {
	cfg, err := loki.NewDefaultConfig(pushURL)
	if err != nil {
		return nil, err
	}
	cfg.BatchWait = 500 * time.Millisecond
	cfg.BatchSize = 256 << 10
	c, err := loki.New(cfg)
	if err != nil {
		return nil, err
	}
	return &logger{client: c}, nil
}

func (l *logger) log(ctx context.Context, service, level, msg string, fields ...any) {
	now := time.Now().UTC()
	line := map[string]any{"time": now.Format(time.RFC3339Nano), "level": level, "msg": msg, "service": service}
	if tid, sid, ok := logIDs(ctx); ok {
		line["trace_id"] = tid
		line["span_id"] = sid
	}
	for i := 0; i+1 < len(fields); i += 2 {
		line[fmt.Sprint(fields[i])] = fields[i+1]
	}
	b, _ := json.Marshal(line)
	l.lines.Add(1)
	l.client.Handle(model.LabelSet{"service_name": model.LabelValue(service), "level": model.LabelValue(level)}, now, string(b))
}

func (l *logger) stop() { l.client.Stop() }
