package telemetry

import (
	"context"
	"log/slog"

	"go.opentelemetry.io/otel/trace"
)

// LogHandler wraps next so that every record logged within a span carries
// trace_id and span_id: the span of the context the record is logged with,
// else the span bound by WithSpan (for code that logs without a context,
// such as a page's panels). Logs and traces then join on the trace ID, as
// the demo's own services' lines do.
func LogHandler(next slog.Handler) slog.Handler {
	if h, ok := next.(*logHandler); ok {
		return h
	}
	return &logHandler{next: next}
}

type logHandler struct {
	next  slog.Handler
	bound trace.SpanContext
}

func (h *logHandler) Enabled(ctx context.Context, l slog.Level) bool { return h.next.Enabled(ctx, l) }

func (h *logHandler) Handle(ctx context.Context, r slog.Record) error {
	sc := trace.SpanContextFromContext(ctx)
	if !sc.IsValid() {
		sc = h.bound
	}
	if sc.IsValid() {
		r = r.Clone()
		r.AddAttrs(slog.String("trace_id", sc.TraceID().String()), slog.String("span_id", sc.SpanID().String()))
	}
	return h.next.Handle(ctx, r)
}

func (h *logHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return &logHandler{next: h.next.WithAttrs(as), bound: h.bound}
}

func (h *logHandler) WithGroup(name string) slog.Handler {
	return &logHandler{next: h.next.WithGroup(name), bound: h.bound}
}

// WithSpan returns l with ctx's span bound, for the lines it logs without
// a context (slog's Info, Error…). A logger whose handler is not a
// LogHandler is returned as it is.
func WithSpan(l *slog.Logger, ctx context.Context) *slog.Logger {
	h, ok := l.Handler().(*logHandler)
	sc := trace.SpanContextFromContext(ctx)
	if !ok || !sc.IsValid() {
		return l
	}
	return slog.New(&logHandler{next: h.next, bound: sc})
}
