package handlers

import (
	"context"
	"sync"

	"github.com/ariadne-dev/ariadne/correlation/servicemap"
	"github.com/ariadne-dev/ariadne/datasources"
)

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
