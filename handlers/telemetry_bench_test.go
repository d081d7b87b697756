package handlers

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/ariadne-dev/ariadne/telemetry"
)

// discardSpans ends spans without exporting them: the benchmark measures
// what a request pays for its span, not an exporter's batching.
type discardSpans struct{}

func (discardSpans) OnStart(context.Context, sdktrace.ReadWriteSpan) {}
func (discardSpans) OnEnd(sdktrace.ReadOnlySpan)                     {}
func (discardSpans) Shutdown(context.Context) error                  { return nil }
func (discardSpans) ForceFlush(context.Context) error                { return nil }

// BenchmarkRequestTelemetry is one small request (/healthz) through the
// whole middleware chain with telemetry off (the default: no exporter, no
// span, the histogram still observed) and on (a sampled span per request,
// otelhttp's attributes, an exemplar), in the same run, so the overhead
// reads as the difference.
func BenchmarkRequestTelemetry(b *testing.B) {
	for _, tc := range []struct {
		name string
		tel  *telemetry.Telemetry
	}{
		{"off", telemetry.Off()},
		{"on", telemetry.Recording(discardSpans{})},
	} {
		b.Run(tc.name, func(b *testing.B) {
			h := New(Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), DB: &fakeDB{}, Telemetry: tc.tel})
			defer h.Close()
			e := h.Router()
			b.ReportAllocs()
			for b.Loop() {
				r := httptest.NewRequest(http.MethodGet, "/healthz", nil)
				r.Header.Set("traceparent", "00-"+incomingTrace+"-"+incomingParent+"-01")
				w := httptest.NewRecorder()
				e.ServeHTTP(w, r)
			}
		})
	}
}
