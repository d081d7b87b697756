package jaeger_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.26.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/datasources/jaeger"
	"github.com/ariadne-dev/ariadne/datasources/jaegerrun"
)

// sent is what the SDK sent: a checkout trace whose charge span failed and
// whose receipt span follows from (is linked to, not a child of) another
// trace's span.
type sent struct {
	traceID, chargeID, otherTraceID string
	start                           time.Time
}

// push sends spans through the OpenTelemetry SDK's OTLP/HTTP exporter, as
// an instrumented service would, and flushes them.
func push(t *testing.T, j *jaegerrun.Jaeger) sent {
	t.Helper()
	ctx := context.Background()
	exp, err := otlptracehttp.New(ctx, otlptracehttp.WithEndpointURL(j.OTLPHTTP+"/v1/traces"))
	if err != nil {
		t.Fatal(err)
	}
	tp := func(service string) *sdktrace.TracerProvider {
		return sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp),
			sdktrace.WithResource(resource.NewSchemaless(semconv.ServiceName(service))))
	}
	shop, pay := tp("shop"), tp("payments")
	start := time.Now().Add(-time.Minute)

	other, otherSpan := pay.Tracer("t").Start(ctx, "nightly-settlement", trace.WithTimestamp(start))
	otherSpan.End(trace.WithTimestamp(start.Add(time.Millisecond)))

	root, rs := shop.Tracer("t").Start(ctx, "POST /checkout", trace.WithSpanKind(trace.SpanKindServer), trace.WithTimestamp(start),
		trace.WithAttributes(attribute.String("http.route", "/checkout"), attribute.Int("cart.items", 3)))
	_, cs := pay.Tracer("t").Start(root, "charge", trace.WithSpanKind(trace.SpanKindClient), trace.WithTimestamp(start.Add(10*time.Millisecond)),
		trace.WithAttributes(attribute.String("payment.provider", "acme")))
	cs.RecordError(errors.New("card declined"), trace.WithTimestamp(start.Add(800*time.Millisecond)))
	cs.SetStatus(codes.Error, "card declined")
	cs.End(trace.WithTimestamp(start.Add(810 * time.Millisecond)))
	_, receipt := shop.Tracer("t").Start(root, "send receipt", trace.WithTimestamp(start.Add(820*time.Millisecond)),
		trace.WithLinks(trace.Link{SpanContext: otherSpan.SpanContext(), Attributes: []attribute.KeyValue{attribute.String("opentracing.ref_type", "follows_from")}}))
	receipt.End(trace.WithTimestamp(start.Add(830 * time.Millisecond)))
	rs.End(trace.WithTimestamp(start.Add(900 * time.Millisecond)))
	_ = other
	for _, p := range []*sdktrace.TracerProvider{shop, pay} {
		if err := p.ForceFlush(ctx); err != nil {
			t.Fatal(err)
		}
	}
	return sent{traceID: rs.SpanContext().TraceID().String(), chargeID: cs.SpanContext().SpanID().String(),
		otherTraceID: otherSpan.SpanContext().TraceID().String(), start: start}
}

