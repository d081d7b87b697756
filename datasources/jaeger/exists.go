package jaeger

import (
	"bytes"
	"context"
	"net/http"
	"time"
)

// Exists reports whether Jaeger has trace id without decoding it: the v3
// trace by ID judged by its status and whether it holds a span, the
// classic API when v3 is missing (as Trace does).
func (c *Client) Exists(ctx context.Context, id string, start, end time.Time) (bool, error) {
	id, r, err := c.v3Trace(ctx, id, start, end)
	if err != nil {
		return false, err
	}
	marker := []byte(`"spanId"`)
	if r.Status == http.StatusNotFound && !isV3Error(r.Body) {
		if r, err = c.get(ctx, "/api/traces/"+id, nil); err != nil {
			return false, err
		}
		marker = []byte(`"spanID"`)
	}
	switch r.Status {
	case http.StatusOK:
		return bytes.Contains(r.Body, marker), nil
	case http.StatusNotFound:
		return false, nil
	}
	return false, statusError(r, notFoundMessage)
}
