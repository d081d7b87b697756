package handlers

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ariadne-dev/ariadne/datasources"
)

// sampledSearch is a Jaeger-like backend whose search answers with whole
// traces, summarised with the spans that say how each was sampled.
type sampledSearch struct{ traces []datasources.TraceSummary }

func (s sampledSearch) Search(context.Context, datasources.TraceQuery) (*datasources.SearchResult, error) {
	return &datasources.SearchResult{Traces: s.traces}, nil
}

func (sampledSearch) Services(context.Context) ([]string, error) { return []string{"gateway"}, nil }

// TestTraceSearchCountsRequests: a parameter-searched backend's results
// say how many requests they stand for where the traces record a
// probability, and why not otherwise; Tempo's say its answer cannot tell.
func TestTraceSearchCountsRequests(t *testing.T) {
	at := graphNow.Add(-10 * time.Minute).UnixNano()
	trace := func(i int, attrs ...datasources.Attribute) datasources.TraceSummary {
		id := strings.Repeat("0", 31) + string(rune('1'+i))
		return datasources.TraceSummary{TraceID: id, RootService: "gateway", RootName: "GET /api/orders/{id}", StartNs: at, Spans: 1,
			Sampling: []datasources.Span{{TraceID: id, SpanID: "00000000000000a1", Attrs: attrs}}}
	}
	adaptive := []datasources.Attribute{{Key: "sampler.type", Value: "probabilistic"}, {Key: "sampler.param", Value: "0.05"}}
	lower := []datasources.Attribute{{Key: "sampler.type", Value: "ratelimiting"}, {Key: "sampler.param", Value: "0.0166"}}
	cases := []struct {
		name   string
		traces []datasources.TraceSummary
		want   string
	}{
		{"every trace records its probability", []datasources.TraceSummary{trace(0, adaptive...), trace(1, adaptive...), trace(2, adaptive...)},
			"3 traces ≈ 60 requests"},
		{"some do", []datasources.TraceSummary{trace(0, adaptive...), trace(1, lower...), trace(2)},
			"3 traces: 1 of them ≈ 20 requests; request count unknown for the other 2 (no sampling recorded: 1, rate limiting: 1)"},
		{"a summary without spans", []datasources.TraceSummary{{TraceID: strings.Repeat("0", 31) + "9", StartNs: at}},
			"1 trace (request count unknown: Jaeger's search answer does not say how each was sampled)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := newApp(t, Options{TraceBackends: []TraceBackend{{Name: "jaeger", Display: "Jaeger", Fetch: &fakeTraces{}, Search: sampledSearch{tc.traces}}}})
			w := a.get(t, "/traces?backend=jaeger&service=gateway&from=now-1h&to=now")
			if w.Code != 200 {
				t.Fatalf("status %d", w.Code)
			}
			got := strings.Join(strings.Fields(doc(t, w).Find(`section.panel-done[data-panel="Results"] .request-count`).Text()), " ")
			if got != tc.want {
				t.Errorf("count %q\nwant  %q", got, tc.want)
			}
		})
	}

	tempo := newTraceApp(t, checkoutTrace())
	w := tempo.get(t, "/traces?build=1&service=payments&from=2026-11-26T09:50:00Z&to=2026-11-26T10:10:00Z")
	got := strings.Join(strings.Fields(doc(t, w).Find(`section.panel-done[data-panel="Results"] .request-count`).Text()), " ")
	if want := "1 trace (request count unknown: " + tempoSearchUnsaid + ")"; got != want {
		t.Errorf("Tempo: %q\nwant   %q", got, want)
	}
}
