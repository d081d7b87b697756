package handlers

import (
	"context"
	"sync"
	"time"

	"github.com/ariadne-dev/ariadne/correlation/chart"
	"github.com/ariadne-dev/ariadne/correlation/links"
	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/telemetry"
)

// Exemplars that point nowhere: with tail sampling the metrics record an
// exemplar before the collector decides, so its trace may never be stored.
// The graph asks the trace backends whether the traces of the exemplars
// in view exist, within bounds, and draws the missing ones hollow.
const (
	// exemplarCheckMax bounds the traces asked per graph, slowest first.
	exemplarCheckMax = 200
	// exemplarCheckTimeout bounds the whole check: what has not answered
	// by then is drawn as usual and counted as not checked.
	exemplarCheckTimeout = 1500 * time.Millisecond
	// exemplarCheckWorkers is how many requests run at once.
	exemplarCheckWorkers = 16
	// A trace found stays found; one missing may still arrive (a tail
	// sampler's decision wait, ingestion), so that answer is kept briefly.
	existsFoundTTL   = 10 * time.Minute
	existsMissingTTL = 30 * time.Second
	existsCacheMax   = 20000
)

// TraceExister is a trace backend with a cheaper existence check than
// fetching the trace (Tempo, Jaeger and Zipkin judge the trace-by-ID answer
// without decoding it).
type TraceExister interface {
	Exists(ctx context.Context, id string, start, end time.Time) (bool, error)
}

// existsCache remembers existence answers across pages.
type existsCache struct {
	mu sync.Mutex
	m  map[string]existsEntry
}

type existsEntry struct {
	found bool
	until time.Time
}

func (c *existsCache) get(id string, now time.Time) (found, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[id]
	if !ok || now.After(e.until) {
		return false, false
	}
	return e.found, true
}

func (c *existsCache) put(id string, found bool, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= existsCacheMax {
		c.m = make(map[string]existsEntry) // a crude bound: start again
	}
	ttl := existsMissingTTL
	if found {
		ttl = existsFoundTTL
	}
	c.m[id] = existsEntry{found: found, until: now.Add(ttl)}
}

// checkExemplarTraces marks the chart's missing exemplar traces: up to
// exemplarCheckMax of them, slowest first, asked of every trace backend in
// parallel (a trace any backend has exists) within exemplarCheckTimeout,
// answers cached. A backend that fails leaves the trace unchecked.
func (h *Handler) checkExemplarTraces(ctx context.Context, c *chart.Chart, r links.TimeRange) {
	if len(h.opt.TraceBackends) == 0 {
		return
	}
	ids := chart.MarkerTraceIDs(c, exemplarCheckMax)
	if len(ids) == 0 {
		return
	}
	chart.MarkMissing(c, h.existsMany(ctx, ids, r))
}

// existsMany looks up whether each trace exists (a trace any backend has
// exists), exemplarCheckWorkers at a time within exemplarCheckTimeout,
// answers cached; an ID missing from the answer was not checked (a backend
// failed, or time ran out). r is the range the IDs were seen in: an
// exemplar's trace lies around its moment, so the lookup pads it.
func (h *Handler) existsMany(ctx context.Context, ids []string, r links.TimeRange) map[string]bool {
	start, end := links.LookupWindow(links.TimeRange{From: r.From.Add(-links.ExemplarPad), To: r.To.Add(links.ExemplarPad)})
	ctx, cancel := context.WithTimeout(ctx, exemplarCheckTimeout)
	defer cancel()
	found := make(map[string]bool, len(ids))
	var mu sync.Mutex
	todo := make(chan string)
	var wg sync.WaitGroup
	for range min(exemplarCheckWorkers, len(ids)) {
		wg.Go(func() {
			for id := range todo {
				ok, known := h.traceExists(ctx, id, start, end)
				if !known {
					continue
				}
				h.exists.put(id, ok, h.now())
				mu.Lock()
				found[id] = ok
				mu.Unlock()
			}
		})
	}
	now := h.now()
feed:
	for _, id := range ids {
		ok, cached := h.exists.get(id, now)
		h.tel.Metrics.CacheLookup(telemetry.CacheExemplarCheck, cached)
		if cached {
			mu.Lock()
			found[id] = ok
			mu.Unlock()
			continue
		}
		select {
		case todo <- id:
		case <-ctx.Done():
			break feed
		}
	}
	close(todo)
	wg.Wait()
	return found
}

// traceExists asks each trace backend in turn until one has the trace;
// known is false when a backend failed and none had it.
func (h *Handler) traceExists(ctx context.Context, id string, start, end time.Time) (found, known bool) {
	known = true
	for _, b := range h.opt.TraceBackends {
		var ok bool
		var err error
		if ex, isEx := b.Fetch.(TraceExister); isEx {
			ok, err = ex.Exists(ctx, id, start, end)
		} else {
			var tr *datasources.Trace
			tr, err = b.Fetch.Trace(ctx, id, start, end)
			ok = err == nil && tr != nil && len(tr.Spans) > 0
			if datasources.ErrorKindOf(err) == datasources.ErrorNotFound {
				err = nil
			}
		}
		switch {
		case ok:
			return true, true
		case err != nil:
			known = false
		}
	}
	return false, known
}
