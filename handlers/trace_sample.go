package handlers

import (
	"context"
	"sync"

	"github.com/ariadne-dev/ariadne/correlation/links"
	"github.com/ariadne-dev/ariadne/correlation/query"
	"github.com/ariadne-dev/ariadne/datasources"
)

// Samples of whole traces (the quality report; later the baseline and the
// comparison of #18) are bounded: one search, then at most this many
// traces fetched, a few at a time.
const (
	defaultSampleTraces = 20
	maxSampleTraces     = 100
	sampleFetchers      = 4
)

// traceSample is a bounded sample of a search's traces, fetched whole.
type traceSample struct {
	Traces []*datasources.Trace // in the search's order
	Found  int                  // traces the search returned (at most the limit)
	Failed int                  // of those, how many could not be fetched
	More   bool                 // the search stopped at the limit: the window has more
	Sent   string               // what the backend was sent: the TraceQL, or its parameters
}

// sampleTraces searches backend b for traces matching f in r (TraceQL for
// Tempo, the form's parameters for Jaeger and Zipkin), at most limit of
// them, and fetches each whole. A failed search is the error; a trace
// that fails to come is counted, not fatal.
func (h *Handler) sampleTraces(ctx context.Context, b TraceBackend, f query.TraceFilter, r links.TimeRange, limit int) (*traceSample, error) {
	if b.Fetch == nil {
		return nil, datasources.NotConfigured(b.Name)
	}
	sums, sent, err := h.findTraces(ctx, b, f, r, limit)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(sums))
	for i, t := range sums {
		ids[i] = t.TraceID
	}
	if len(ids) > limit {
		ids = ids[:limit]
	}
	s := &traceSample{Found: len(ids), More: len(ids) >= limit, Sent: sent}
	got := make([]*datasources.Trace, len(ids))
	start, end := links.LookupWindow(r)
	sem := make(chan struct{}, sampleFetchers)
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			if tr, err := b.Fetch.Trace(ctx, id, start, end); err == nil && tr != nil && len(tr.Spans) > 0 {
				got[i] = tr
			}
		})
	}
	wg.Wait()
	for _, tr := range got {
		if tr == nil {
			s.Failed++
			continue
		}
		s.Traces = append(s.Traces, tr)
	}
	return s, nil
}

// findTraces runs f over w on backend b, at most limit traces: in
// TraceQL on Tempo, as the form's parameters on a backend searched by them
// (Jaeger, Zipkin). sent is what the backend was sent.
func (h *Handler) findTraces(ctx context.Context, b TraceBackend, f query.TraceFilter, w links.TimeRange, limit int) (sums []datasources.TraceSummary, sent string, err error) {
	if b.Search != nil {
		tq, err := f.Params()
		if err != nil {
			return nil, "", &datasources.Error{Kind: datasources.ErrorBadQuery, Backend: b.Name, Message: err.Error()}
		}
		tq.Start, tq.End, tq.Limit = w.From, w.To, limit
		res, err := b.Search.Search(ctx, tq)
		if err != nil {
			return nil, "", err
		}
		return res.Traces, res.Sent, nil
	}
	if h.opt.Tempo == nil {
		return nil, "", datasources.NotConfigured(b.Name)
	}
	q, err := f.Build()
	if err != nil {
		return nil, "", &datasources.Error{Kind: datasources.ErrorBadQuery, Backend: b.Name, Message: err.Error()}
	}
	res, err := h.opt.Tempo.Search(ctx, q, w.From, w.To, limit, 1)
	if err != nil {
		return nil, q, err
	}
	sums = make([]datasources.TraceSummary, len(res.Traces))
	for i, t := range res.Traces {
		sums[i] = t.Summary()
	}
	return sums, q, nil
}
