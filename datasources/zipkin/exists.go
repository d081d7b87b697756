package zipkin

import (
	"bytes"
	"context"
	"net/http"
	"time"

	"github.com/ariadne-dev/ariadne/datasources"
)

// Exists reports whether Zipkin has trace id without decoding it: the
// trace by ID (its 16-character form first for a 64-bit ID, as Trace asks)
// judged by its status and whether the list holds a span.
func (c *Client) Exists(ctx context.Context, id string, _, _ time.Time) (bool, error) {
	tid, err := datasources.ParseTraceID(id)
	if err != nil {
		return false, &datasources.Error{Kind: datasources.ErrorBadQuery, Backend: Backend, Message: err.Error(), Err: err}
	}
	asked := []string{tid}
	if tid[:16] == zeroHigh {
		asked = []string{tid[16:], tid}
	}
	for _, form := range asked {
		r, err := c.get(ctx, "/api/v2/trace/"+form, nil)
		if err != nil {
			return false, err
		}
		switch r.status {
		case http.StatusOK:
			return bytes.Contains(r.body, []byte(`"traceId"`)), nil
		case http.StatusNotFound:
			continue
		}
		return false, statusError(r, "")
	}
	return false, nil
}
