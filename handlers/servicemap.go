package handlers

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/ariadne-dev/ariadne/correlation/links"
	"github.com/ariadne-dev/ariadne/correlation/query"
	"github.com/ariadne-dev/ariadne/correlation/servicemap"
	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/datasources/jaeger"
)

// DependencySource is Jaeger's dependency graph (a *jaeger.Client).
type DependencySource interface {
	Dependencies(ctx context.Context, end time.Time, lookback time.Duration) ([]jaeger.Dependency, error)
}

// The service map's trace sample: mapSampleSlices searches, one per slice
// of the range, each fetching mapSamplePerSlice traces whole, so the
// sample covers the whole range (its health needs a point per slice)
// rather than the newest seconds of it.
const (
	mapSampleSlices   = servicemap.SampleBuckets
	mapSamplePerSlice = 10
)

// builtMap is a service map, loaded once per page and shared by its
// panels (which only read it).
type builtMap struct {
	Map *servicemap.Map
	// Left is how many quiet nodes the map left out (servicemap.MaxNodes).
	Left int
}

// mapReuse is how long a built map serves every page of the same window
// (to the nearest mapReuse): the home page is opened by many at once.
const mapReuse = 15 * time.Second

// startMap builds the map of w in the background, or hands out the one
// built or being built for the same window. Each source is asked in
// parallel within most of a panel's time, so a slow one is given up on
// while the panels still have time to draw what the others gave. The
// build does not end with the request that started it: others may be
// waiting for it.
func (h *Handler) startMap(ctx context.Context, w servicemap.Window) *future[builtMap] {
	key := w.From.Truncate(mapReuse).String() + "|" + w.To.Truncate(mapReuse).String()
	ctx = context.WithoutCancel(ctx)
	return h.maps.get(key, h.now(), mapReuse, func() builtMap {
		ctx, cancel := context.WithTimeout(ctx, h.opt.PanelTimeout*3/4)
		defer cancel()
		m := h.buildMap(ctx, w)
		m.JudgeAll()
		left := m.Limit(servicemap.MaxNodes)
		m.Sort()
		return builtMap{Map: m, Left: left}
	})
}

// buildMap asks every configured source at once, then has
// servicemap.Assemble merge them from the most preferred down. Errors
// reach the map's text in the user's words (replyTo).
func (h *Handler) buildMap(ctx context.Context, w servicemap.Window) *servicemap.Map {
	var (
		wg                 sync.WaitGroup
		nodesErr, edgesErr error
		depsErr, sampleErr error
	)
	cfg := h.opt.ServiceMap.WithDefaults()
	f := servicemap.Fetched{
		Prometheus: h.opt.Prometheus != nil,
		Names:      cfg,
		Jaeger:     h.opt.Dependencies != nil,
		PerSlice:   mapSamplePerSlice,
	}
	if f.Prometheus {
		wg.Go(func() { f.SpanMetrics, f.SpanMetricsFrom, nodesErr = h.nodeMetrics(ctx, cfg, w, "") })
		wg.Go(func() { f.ServiceGraph, edgesErr = h.edgeMetrics(ctx, cfg.ServiceGraph, w) })
	}
	if f.Jaeger {
		wg.Go(func() {
			var ds []jaeger.Dependency
			if ds, depsErr = h.opt.Dependencies.Dependencies(ctx, w.To, w.To.Sub(w.From)); depsErr == nil {
				f.Dependencies = servicemap.FromDependencies(convertDeps(ds), w.To.Sub(w.From))
			}
		})
	}
	wg.Go(func() {
		var trs []*datasources.Trace
		trs, f.SampleFrom, sampleErr = h.mapSample(ctx, w.From, w.To)
		f.Sampled = len(trs)
		f.Sample = servicemap.FromTraces(trs, w)
	})
	wg.Wait()
	f.SpanMetricsErr, f.ServiceGraphErr = userMessage(nodesErr), userMessage(edgesErr)
	f.DependenciesErr, f.SampleErr = userMessage(depsErr), userMessage(sampleErr)
	return servicemap.Assemble(f)
}

// userMessage is err as a panel would say it, "" for none.
func userMessage(err error) string {
	if err == nil {
		return ""
	}
	return replyTo(err).Message
}

func convertDeps(ds []jaeger.Dependency) []servicemap.Dependency {
	out := make([]servicemap.Dependency, len(ds))
	for i, d := range ds {
		out[i] = servicemap.Dependency{Parent: d.Parent, Child: d.Child, Calls: d.CallCount}
	}
	return out
}

