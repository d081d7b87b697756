package prometheus

import (
	"context"
	"time"

	v1 "github.com/prometheus/client_golang/api/prometheus/v1"
	"github.com/prometheus/common/model"

	"github.com/ariadne-dev/ariadne/datasources"
)

// Result is the answer to a query: series in Prometheus's order, and the
// warnings (and, from Prometheus 3, infos) it attached, which a graph shows
// under the plot.
type Result struct {
	Series   []datasources.Series
	Warnings []string
	Infos    []string
}

// QueryRange evaluates query at every step from start to end.
func (c *Client) QueryRange(ctx context.Context, query string, start, end time.Time, step time.Duration) (*Result, error) {
	ctx, info, err := c.start(ctx)
	if err != nil {
		return nil, err
	}
	v, warn, infos, err := c.api.QueryRange(ctx, query, v1.Range{Start: start, End: end, Step: step}, c.queryOptions()...)
	if err != nil {
		return nil, c.mapError(err, info)
	}
	return toResult(v, warn, infos)
}

// Query evaluates query at one instant (the zero time means "now", as
// Prometheus decides it). A vector or scalar becomes series of one point.
func (c *Client) Query(ctx context.Context, query string, at time.Time) (*Result, error) {
	ctx, info, err := c.start(ctx)
	if err != nil {
		return nil, err
	}
	v, warn, infos, err := c.api.Query(ctx, query, at, c.queryOptions()...)
	if err != nil {
		return nil, c.mapError(err, info)
	}
	return toResult(v, warn, infos)
}

func toResult(v model.Value, warn v1.Warnings, infos v1.Infos) (*Result, error) {
	r := &Result{Warnings: warn, Infos: infos}
	switch v := v.(type) {
	case model.Matrix:
		r.Series = make([]datasources.Series, 0, len(v))
		for _, s := range v {
			pts := make([]datasources.Point, len(s.Values))
			for i, p := range s.Values {
				pts[i] = datasources.Point{TMs: int64(p.Timestamp), V: float64(p.Value)}
			}
			// Native-histogram samples (s.Histograms) are not plotted yet;
			// a series of only those keeps its labels with no points.
			r.Series = append(r.Series, datasources.Series{Labels: labelMap(model.LabelSet(s.Metric)), Points: pts})
		}
	case model.Vector:
		r.Series = make([]datasources.Series, 0, len(v))
		for _, s := range v {
			if s.Histogram != nil {
				continue
			}
			r.Series = append(r.Series, datasources.Series{
				Labels: labelMap(model.LabelSet(s.Metric)),
				Points: []datasources.Point{{TMs: int64(s.Timestamp), V: float64(s.Value)}},
			})
		}
	case *model.Scalar:
		r.Series = []datasources.Series{{
			Labels: map[string]string{},
			Points: []datasources.Point{{TMs: int64(v.Timestamp), V: float64(v.Value)}},
		}}
	case nil:
		r.Series = []datasources.Series{}
	default: // *model.String: valid PromQL, but nothing to plot
		return nil, &datasources.Error{Kind: datasources.ErrorBadQuery, Backend: Backend,
			Message: "The query returns a " + v.Type().String() + "; graphs need a vector, a matrix or a scalar."}
	}
	return r, nil
}

func labelMap(ls model.LabelSet) map[string]string {
	m := make(map[string]string, len(ls))
	for k, v := range ls {
		m[string(k)] = string(v)
	}
	return m
}
