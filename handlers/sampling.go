package handlers

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/ariadne-dev/ariadne/correlation/links"
	"github.com/ariadne-dev/ariadne/correlation/query"
	"github.com/ariadne-dev/ariadne/correlation/sampling"
	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/datasources/prometheus"
	"github.com/ariadne-dev/ariadne/views"
)

// GET /sampling compares, per service, what the metrics counted with what
// the trace backend kept, and per root operation (adaptive sampling
// decides per operation). Bounded: three range queries and one exemplar
// query to Prometheus, two searches per service (at most
// samplingTraceLimit traces each, samplingSearchers at a time), and at
// most samplingExemplars exemplar traces looked up per service.
const (
	samplingTraceLimit = 2000
	samplingBuckets    = 30
	samplingSearchers  = 4
	samplingExemplars  = 40
	// samplingMetric is the request histogram's counter: the demo world's
	// names (CONVENTIONS).
	samplingMetric = "http_server_request_duration_seconds"
)

func (h *Handler) samplingPage(c echo.Context) error {
	r, rc := h.timeRange(c)
	r = r.Absolute()
	p := h.page(c, "Sampling", "traces")
	p.Range, p.Styles = rc, []string{"css/investigations.css", "css/analysis.css"}
	b, ok := h.searchBackend(c.QueryParam("backend"))
	v := views.SamplingView{Backend: b.Display}
	for _, sb := range h.opt.TraceBackends {
		v.Backends = append(v.Backends, views.Choice{Value: sb.Name, Label: sb.Display, Selected: sb.Name == b.Name})
	}
	for _, k := range []string{"from", "to"} {
		if x := c.QueryParam(k); x != "" {
			v.Hidden = append(v.Hidden, views.Hidden{Name: k, Value: x})
		}
	}
	switch {
	case !ok:
		v.Problem = "There is no trace backend " + quoteShort(c.QueryParam("backend")) + " here."
		return render(c, http.StatusBadRequest, views.SamplingPage(p, v))
	case h.opt.Prometheus == nil:
		v.Problem = "Prometheus is not configured: set PROMETHEUS_URL to measure requests."
		return render(c, http.StatusServiceUnavailable, views.SamplingPage(p, v))
	case len(h.opt.TraceBackends) == 0:
		v.Problem = datasources.UserMessage(errNoTraceBackend)
		return render(c, http.StatusServiceUnavailable, views.SamplingPage(p, v))
	}
	services, err := h.measureSampling(c.Request().Context(), b, r)
	var de *datasources.Error
	switch {
	case err != nil && !errors.As(err, &de):
		return err
	case err != nil:
		v.Problem = datasources.UserMessage(err)
		return render(c, replyTo(err).Status, views.SamplingPage(p, v))
	}
	built := views.BuildSampling(views.SamplingInput{Services: services, Range: r, Zone: zoneOf(c), TraceLimit: samplingTraceLimit})
	built.Backend, built.Backends, built.Hidden = v.Backend, v.Backends, v.Hidden
	if len(services) == 0 {
		built.Problem = "The metrics counted no requests in this range."
	}
	return render(c, http.StatusOK, views.SamplingPage(p, built))
}

// measureSampling gathers each service's counts: requests and errors from
// the metrics per bucket, kept traces and kept error traces from one
// search each, and the exemplars whose traces exist.
func (h *Handler) measureSampling(ctx context.Context, b TraceBackend, r links.TimeRange) ([]views.SamplingService, error) {
	step := max((r.Duration() / samplingBuckets).Round(time.Second), 15*time.Second)
	counter := func(sel string) string {
		return `sum by (service) (increase(` + samplingMetric + `_count` + sel + `[` + query.PromDuration(step) + `]))`
	}
	var (
		reqs, errs, ops *prometheus.Result
		exs             []datasources.Exemplar
		errReq          error
		wg              sync.WaitGroup
	)
	wg.Go(func() { reqs, errReq = h.opt.Prometheus.QueryRange(ctx, counter(""), r.From.Add(step), r.To, step) })
	wg.Go(func() {
		errs, _ = h.opt.Prometheus.QueryRange(ctx, counter(`{status=~"5.."}`), r.From.Add(step), r.To, step)
	})
	wg.Go(func() {
		ops, _ = h.opt.Prometheus.QueryRange(ctx, `sum by (service, method, route) (increase(`+samplingMetric+`_count[`+query.PromDuration(step)+`]))`, r.From.Add(step), r.To, step)
	})
	wg.Go(func() { exs, _ = h.opt.Prometheus.Exemplars(ctx, samplingMetric+"_bucket", r.From, r.To) })
	wg.Wait()
	if errReq != nil {
		return nil, errReq
	}
	series := func(r *prometheus.Result) []datasources.Series {
		if r == nil {
			return nil
		}
		return r.Series
	}
	measured := sampling.Metrics{
		Requests: reqs.Series, Errors: series(errs), Ops: series(ops),
		Exemplars: exs, TraceLabels: h.opt.ExemplarTraceLabel, MaxExemplars: samplingExemplars,
	}.Services()

	unsaid := tempoSearchUnsaid
	if b.Search != nil {
		unsaid = b.Display + "'s search answer does not say how each was sampled"
	}
	sem := make(chan struct{}, samplingSearchers)
	var mu sync.Mutex
	var firstErr error
	out := make([]views.SamplingService, len(measured))
	for i, m := range measured {
		out[i] = views.SamplingService{Counts: m.Counts, EndsMs: m.EndsMs, StepMs: step.Milliseconds(), Requests: m.Requests}
		svc, name := &out[i], m.Counts.Service
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			kept, capped, err := h.keptTraces(ctx, b, query.TraceFilter{Service: name}, r)
			errKept, errCapped, err2 := h.keptTraces(ctx, b, query.TraceFilter{Service: name, ErrorsOnly: true}, r)
			found := h.existsMany(ctx, m.ExemplarTraces, r)
			mu.Lock()
			defer mu.Unlock()
			if err != nil || err2 != nil {
				if firstErr == nil {
					firstErr = errors.Join(err, err2)
				}
				return
			}
			svc.Counts.Kept, svc.Counts.KeptCapped = len(kept), capped
			svc.Counts.KeptErrors, svc.Counts.KeptErrorsCapped = len(errKept), errCapped
			starts := make([]int64, len(kept))
			roots := map[string]int{}
			for i, t := range kept {
				starts[i] = t.StartNs
				if t.RootService == name && t.RootName != "" {
					roots[t.RootName]++
				}
			}
			svc.Kept = sampling.Bin(starts, svc.EndsMs, svc.StepMs)
			svc.Ops, svc.OpsCapped = sampling.Operations(roots, m.Ops), capped
			svc.StandsFor = views.TraceRequestCount(kept, unsaid)
			for _, ok := range found {
				svc.Counts.ExemplarsChecked++
				if ok {
					svc.Counts.ExemplarsFound++
				}
			}
		})
	}
	wg.Wait()
	if firstErr != nil {
		var de *datasources.Error
		if errors.As(firstErr, &de) {
			return nil, de
		}
		return nil, firstErr
	}
	return out, nil
}

// keptTraces is the traces backend b has for f in r, at most
// samplingTraceLimit (capped says the search stopped there).
func (h *Handler) keptTraces(ctx context.Context, b TraceBackend, f query.TraceFilter, r links.TimeRange) ([]datasources.TraceSummary, bool, error) {
	kept, _, err := h.findTraces(ctx, b, f, r, samplingTraceLimit)
	if err != nil {
		return nil, false, err
	}
	return kept, len(kept) >= samplingTraceLimit, nil
}
