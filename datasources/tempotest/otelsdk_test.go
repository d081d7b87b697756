package tempotest_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/datasources/tempotest"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

// provider exports synchronously to the server as one service.
func provider(t *testing.T, url, service string) *sdktrace.TracerProvider {
	t.Helper()
	exp, err := otlptracehttp.New(context.Background(),
		otlptracehttp.WithEndpointURL(url+"/v1/traces"), otlptracehttp.WithInsecure())
	if err != nil {
		t.Fatal(err)
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp),
		sdktrace.WithResource(resource.NewSchemaless(attribute.String("service.name", service))))
	t.Cleanup(func() { tp.Shutdown(context.Background()) })
	return tp
}

// The real OpenTelemetry SDK pushes protobuf over OTLP/HTTP; the tempo
// client must read back the same tree with services and attributes.
func TestOpenTelemetrySDKRoundTrip(t *testing.T) {
	srv := tempotest.NewTestServer(t)
	frontend := provider(t, srv.URL, "frontend").Tracer("shop")
	cart := provider(t, srv.URL, "cart").Tracer("cart-lib")

	ctx, root := frontend.Start(context.Background(), "GET /checkout", trace.WithSpanKind(trace.SpanKindServer),
		trace.WithAttributes(attribute.Int("http.response.status_code", 503), attribute.Bool("retry", true)))
	cctx, call := frontend.Start(ctx, "POST /cart", trace.WithSpanKind(trace.SpanKindClient))
	_, work := cart.Start(cctx, "reserve items", trace.WithSpanKind(trace.SpanKindServer),
		trace.WithAttributes(attribute.String("cart.id", "c-42"), attribute.Float64("load", 0.5)))
	work.RecordError(errors.New("payment timeout"))
	work.SetStatus(codes.Error, "payment timeout")
	work.End()
	call.End()
	root.End()

	traceID := root.SpanContext().TraceID().String()
	tr, err := client(t, srv.URL, "").Trace(context.Background(), traceID, time.Time{}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]datasources.Span{}
	for _, s := range tr.Spans {
		byName[s.Name] = s
	}
	r, c, w := byName["GET /checkout"], byName["POST /cart"], byName["reserve items"]
	if len(tr.Spans) != 3 || r.SpanID != root.SpanContext().SpanID().String() || r.ParentSpanID != "" ||
		c.ParentSpanID != r.SpanID || w.ParentSpanID != c.SpanID {
		t.Fatalf("tree wrong: %+v", tr.Spans)
	}
	checks := []struct {
		what, got, want string
	}{
		{"root service", r.Service(), "frontend"},
		{"client service", c.Service(), "frontend"},
		{"child service", w.Service(), "cart"},
		{"root kind", string(r.Kind), "server"},
		{"client kind", string(c.Kind), "client"},
		{"child status", string(w.Status), "error"},
		{"child status message", w.StatusMsg(), "payment timeout"},
		{"child scope", w.Scope, "cart-lib"},
		{"event", w.Events()[0].Name, "exception"},
	}
	for _, ck := range checks {
		if ck.got != ck.want {
			t.Errorf("%s = %q, want %q", ck.what, ck.got, ck.want)
		}
	}
	for _, a := range []struct {
		span  datasources.Span
		key   string
		value string
		typ   datasources.ValueType
	}{
		{r, "http.response.status_code", "503", datasources.TypeInt},
		{r, "retry", "true", datasources.TypeBool},
		{w, "cart.id", "c-42", datasources.TypeString},
		{w, "load", "0.5", datasources.TypeDouble},
	} {
		found := false
		for _, got := range a.span.Attributes() {
			if got.Key == a.key {
				found = got.Value == a.value && got.Type == a.typ
			}
		}
		if !found {
			t.Errorf("%s: attribute %s=%s (type %d) missing in %+v", a.span.Name, a.key, a.value, a.typ, a.span.Attributes())
		}
	}
	if r.Resource == w.Resource {
		t.Error("two services share one resource")
	}
	if d := r.Duration(); d <= 0 || d > time.Minute {
		t.Errorf("root duration %v", d)
	}
}
