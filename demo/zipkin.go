package demo

import (
	"context"
	"net/http"
	"time"

	"github.com/openzipkin/zipkin-go"
	zipkinhttp "github.com/openzipkin/zipkin-go/middleware/http"
	"github.com/openzipkin/zipkin-go/reporter"
	zipkinreporter "github.com/openzipkin/zipkin-go/reporter/http"
	"go.opentelemetry.io/contrib/propagators/b3"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
)

// A shop rarely moves to OpenTelemetry all at once. With a Zipkin
// receiver to report to (ShopOptions.ZipkinURL), the payment provider runs
// Zipkin's own Go tracer instead, as a B3-instrumented service would:
// every other service propagates B3 headers as well as W3C trace context,
// so a checkout's trace stays one trace across the two instrumentations.
// The provider's reconciler job starts traces of its own, and Zipkin's
// tracer gives those 64-bit trace IDs: their logs in payment-provider
// carry the 16-character form, those of payments the padded one.

// b3Propagator is W3C trace context and baggage, plus B3 (extracted in
// either encoding, injected as the multi-header form zipkin-go reads).
var b3Propagator = propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{},
	b3.New(b3.WithInjectEncoding(b3.B3MultipleHeader)))

// DefaultReconcileEvery is how often the reconciler job runs.
const DefaultReconcileEvery = 15 * time.Second

// zipkinService is the payment provider's Zipkin instrumentation.
type zipkinService struct {
	tracer   *zipkin.Tracer
	reporter reporter.Reporter
	client   *http.Client // injects B3, records client spans
	stop     chan struct{}
	stopped  chan struct{} // closed when the reconciler has returned
}

func newZipkinService(name, reportURL, hostPort string) (*zipkinService, error) {
	rep := zipkinreporter.NewReporter(reportURL+"/api/v2/spans", zipkinreporter.BatchInterval(time.Second))
	ep, err := zipkin.NewEndpoint(name, hostPort)
	if err != nil {
		rep.Close()
		return nil, err
	}
	// Not shared spans: the server side of a call gets its own span ID,
	// as OpenTelemetry's does, rather than reusing the caller's.
	tr, err := zipkin.NewTracer(rep, zipkin.WithLocalEndpoint(ep), zipkin.WithSharedSpans(false))
	if err != nil {
		rep.Close()
		return nil, err
	}
	tp, err := zipkinhttp.NewTransport(tr)
	if err != nil {
		rep.Close()
		return nil, err
	}
	return &zipkinService{tracer: tr, reporter: rep, client: &http.Client{Transport: tp}, stop: make(chan struct{}), stopped: make(chan struct{})}, nil
}

// handler traces incoming requests from B3 headers.
func (z *zipkinService) handler(h http.Handler) http.Handler {
	return zipkinhttp.NewServerMiddleware(z.tracer)(h)
}

// reconcile runs fn in a root span every interval until close.
func (z *zipkinService) reconcile(every time.Duration, fn func(ctx context.Context)) {
	defer close(z.stopped)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-z.stop:
			return
		case <-t.C:
			span := z.tracer.StartSpan("reconcile settlements")
			fn(zipkin.NewContext(context.Background(), span))
			span.Finish()
		}
	}
}

func (z *zipkinService) close() {
	close(z.stop)
	<-z.stopped        // its last span finished
	z.reporter.Close() // flushes what is buffered
}

// routeSpan records the route on the request's server span: an attribute
// for OpenTelemetry's (whose name otelhttp sets), the name and a tag for
// Zipkin's (whose middleware names it by the method alone).
func routeSpan(ctx context.Context, method, route string) {
	if zs := zipkin.SpanFromContext(ctx); zs != nil {
		zs.SetName(method + " " + route)
		zs.Tag("http.route", route)
		return
	}
	trace.SpanFromContext(ctx).SetAttributes(attribute.String("http.route", route))
}

// tag sets an attribute on the request's span, whichever tracer made it.
func tag(ctx context.Context, key, value string) {
	if zs := zipkin.SpanFromContext(ctx); zs != nil {
		zs.Tag(key, value)
		return
	}
	trace.SpanFromContext(ctx).SetAttributes(attribute.String(key, value))
}

// logIDs are the trace and span IDs a log line carries: OpenTelemetry's,
// else Zipkin's (16 hex characters for a 64-bit trace ID).
func logIDs(ctx context.Context) (traceID, spanID string, ok bool) {
	if sc := trace.SpanContextFromContext(ctx); sc.IsValid() {
		return sc.TraceID().String(), sc.SpanID().String(), true
	}
	if zs := zipkin.SpanFromContext(ctx); zs != nil {
		c := zs.Context()
		return c.TraceID.String(), c.ID.String(), true
	}
	return "", "", false
}
