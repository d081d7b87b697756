package handlers

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/ariadne-dev/ariadne/datasources"
)

// errNoTraceBackend is the error of a trace lookup with no backend.
var errNoTraceBackend = &datasources.Error{Kind: datasources.ErrorNotConfigured, Backend: "tempo",
	Message: "No trace backend is configured: set TEMPO_URL, JAEGER_URL or ZIPKIN_URL to read traces."}

func hasBackend(bs []TraceBackend, name string) bool {
	for _, b := range bs {
		if b.Name == name {
			return true
		}
	}
	return false
}

// lookupTrace asks every trace backend for the trace, in parallel, and
// returns the first in configured order that has it, with its name. When
// none has it, the error says so for each: not found everywhere is
// not-found (404); a backend that failed makes it that backend's failure,
// with the others' "not found" in the message, because the trace may be
// in the one that did not answer.
//
// prefer names a backend to put first (a search result's, from the link).
func (h *Handler) lookupTrace(ctx context.Context, id string, start, end time.Time, prefer string) (*datasources.Trace, TraceBackend, error) {
	bs := h.opt.TraceBackends
	if prefer != "" && len(bs) > 1 && hasBackend(bs, prefer) {
		ordered := make([]TraceBackend, 0, len(bs))
		for _, b := range bs {
			if b.Name == prefer {
				ordered = append(ordered, b)
			}
		}
		for _, b := range bs {
			if b.Name != prefer {
				ordered = append(ordered, b)
			}
		}
		bs = ordered
	}
	switch len(bs) {
	case 0:
		return nil, TraceBackend{}, errNoTraceBackend
	case 1:
		tr, err := bs[0].Fetch.Trace(ctx, id, start, end)
		return tr, bs[0], err
	}
	type answer struct {
		tr  *datasources.Trace
		err error
	}
	// All are asked at once; the answers are read in order of preference,
	// so the first backend that has the trace answers the page as soon as
	// it and those before it have spoken, and the slower ones are let go.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	answers := make([]chan answer, len(bs))
	for i, b := range bs {
		answers[i] = make(chan answer, 1)
		go func() {
			tr, err := b.Fetch.Trace(ctx, id, start, end)
			answers[i] <- answer{tr, err}
		}()
	}
	var missing []string
	var failed error
	for i := range bs {
		a := <-answers[i]
		switch {
		case a.err == nil && a.tr != nil && len(a.tr.Spans) > 0:
			return a.tr, bs[i], nil
		case a.err == nil || datasources.ErrorKindOf(a.err) == datasources.ErrorNotFound:
			missing = append(missing, bs[i].Display)
		case failed == nil:
			failed = a.err
		}
	}
	if failed != nil {
		if len(missing) > 0 {
			return nil, TraceBackend{}, withPrefix(failed, "Not in "+strings.Join(missing, " or ")+". ")
		}
		return nil, TraceBackend{}, failed
	}
	return nil, TraceBackend{}, &datasources.Error{Kind: datasources.ErrorNotFound, Backend: bs[0].Name,
		Message: strings.Join(missing, " and ") + " have no trace with this ID."}
}

// withPrefix puts a sentence before a backend error's message.
func withPrefix(err error, prefix string) error {
	var de *datasources.Error
	if !errors.As(err, &de) {
		return err
	}
	out := *de
	out.Message = prefix + datasources.UserMessage(err)
	return &out
}
