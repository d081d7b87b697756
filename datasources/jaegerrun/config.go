package jaegerrun

import (
	"fmt"
	"strings"
	"time"
)

// config is Jaeger's collector configuration: receivers → (extra
// processors) → batch → memory storage, and the query extension over the
// same storage. Ports: query HTTP, query gRPC, OTLP gRPC, OTLP HTTP,
// Zipkin and health; metrics is the
// prometheus exporter's address with SpanMetrics. Its own telemetry is off
// (no port 8888 to collide on).
func config(p [6]string, o Options, metrics string) string {
	var procNames []string
	var procs strings.Builder
	processors := o.Processors
	extensions := "jaeger_storage, jaeger_query, healthcheckv2"
	for _, pr := range processors {
		procNames = append(procNames, pr.Name)
		if pr.YAML == "" {
			fmt.Fprintf(&procs, "  %s: {}\n", pr.Name)
			continue
		}
		fmt.Fprintf(&procs, "  %s:\n%s\n", pr.Name, indent(pr.YAML, "    "))
	}
	procNames = append(procNames, "batch")
	exporters := []string{"jaeger_storage_exporter"}
	var forward strings.Builder
	for i, u := range o.ForwardTo {
		name := fmt.Sprintf("otlphttp/forward%d", i)
		exporters = append(exporters, name)
		fmt.Fprintf(&forward, "  %s:\n    endpoint: %s\n", name, u)
	}
	spanPipes, spanParts := spanMetricsYAML(o.SpanMetrics, metrics)
	// No multi_tenancy: Jaeger v1.76's jaeger_query cannot read it from
	// YAML (its tenancy options carry no mapstructure tags, so every key
	// is refused as invalid).
	return fmt.Sprintf(`service:
  extensions: [%s]
  pipelines:
    traces:
      receivers: [otlp, zipkin]
      processors: [%s]
      exporters: [%s]
%s  telemetry:
    metrics:
      level: none
    logs:
      level: warn
extensions:
  healthcheckv2:
    use_v2: true
    http:
      endpoint: %s
  jaeger_query:
    # On by default in v2: it would export Jaeger's own traces to
    # localhost:4317 and hold a shutdown for as long as it retries.
    enable_tracing: false
    storage:
      traces: mem
    http:
      endpoint: %s
    grpc:
      endpoint: %s
  jaeger_storage:
    backends:
      mem:
        memory:
          max_traces: 100000
receivers:
  otlp:
    protocols:
      grpc:
        endpoint: %s
      http:
        endpoint: %s
  zipkin:
    endpoint: %s
processors:
%s  batch:
    timeout: 100ms
exporters:
  jaeger_storage_exporter:
    trace_storage: mem
%s%s`, extensions, strings.Join(procNames, ", "), strings.Join(exporters, ", "), spanPipes, p[5], p[0], p[1], p[2], p[3], p[4], procs.String(), forward.String(), spanParts)
}

// spanMetricsYAML is the span-metrics side of the configuration: a
// pipeline of its own from the same receivers, so the metrics count every
// span whatever a sampling processor in the traces pipeline drops (as a
// collector in front of a tail sampler is deployed), into the spanmetrics
// connector (collector-contrib v0.140: its default names,
// traces.span.metrics.calls and .duration in ms) and out through the
// prometheus exporter. The pipelines go under service.pipelines; the
// exporter and connector sections at the end, under exporters:.
func spanMetricsYAML(sm *SpanMetrics, addr string) (pipelines, parts string) {
	if sm == nil {
		return "", ""
	}
	flush := sm.FlushInterval
	if flush <= 0 {
		flush = 15 * time.Second
	}
	pipelines = `    traces/spanmetrics:
      receivers: [otlp, zipkin]
      exporters: [spanmetrics]
    metrics/spanmetrics:
      receivers: [spanmetrics]
      exporters: [prometheus]
`
	parts = fmt.Sprintf(`  prometheus:
    endpoint: %s
connectors:
  spanmetrics:
    metrics_flush_interval: %s
    exemplars:
      enabled: true
`, addr, flush)
	return pipelines, parts
}

func indent(s, pre string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = pre + l
	}
	return strings.Join(lines, "\n")
}
