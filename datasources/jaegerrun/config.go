package jaegerrun

import (
	"fmt"
	"strings"
)

// config is Jaeger's collector configuration: receivers → (extra
// processors) → batch → memory storage, and the query extension over the
// same storage. Ports: query HTTP, query gRPC, OTLP gRPC, OTLP HTTP,
// Zipkin, health. Its own telemetry is off (no port 8888 to collide on).
func config(p [6]string, o Options) string {
	var procNames []string
	var procs strings.Builder
	for _, pr := range o.Processors {
		procNames = append(procNames, pr.Name)
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
	// No multi_tenancy: Jaeger v1.76's jaeger_query cannot read it from
	// YAML (its tenancy options carry no mapstructure tags, so every key
	// is refused as invalid).
	return fmt.Sprintf(`service:
  extensions: [jaeger_storage, jaeger_query, healthcheckv2]
  pipelines:
    traces:
      receivers: [otlp, zipkin]
      processors: [%s]
      exporters: [%s]
  telemetry:
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
%s`, strings.Join(procNames, ", "), strings.Join(exporters, ", "), p[5], p[0], p[1], p[2], p[3], p[4], procs.String(), forward.String())
}

func indent(s, pre string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = pre + l
	}
	return strings.Join(lines, "\n")
}
