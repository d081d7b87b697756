package handlers

import (
	"context"
	"fmt"
	"slices"
	"strconv"
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

// buildMap asks every configured source at once and merges them from the
// most preferred down: span metrics for the nodes, service-graph metrics,
// then Jaeger's dependencies, then the trace sample for the edges (and
// for the nodes when no metrics answered). A source that fails or has
// nothing says so in Source.Problems and the others still draw.
func (h *Handler) buildMap(ctx context.Context, w servicemap.Window) *servicemap.Map {
	var (
		wg                    sync.WaitGroup
		nodes, edges, deps    *servicemap.Map
		sample                *servicemap.Map
		nodesErr, edgesErr    error
		depsErr, sampleErr    error
		nodesFrom, sampleFrom string
		sampled               int
	)
	cfg := h.opt.ServiceMap.WithDefaults()
	if h.opt.Prometheus != nil {
		wg.Go(func() { nodes, nodesFrom, nodesErr = h.nodeMetrics(ctx, cfg, w, "") })
		wg.Go(func() { edges, edgesErr = h.edgeMetrics(ctx, cfg.ServiceGraph, w) })
	}
	if h.opt.Dependencies != nil {
		wg.Go(func() {
			var ds []jaeger.Dependency
			if ds, depsErr = h.opt.Dependencies.Dependencies(ctx, w.To, w.To.Sub(w.From)); depsErr == nil {
				deps = servicemap.FromDependencies(convertDeps(ds), w.To.Sub(w.From))
			}
		})
	}
	wg.Go(func() {
		var trs []*datasources.Trace
		trs, sampleFrom, sampleErr = h.mapSample(ctx, w.From, w.To)
		sampled = len(trs)
		sample = servicemap.FromTraces(trs, w)
	})
	wg.Wait()

	m := &servicemap.Map{}
	src := &m.Source
	problem := func(who string, err error) {
		src.Problems = append(src.Problems, who+": "+replyTo(err).Message)
	}
	switch {
	case h.opt.Prometheus == nil:
		src.Problems = append(src.Problems, "Prometheus is not configured: no span or service-graph metrics.")
	case nodesErr != nil:
		problem("Span metrics from Prometheus", nodesErr)
	case nodes == nil:
		src.Problems = append(src.Problems, "Prometheus has no span metrics ("+spanMetricNames(cfg)+").")
	default:
		m.Merge(nodes)
		src.Nodes = append(src.Nodes, "span metrics ("+nodesFrom+")")
	}
	switch {
	case h.opt.Prometheus == nil:
	case edgesErr != nil:
		problem("Service-graph metrics from Prometheus", edgesErr)
	case len(edges.Edges) == 0:
		src.Problems = append(src.Problems, "Prometheus has no service-graph metrics ("+cfg.ServiceGraph.Requests+").")
	default:
		m.Merge(edges)
		src.Edges = append(src.Edges, "service-graph metrics ("+cfg.ServiceGraph.Requests+")")
	}
	switch {
	case h.opt.Dependencies == nil:
	case depsErr != nil:
		problem("Jaeger's dependencies", depsErr)
	case len(deps.Edges) > 0:
		m.Merge(deps)
		src.Edges = append(src.Edges, "Jaeger's dependencies (call rates)")
	}
	if sampleErr != nil {
		problem("The trace sample", sampleErr)
	}
	if sampled > 0 {
		m.Merge(sample)
		src.SampleTraces = sampled
		what := "a sample of " + strconv.Itoa(sampled) + " traces from " + sampleFrom + ", " + "up to " + strconv.Itoa(mapSamplePerSlice) + " from each tenth of the range"
		src.Edges = append(src.Edges, what)
		if len(src.Nodes) == 0 {
			src.Nodes = append(src.Nodes, what)
		}
	}
	return m
}

func convertDeps(ds []jaeger.Dependency) []servicemap.Dependency {
	out := make([]servicemap.Dependency, len(ds))
	for i, d := range ds {
		out[i] = servicemap.Dependency{Parent: d.Parent, Child: d.Child, Calls: d.CallCount}
	}
	return out
}

func spanMetricNames(cfg servicemap.Metrics) string {
	s := ""
	for i, sm := range cfg.SpanMetrics {
		if i > 0 {
			s += " or "
		}
		s += sm.Calls
	}
	return s
}

// nodeMetrics asks each span-metrics writer's rate in turn (the first
// with series wins), then that writer's errors, p99 and mean together.
// service narrows to one service's operations. A nil map means no writer
// has data.
func (h *Handler) nodeMetrics(ctx context.Context, cfg servicemap.Metrics, w servicemap.Window, service string) (*servicemap.Map, string, error) {
	for _, sm := range cfg.SpanMetrics {
		q := sm.NodeQueries(w, service)
		rate, err := h.opt.Prometheus.QueryRange(ctx, q.Rate, w.From, w.To, w.Step)
		if err != nil {
			return nil, "", err
		}
		if len(rate.Series) == 0 {
			continue
		}
		r := servicemap.NodeResults{Rate: rate.Series}
		if err := h.rangeQueries(ctx, w, []rangeQuery{{q.Errors, &r.Errors}, {q.P99, &r.P99}, {q.Mean, &r.Mean}}); err != nil {
			return nil, "", err
		}
		label := sm.ServiceLabel
		if service != "" {
			label = sm.SpanLabel
		}
		return servicemap.FromNodeMetrics(r, label, w.Step.Milliseconds()), sm.Name + ": " + sm.Calls, nil
	}
	return nil, "", nil
}

// rangeQuery is one PromQL range query and where its series go.
type rangeQuery struct {
	expr string
	dst  *[]datasources.Series
}

// rangeQueries runs qs over w at once, each answer into its dst; the
// first error (in qs' order) is the answer.
func (h *Handler) rangeQueries(ctx context.Context, w servicemap.Window, qs []rangeQuery) error {
	errs := make([]error, len(qs))
	var wg sync.WaitGroup
	for i, q := range qs {
		wg.Go(func() {
			res, err := h.opt.Prometheus.QueryRange(ctx, q.expr, w.From, w.To, w.Step)
			if err == nil {
				*q.dst = res.Series
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// edgeMetrics reads the service graph's edges.
func (h *Handler) edgeMetrics(ctx context.Context, g servicemap.ServiceGraph, w servicemap.Window) (*servicemap.Map, error) {
	q := g.EdgeQueries(w)
	rate, err := h.opt.Prometheus.QueryRange(ctx, q.Rate, w.From, w.To, w.Step)
	if err != nil || len(rate.Series) == 0 {
		return &servicemap.Map{}, err
	}
	r := servicemap.EdgeResults{Rate: rate.Series}
	if err := h.rangeQueries(ctx, w, []rangeQuery{{q.Errors, &r.Errors}, {q.P99, &r.P99}}); err != nil {
		return nil, err
	}
	return servicemap.FromEdgeMetrics(r, g), nil
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