func TestAgainstRealJaeger(t *testing.T) {
	j := jaegerrun.StartTest(t, jaegerrun.Options{})
	s := push(t, j)
	c, err := jaeger.New(datasources.Config{URL: j.QueryURL, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	// The trace, once Jaeger's batch has stored it.
	var tr *datasources.Trace
	for deadline := time.Now().Add(15 * time.Second); ; {
		tr, err = c.Trace(ctx, s.traceID, time.Time{}, time.Time{})
		if err == nil && len(tr.Spans) == 3 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("trace not readable: %v %+v\n%s", err, tr, j.Logs(20))
		}
		time.Sleep(100 * time.Millisecond)
	}
	byName := map[string]datasources.Span{}
	for _, sp := range tr.Spans {
		byName[sp.Name] = sp
	}
	root, charge, receipt := byName["POST /checkout"], byName["charge"], byName["send receipt"]
	if root.Service() != "shop" || root.Kind != datasources.KindServer || root.ParentSpanID != "" {
		t.Errorf("root %+v", root)
	}
	if charge.SpanID != s.chargeID || charge.ParentSpanID != root.SpanID || charge.Service() != "payments" ||
		charge.Status != datasources.StatusError || charge.StatusMsg() != "card declined" || len(charge.Events()) != 1 {
		t.Errorf("charge %+v", charge)
	}
	if got := charge.EndNs - charge.StartNs; got != int64(800*time.Millisecond) {
		t.Errorf("charge lasted %v, want 800ms", time.Duration(got))
	}
	if receipt.ParentSpanID != root.SpanID || len(receipt.Links()) != 1 || receipt.Links()[0].TraceID != s.otherTraceID {
		t.Errorf("receipt: parent %s, links %+v; want the root as parent and the other trace as a link", receipt.ParentSpanID, receipt.Links())
	}

	// Not found, and an invalid ID.
	if _, err := c.Trace(ctx, "0000000000000000000000000000dead", time.Time{}, time.Time{}); datasources.ErrorKindOf(err) != datasources.ErrorNotFound {
		t.Errorf("unknown trace: %v, want not found", err)
	}

	// Services, operations.
	svcs, err := c.Services(ctx)
	if err != nil || strings.Join(svcs, ",") != "payments,shop" {
		t.Errorf("services %v, %v", svcs, err)
	}
	ops, err := c.Operations(ctx, "payments")
	if err != nil || strings.Join(ops, ",") != "charge,nightly-settlement" {
		t.Errorf("operations %v, %v", ops, err)
	}

	// Search by service, operation, attribute, duration and error.
	window := datasources.TraceQuery{Start: s.start.Add(-time.Minute), End: time.Now().Add(time.Minute), Limit: 20}
	for _, tt := range []struct {
		name string
		q    func(datasources.TraceQuery) datasources.TraceQuery
		want []string // trace IDs
	}{
		{"service", func(q datasources.TraceQuery) datasources.TraceQuery { q.Service = "shop"; return q }, []string{s.traceID}},
		{"operation", func(q datasources.TraceQuery) datasources.TraceQuery {
			q.Service, q.Operation = "payments", "nightly-settlement"
			return q
		}, []string{s.otherTraceID}},
		{"attribute", func(q datasources.TraceQuery) datasources.TraceQuery {
			q.Service, q.Attributes = "payments", []datasources.Attribute{{Key: "payment.provider", Value: "acme"}}
			return q
		}, []string{s.traceID}},
		{"errors only", func(q datasources.TraceQuery) datasources.TraceQuery {
			q.Service, q.ErrorsOnly = "payments", true
			return q
		}, []string{s.traceID}},
		{"min duration", func(q datasources.TraceQuery) datasources.TraceQuery {
			q.Service, q.MinDuration = "payments", 500*time.Millisecond
			return q
		}, []string{s.traceID}},
		{"nothing", func(q datasources.TraceQuery) datasources.TraceQuery {
			q.Service, q.Operation = "shop", "no such op"
			return q
		}, nil},
	} {
		res, err := c.Search(ctx, tt.q(window))
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		var got []string
		for _, r := range res.Traces {
			got = append(got, r.TraceID)
		}
		if strings.Join(got, ",") != strings.Join(tt.want, ",") {
			t.Errorf("%s: found %v, want %v (sent %s)", tt.name, got, tt.want, res.Sent)
		}
		if tt.name == "service" && len(res.Traces) == 1 {
			r := res.Traces[0]
			if r.RootService != "shop" || r.RootName != "POST /checkout" || r.Spans != 3 || r.Errors != 1 || r.Duration != 900*time.Millisecond {
				t.Errorf("summary %+v", r)
			}
		}
	}

	// A search without a service is refused before asking, in words.
	if _, err := c.Search(ctx, window); datasources.ErrorKindOf(err) != datasources.ErrorBadQuery || !strings.Contains(datasources.UserMessage(err), "choose a service") {
		t.Errorf("no service: %v", err)
	}
	// Jaeger's own message for a bad parameter reaches the user.
	q := window
	q.Service, q.MinDuration, q.MaxDuration = "shop", time.Second, time.Millisecond
	if _, err := c.Search(ctx, q); datasources.ErrorKindOf(err) != datasources.ErrorBadQuery || !strings.Contains(datasources.UserMessage(err), "maxDuration") {
		t.Errorf("max below min: %v (%s)", err, datasources.UserMessage(err))
	}
}
