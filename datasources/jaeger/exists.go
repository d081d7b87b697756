package jaeger

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"time"

	"github.com/ariadne-dev/ariadne/datasources"
)

// Exists reports whether Jaeger has trace id without decoding it: the v3
// trace by ID judged by its status and whether it holds a span, the
// classic API when v3 is missing (as Trace does).
func (c *Client) Exists(ctx context.Context, id string, start, end time.Time) (bool, error) {
	id, err := datasources.ParseTraceID(id)
	if err != nil {
		return false, &datasources.Error{Kind: datasources.ErrorBadQuery, Backend: Backend, Message: err.Error()}
	}
	q := url.Values{}
	if !start.IsZero() {
		q.Set("start_time", start.UTC().Format(time.RFC3339Nano))
	}
	if !end.IsZero() {
		q.Set("end_time", end.UTC().Format(time.RFC3339Nano))
	}
	r, err := c.get(ctx, "/api/v3/traces/"+id, q)
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
