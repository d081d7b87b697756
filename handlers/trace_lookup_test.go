package handlers

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ariadne-dev/ariadne/datasources"
)

// fetcher is a trace backend with one canned answer.
type fetcher struct {
	tr  *datasources.Trace
	err error
}

func (f fetcher) Trace(ctx context.Context, id string, start, end time.Time) (*datasources.Trace, error) {
	return f.tr, f.err
}

// With several trace backends a trace URL keeps working whichever has the
// trace, the page names it, and a miss says what each answered.
func TestTraceLookupAcrossBackends(t *testing.T) {
	found := fetcher{tr: &datasources.Trace{ID: traceHex, Spans: []datasources.Span{{TraceID: traceHex, SpanID: "00000000000000a1", Name: "GET /",
		StartNs: traceBase.UnixNano(), EndNs: traceBase.Add(time.Millisecond).UnixNano(), Resource: &datasources.Resource{Service: "shop"}}}}}
	notFound := fetcher{err: &datasources.Error{Kind: datasources.ErrorNotFound, Backend: "tempo", Message: "Tempo has no trace with this ID."}}
	down := fetcher{err: datasources.FromTransport("jaeger", context.DeadlineExceeded)}
	tests := []struct {
		name     string
		backends []TraceBackend
		status   int
		says     string
	}{
		{"found in the second", []TraceBackend{{Name: "tempo", Display: "Tempo", Fetch: notFound}, {Name: "jaeger", Display: "Jaeger", Fetch: found}},
			http.StatusOK, "FromJaeger"},
		{"found in the first", []TraceBackend{{Name: "tempo", Display: "Tempo", Fetch: found}, {Name: "jaeger", Display: "Jaeger", Fetch: down}},
			http.StatusOK, "FromTempo"},
		{"in none", []TraceBackend{{Name: "tempo", Display: "Tempo", Fetch: notFound}, {Name: "jaeger", Display: "Jaeger", Fetch: notFound}},
			http.StatusNotFound, "Tempo and Jaeger have no trace with this ID."},
		{"not in one, the other down", []TraceBackend{{Name: "tempo", Display: "Tempo", Fetch: notFound}, {Name: "jaeger", Display: "Jaeger", Fetch: down}},
			http.StatusBadGateway, "Not in Tempo. Jaeger did not answer in time."},
		{"none configured", nil, http.StatusServiceUnavailable, "set TEMPO_URL, JAEGER_URL or ZIPKIN_URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newApp(t, Options{TraceBackends: tt.backends})
			w := a.get(t, "/traces/"+traceHex)
			text := strings.Join(strings.Fields(doc(t, w).Find("main").Text()), "")
			if w.Code != tt.status || !strings.Contains(text, strings.Join(strings.Fields(tt.says), "")) {
				t.Errorf("status %d, want %d; page %q, want %q", w.Code, tt.status, text, tt.says)
			}
		})
	}
}

// hung is a backend that never answers until it is let go.
type hung struct{ released chan struct{} }

func (h hung) Trace(ctx context.Context, id string, start, end time.Time) (*datasources.Trace, error) {
	<-ctx.Done()
	close(h.released)
	return nil, ctx.Err()
}

// TestTraceLookupDoesNotWaitForAHungBackend: when the backend asked first
// has the trace, the page does not wait for another that hangs, and that
// request is let go.
func TestTraceLookupDoesNotWaitForAHungBackend(t *testing.T) {
	found := fetcher{tr: &datasources.Trace{ID: traceHex, Spans: []datasources.Span{{TraceID: traceHex, SpanID: "00000000000000a1", Name: "GET /",
		StartNs: traceBase.UnixNano(), EndNs: traceBase.Add(time.Millisecond).UnixNano(), Resource: &datasources.Resource{Service: "shop"}}}}}
	h := hung{released: make(chan struct{})}
	a := newApp(t, Options{TraceBackends: []TraceBackend{{Name: "tempo", Display: "Tempo", Fetch: found}, {Name: "jaeger", Display: "Jaeger", Fetch: h}}})
	done := make(chan int, 1)
	go func() { done <- a.get(t, "/traces/"+traceHex).Code }()
	select {
	case code := <-done:
		if code != http.StatusOK {
			t.Errorf("status %d", code)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the page waits for the backend that hangs")
	}
	select {
	case <-h.released:
	case <-time.After(5 * time.Second):
		t.Error("the hung backend's request was never let go")
	}
}
