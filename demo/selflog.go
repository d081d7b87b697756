package demo

import (
	"context"
	"log/slog"
	"strings"
)

// LokiLogHandler sends Ariadne's own log lines to the world's Loki as the
// shop's services write theirs: JSON lines (time, level, msg, service,
// trace_id and span_id when the line has them, its other attributes) in
// streams labelled service_name and level, so `ariadne demo` can read
// its own logs beside its traces. Call stop to flush and end.
func (w *World) LokiLogHandler(service string) (h slog.Handler, stop func(), err error) {
	l, err := newLogger(w.LokiURL + "/loki/api/v1/push")
	if err != nil {
		return nil, nil, err
	}
	return &lokiHandler{l: l, service: service}, l.stop, nil
}

type lokiHandler struct {
	l       *logger
	service string
	attrs   []slog.Attr
}

func (h *lokiHandler) Enabled(_ context.Context, l slog.Level) bool { return l >= slog.LevelInfo }

func (h *lokiHandler) Handle(ctx context.Context, r slog.Record) error {
	fields := make([]any, 0, 2*(len(h.attrs)+r.NumAttrs()))
	add := func(a slog.Attr) bool {
		fields = append(fields, a.Key, a.Value.Resolve().Any())
		return true
	}
	for _, a := range h.attrs {
		add(a)
	}
	r.Attrs(add)
	// The shop's lines say level in lower case (info, error).
	h.l.log(ctx, h.service, strings.ToLower(r.Level.String()), r.Message, fields...)
	return nil
}

func (h *lokiHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return &lokiHandler{l: h.l, service: h.service, attrs: append(h.attrs[:len(h.attrs):len(h.attrs)], as...)}
}

// WithGroup is not used by Ariadne's logging; the group's attributes stay
// at the top level.
func (h *lokiHandler) WithGroup(string) slog.Handler { return h }