// mapSample is the map's trace sample of [from, to] from the first trace
// backend: one search per slice of the range, each fetching a few traces
// whole (sampleTraces). It names the backend it read.
func (h *Handler) mapSample(ctx context.Context, from, to time.Time) ([]*datasources.Trace, string, error) {
	b, _ := h.searchBackend("")
	if b.Fetch == nil {
		return nil, "", datasources.NotConfigured(b.Name)
	}
	slice := to.Sub(from) / mapSampleSlices
	// Jaeger and Zipkin search by service: the slices take the services
	// they list in turn (their search matches any span of the service, so
	// its callers' and callees' spans come too), so one noisy service
	// does not make the whole sample.
	var services []string
	if b.Search != nil {
		var err error
		if services, err = b.Search.Services(ctx); err != nil {
			return nil, b.Display, err
		}
		if len(services) == 0 {
			return nil, b.Display, nil
		}
		slices.Sort(services)
	}
	got := make([][]*datasources.Trace, mapSampleSlices)
	errs := make([]error, mapSampleSlices)
	var wg sync.WaitGroup
	for i := range mapSampleSlices {
		r := links.TimeRange{From: from.Add(slice * time.Duration(i)), To: from.Add(slice * time.Duration(i+1))}
		f := query.TraceFilter{}
		if len(services) > 0 {
			f.Service = services[i%len(services)]
		}
		wg.Go(func() {
			s, err := h.sampleTraces(ctx, b, f, r, mapSamplePerSlice)
			if err == nil {
				got[i] = s.Traces
			}
			errs[i] = err
		})
	}
	wg.Wait()
	var out []*datasources.Trace
	var firstErr error
	seen := map[string]bool{}
	for i := range got {
		for _, tr := range got[i] {
			// A trace across a slice's edge may be found by both.
			if !seen[tr.ID] {
				seen[tr.ID] = true
				out = append(out, tr)
			}
		}
		if errs[i] != nil && firstErr == nil {
			firstErr = errs[i]
		}
	}
	if len(out) > 0 {
		firstErr = nil // some slices answered: the sample stands, smaller
	}
	return out, b.Display, firstErr
}

// previousEdges are the calls seen in the day before from (shared for a
// minute by every page that asks), from every
// source that can say: the service graph's metrics, Jaeger's
// dependencies and a trace sample of that day (the only one that sees
// calls to uninstrumented peers). compared is false when none answered
// with anything.
func (h *Handler) previousEdges(ctx context.Context, from time.Time) *future[previous] {
	ctx = context.WithoutCancel(ctx)
	return h.previous.get(from.Truncate(time.Minute).String(), h.now(), time.Minute, func() previous {
		ctx, cancel := context.WithTimeout(ctx, h.opt.PanelTimeout*3/4)
		defer cancel()
		pairs, sources, compared := h.loadPreviousEdges(ctx, from)
		return previous{pairs, sources, compared}
	})
}

// previous is the day before a map's range, as previousEdges found it.
type previous struct {
	pairs    [][2]string
	sources  []string
	compared bool
}

func (h *Handler) loadPreviousEdges(ctx context.Context, from time.Time) (pairs [][2]string, sources []string, compared bool) {
	var mu sync.Mutex
	add := func(p [][2]string, what string) {
		mu.Lock()
		defer mu.Unlock()
		if len(p) > 0 {
			pairs = append(pairs, p...)
			sources = append(sources, what)
		}
	}
	cfg := h.opt.ServiceMap.WithDefaults()
	var wg sync.WaitGroup
	if h.opt.Prometheus != nil {
		wg.Go(func() {
			if res, err := h.opt.Prometheus.QueryRange(ctx, cfg.ServiceGraph.PreviousEdges(), from, from, time.Minute); err == nil {
				add(cfg.ServiceGraph.EdgePairs(res.Series), "service-graph metrics")
			}
		})
	}
	if h.opt.Dependencies != nil {
		wg.Go(func() {
			if ds, err := h.opt.Dependencies.Dependencies(ctx, from, 24*time.Hour); err == nil {
				add(servicemap.FromDependencies(convertDeps(ds), 24*time.Hour).Pairs(), "Jaeger's dependencies")
			}
		})
	}
	wg.Go(func() {
		if trs, _, err := h.mapSample(ctx, from.Add(-24*time.Hour), from); err == nil && len(trs) > 0 {
			w := servicemap.Window{From: from.Add(-24 * time.Hour), To: from}
			add(servicemap.FromTraces(trs, w).Pairs(), fmt.Sprintf("a sample of %d traces", len(trs)))
		}
	})
	wg.Wait()
	return pairs, sources, len(pairs) > 0
}
