package prometheus

import (
	"context"
	"time"

	"github.com/ariadne-dev/ariadne/datasources"
)

// LabelNames lists label names of series matching matchers (all series when
// none) between start and end; zero times leave the bound to Prometheus.
func (c *Client) LabelNames(ctx context.Context, matchers []string, start, end time.Time) ([]string, error) {
	ctx, info, err := c.start(ctx)
	if err != nil {
		return nil, err
	}
	names, _, _, err := c.api.LabelNames(ctx, matchers, start, end)
	if err != nil {
		return nil, c.mapError(err, info)
	}
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = string(n)
	}
	return out, nil
}

// LabelValues lists the values of label name, as LabelNames.
func (c *Client) LabelValues(ctx context.Context, name string, matchers []string, start, end time.Time) ([]string, error) {
	ctx, info, err := c.start(ctx)
	if err != nil {
		return nil, err
	}
	vals, _, _, err := c.api.LabelValues(ctx, name, matchers, start, end)
	if err != nil {
		return nil, c.mapError(err, info)
	}
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = string(v)
	}
	return out, nil
}

// Series lists the label sets of series matching any of matchers (at least
// one is required by Prometheus).
func (c *Client) Series(ctx context.Context, matchers []string, start, end time.Time) ([]map[string]string, error) {
	ctx, info, err := c.start(ctx)
	if err != nil {
		return nil, err
	}
	if len(matchers) == 0 {
		return nil, &datasources.Error{Kind: datasources.ErrorBadQuery, Backend: Backend,
			Message: "A series lookup needs at least one selector, e.g. {job=\"api\"}."}
	}
	sets, _, _, err := c.api.Series(ctx, matchers, start, end)
	if err != nil {
		return nil, c.mapError(err, info)
	}
	out := make([]map[string]string, len(sets))
	for i, s := range sets {
		out[i] = labelMap(s)
	}
	return out, nil
}
