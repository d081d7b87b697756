// Package telemetry owns Ariadne's own telemetry: the tracer provider built
// from the standard OTEL_* variables (nothing is exported when they are
// unset), the W3C propagator, the Prometheus registry behind GET /metrics
// with its collectors and trace_id exemplars, the slog handler that writes
// trace_id and span_id, and the tracing and timing of backend calls (HTTP
// through otelhttp, SQL through a pgx tracer). Its users take a *Telemetry
// explicitly; nothing here is global.
package telemetry

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.26.0"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"

	"github.com/ariadne-dev/ariadne/correlation/text"
)

// DefaultServiceName is service.name when OTEL_SERVICE_NAME is unset.
const DefaultServiceName = "ariadne"

// Telemetry is what instrumented code needs. A nil *Telemetry is valid
// and records nothing, so tests and tools that build handlers or clients
// without one need no setup.
type Telemetry struct {
	// Tracer makes the spans: the SDK's when exporting, else a no-op one
	// (which still carries an incoming traceparent's IDs into the logs).
	Tracer trace.TracerProvider
	// Propagator reads and writes W3C trace context (and baggage).
	Propagator propagation.TextMapPropagator
	Metrics    *Metrics
	// Exporting says whether spans leave the process (OTLP endpoint set).
	Exporting bool
	// Endpoint is where spans go, for the start line ("" when not exporting).
	Endpoint string
	shutdown func(context.Context) error
}

// Off is telemetry that exports nothing: a no-op tracer, the W3C
// propagator and a registry of its own, as service DefaultServiceName.
func Off() *Telemetry { return off(DefaultServiceName) }

func off(service string) *Telemetry {
	return &Telemetry{Tracer: noop.NewTracerProvider(), Propagator: propagator(), Metrics: NewMetrics(service)}
}

func propagator() propagation.TextMapPropagator {
	return propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{})
}

// Settings are the OTEL_* variables Ariadne reads itself, through the
// configuration's getenv (so the demo can point them at its own world);
// everything else (OTEL_TRACES_SAMPLER and its argument,
// OTEL_EXPORTER_OTLP_HEADERS, _TIMEOUT, _COMPRESSION, _CERTIFICATE,
// OTEL_BSP_*, OTEL_RESOURCE_ATTRIBUTES) is left to the SDK's own handling
// of the process environment.
type Settings struct {
	// TracesEndpoint is the OTLP/HTTP URL spans are posted to; "" exports
	// nothing.
	TracesEndpoint string
	ServiceName    string
}

// SettingsFromEnv reads the standard variables. Spans are exported only
// when OTEL_EXPORTER_OTLP_TRACES_ENDPOINT or OTEL_EXPORTER_OTLP_ENDPOINT
// is set, OTEL_SDK_DISABLED is not true and OTEL_TRACES_EXPORTER is otlp
// or unset (none turns them off). Anything asking for what Ariadne does
// not do (another exporter, OTLP over gRPC) is an error, not silence.
func SettingsFromEnv(getenv func(string) string) (Settings, error) {
	s := Settings{ServiceName: getenv("OTEL_SERVICE_NAME")}
	if s.ServiceName == "" {
		s.ServiceName = DefaultServiceName
	}
	if strings.EqualFold(getenv("OTEL_SDK_DISABLED"), "true") {
		return s, nil
	}
	switch e := strings.ToLower(strings.TrimSpace(getenv("OTEL_TRACES_EXPORTER"))); e {
	case "", "otlp":
	case "none":
		return s, nil
	default:
		return s, fmt.Errorf("OTEL_TRACES_EXPORTER=%s: Ariadne exports traces over OTLP/HTTP only (otlp or none)", e)
	}
	for _, k := range []string{"OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_EXPORTER_OTLP_PROTOCOL"} {
		if p := getenv(k); p != "" {
			if p != "http/protobuf" {
				return s, fmt.Errorf("%s=%s: Ariadne exports over OTLP/HTTP only (http/protobuf)", k, p)
			}
			break
		}
	}
	s.TracesEndpoint = getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
	if s.TracesEndpoint == "" {
		if base := getenv("OTEL_EXPORTER_OTLP_ENDPOINT"); base != "" {
			// The generic endpoint is a base URL: the signal's path is
			// appended to its path, as the specification says.
			s.TracesEndpoint = base
			if u, err := url.Parse(base); err == nil {
				u.Path = strings.TrimRight(u.Path, "/") + "/v1/traces"
				u.RawPath = ""
				s.TracesEndpoint = u.String()
			}
		}
	}
	if s.TracesEndpoint != "" {
		u, err := url.Parse(s.TracesEndpoint)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return s, fmt.Errorf("OTLP traces endpoint %q: want an http or https URL", s.TracesEndpoint)
		}
		if u.User != nil {
			return s, fmt.Errorf("OTLP traces endpoint: credentials in the URL would be logged: use OTEL_EXPORTER_OTLP_HEADERS")
		}
	}
	return s, nil
}

