package handlers

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/ariadne-dev/ariadne/datasources"
)

// fakeTraces is a trace backend that has some traces and counts asks.
type fakeTraces struct {
	has    map[string]bool
	exists bool // answer through Exists (a TraceExister) rather than Trace
	asked  atomic.Int64
	block  bool
}

func (f *fakeTraces) Trace(ctx context.Context, id string, _, _ time.Time) (*datasources.Trace, error) {
	f.asked.Add(1)
	if f.block {
		<-ctx.Done()
		return nil, &datasources.Error{Kind: datasources.ErrorUnavailable, Backend: "tempo", Message: "slow"}
	}
	if f.has[id] {
		return &datasources.Trace{ID: id, Spans: []datasources.Span{{TraceID: id, SpanID: "00000000000000a1"}}}, nil
	}
	return nil, &datasources.Error{Kind: datasources.ErrorNotFound, Backend: "tempo", Message: "no such trace"}
}

type existerTraces struct{ *fakeTraces }

func (f existerTraces) Exists(ctx context.Context, id string, _, _ time.Time) (bool, error) {
	f.asked.Add(1)
	return f.has[id], nil
}

func graphWithMissing(t *testing.T, backend TraceFetcher) *goquery.Document {
	t.Helper()
	spike := graphNow.Add(-5 * time.Minute)
	f := &fakeMetrics{
		series: []datasources.Series{p99(map[string]string{"service": "orders"})},
		exemplars: []datasources.Exemplar{
			exemplar("orders", "trace_id", "4bf92f3577b34da6a3ce929d0e0e4736", spike, 1.9),                     // kept
			exemplar("orders", "trace_id", "00000000000000000000000000000abc", spike.Add(10*time.Second), 2.4), // the slowest: sampled out
			exemplar("orders", "trace_id", "0af7651916cd43dd8448eb211c80319c", graphNow.Add(-8*time.Minute), 0.12),
		},
	}
	a := newGraphApp(t, f, Options{TraceBackends: []TraceBackend{{Name: "tempo", Display: "Tempo", Fetch: backend}}})
	w := a.get(t, graphURL(demoQuery, "step", "5s"))
	if w.Code != http.StatusOK {
		t.Fatalf("status %d", w.Code)
	}
	return doc(t, w)
}

// A sampled-out exemplar is drawn hollow with a tooltip saying so, the
// page counts what it checked, and Investigate skips it for the slowest
// exemplar whose trace exists.
func TestGraphMarksMissingExemplarTraces(t *testing.T) {
	has := map[string]bool{"4bf92f3577b34da6a3ce929d0e0e4736": true, "0af7651916cd43dd8448eb211c80319c": true}
	for name, backend := range map[string]TraceFetcher{
		"trace by ID":     &fakeTraces{has: has},
		"existence check": existerTraces{&fakeTraces{has: has}},
	} {
		t.Run(name, func(t *testing.T) {
			d := graphWithMissing(t, backend)
			missing := d.Find("svg.chart a.ex.missing")
			if missing.Length() != 1 || missing.AttrOr("data-trace-id", "") != "00000000000000000000000000000abc" {
				t.Fatalf("%d hollow markers", missing.Length())
			}
			if tip := missing.Find("title").Text(); !strings.Contains(tip, "No trace backend has this trace") {
				t.Errorf("tooltip %q", tip)
			}
			if note := d.Find("p.exemplar-check").Text(); note != "Checked 3 exemplar traces: 1 missing (hollow markers): no trace backend has it, most likely sampled out after the metric counted the request." {
				t.Errorf("note %q", note)
			}
			inv := d.Find(".spike-list li a.investigate").AttrOr("href", "")
			if !strings.HasPrefix(inv, "/traces/4bf92f3577b34da6a3ce929d0e0e4736?") {
				t.Errorf("Investigate %q, want the slowest exemplar that exists", inv)
			}
		})
	}
}

// Answers are cached: a second render asks nothing again.
func TestExemplarCheckCachesAndIsBounded(t *testing.T) {
	fb := &fakeTraces{has: map[string]bool{"4bf92f3577b34da6a3ce929d0e0e4736": true}}
	spike := graphNow.Add(-5 * time.Minute)
	f := &fakeMetrics{series: []datasources.Series{p99(map[string]string{"service": "orders"})},
		exemplars: []datasources.Exemplar{exemplar("orders", "trace_id", "4bf92f3577b34da6a3ce929d0e0e4736", spike, 1.9),
			exemplar("orders", "trace_id", "00000000000000000000000000000abc", spike.Add(10*time.Second), 2.4)}}
	a := newGraphApp(t, f, Options{TraceBackends: []TraceBackend{{Name: "tempo", Display: "Tempo", Fetch: fb}}})
	a.get(t, graphURL(demoQuery, "step", "5s"))
	first := fb.asked.Load()
	a.get(t, graphURL(demoQuery, "step", "5s"))
	if first != 2 || fb.asked.Load() != first {
		t.Errorf("asked %d, then %d in all", first, fb.asked.Load())
	}

	// A backend that hangs: the graph answers within the check's bound,
	// its markers drawn as usual and counted as not checked.
	slow := &fakeTraces{block: true}
	a = newGraphApp(t, f, Options{TraceBackends: []TraceBackend{{Name: "tempo", Display: "Tempo", Fetch: slow}}})
	start := time.Now()
	d := doc(t, a.get(t, graphURL(demoQuery, "step", "5s")))
	if el := time.Since(start); el > exemplarCheckTimeout+2*time.Second {
		t.Errorf("the graph took %s", el)
	}
	if d.Find("svg.chart a.ex.missing").Length() != 0 || d.Find("p.exemplar-check").Length() != 0 {
		t.Error("an unanswered check marked something")
	}
}
