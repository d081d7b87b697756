package zipkin

import (
	"context"
	"net/url"
	"strconv"
	"time"
)

// Dependency is one edge of Zipkin's service graph: calls from Parent (a
// client, producer or broker) to Child (a server, broker or consumer).
type Dependency struct {
	Parent, Child         string
	CallCount, ErrorCount int64
}

// Dependencies asks /api/v2/dependencies for the links derived from spans
// between end-lookback and end. A zero end is now; a zero lookback leaves
// Zipkin's default (its QUERY_LOOKBACK, a day unless configured).
func (c *Client) Dependencies(ctx context.Context, end time.Time, lookback time.Duration) ([]Dependency, error) {
	if end.IsZero() {
		end = c.now()
	}
	q := url.Values{"endTs": {strconv.FormatInt(end.UnixMilli(), 10)}}
	if lookback > 0 {
		q.Set("lookback", strconv.FormatInt(max(1, lookback.Milliseconds()), 10))
	}
	var links []wireDependency
	if err := c.getJSON(ctx, "/api/v2/dependencies", q, &links); err != nil {
		return nil, err
	}
	out := make([]Dependency, len(links))
	for i, l := range links {
		out[i] = Dependency{Parent: l.Parent, Child: l.Child, CallCount: l.CallCount, ErrorCount: l.ErrorCount}
	}
	return out, nil
}