// Setup builds Ariadne's telemetry: Off() when s names no endpoint, else an
// SDK tracer provider batching spans to it over OTLP/HTTP.
func Setup(ctx context.Context, s Settings) (*Telemetry, error) {
	endpoint, name := s.TracesEndpoint, s.ServiceName
	if name == "" {
		name = DefaultServiceName
	}
	t := off(name)
	if endpoint == "" {
		return t, nil
	}
	exp, err := otlptracehttp.New(ctx, otlptracehttp.WithEndpointURL(endpoint))
	if err != nil {
		return nil, fmt.Errorf("OTLP exporter: %w", err)
	}
	// Later options win: the default name, then OTEL_RESOURCE_ATTRIBUTES
	// and OTEL_SERVICE_NAME as the SDK reads them from the process, then
	// the name the configuration read (the same, or the demo's).
	res, err := resource.New(ctx,
		resource.WithAttributes(semconv.ServiceName(DefaultServiceName)),
		resource.WithTelemetrySDK(),
		resource.WithFromEnv(),
		resource.WithAttributes(semconv.ServiceName(name)),
	)
	if err != nil && !errors.Is(err, resource.ErrPartialResource) {
		return nil, fmt.Errorf("OTEL_RESOURCE_ATTRIBUTES: %w", err)
	}
	// No WithSampler: the SDK reads OTEL_TRACES_SAMPLER (default
	// parentbased_always_on, so a proxy's sampling decision is kept).
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp), sdktrace.WithResource(res))
	t.Tracer, t.Exporting, t.Endpoint, t.shutdown = tp, true, endpoint, tp.Shutdown
	return t, nil
}

// Recording is telemetry whose spans (every one sampled) go to sp, for
// tests and benchmarks that read them (sdk/trace/tracetest's recorder).
func Recording(sp sdktrace.SpanProcessor) *Telemetry {
	t := Off()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(sp), sdktrace.WithSampler(sdktrace.AlwaysSample()),
		sdktrace.WithResource(resource.NewSchemaless(semconv.ServiceName(DefaultServiceName))))
	t.Tracer, t.Exporting, t.shutdown = tp, true, tp.Shutdown
	return t
}

// Shutdown flushes the spans still buffered; ctx bounds the wait.
func (t *Telemetry) Shutdown(ctx context.Context) error {
	if t == nil || t.shutdown == nil {
		return nil
	}
	return t.shutdown(ctx)
}

// tracer is the provider's tracer for Ariadne's own instrumentation.
func (t *Telemetry) tracer() trace.Tracer {
	if t == nil || t.Tracer == nil {
		return noop.NewTracerProvider().Tracer("")
	}
	return t.Tracer.Tracer("github.com/ariadne-dev/ariadne")
}

// queryText is a query as a span attribute keeps it: at most MaxQueryText
// bytes, so one huge query cannot bloat every span.
func queryText(s string) string { return text.Shorten(s, MaxQueryText) }

// MaxQueryText bounds the query text kept as a span attribute.
const MaxQueryText = 1024
