package tempo

import (
	"context"
	"net/http"
	"time"

	"github.com/ariadne-dev/ariadne/datasources"
)

// Exists reports whether Tempo has trace id, for checks of many IDs at
// once (the graph's exemplars): the same v2-then-v1 request as Trace, but
// the answer is judged by its status and only decoded when it is too
// small to hold a span. Tempo has no cheaper existence API.
func (c *Client) Exists(ctx context.Context, id string, start, end time.Time) (bool, error) {
	tid, err := datasources.ParseTraceID(id)
	if err != nil {
		return false, &datasources.Error{Kind: datasources.ErrorBadQuery, Backend: Backend, Message: err.Error(), Err: err}
	}
	q := timeRange(nil, start, end)
	r, err := c.get(ctx, "/api/v2/traces/"+tid, q, acceptProto)
	if err != nil {
		return false, err
	}
	decode := DecodeTraceV2
	if r.status == http.StatusNotFound {
		if r, err = c.get(ctx, "/api/traces/"+tid, q, acceptProto); err != nil {
			return false, err
		}
		decode = DecodeTraceV1
	}
	switch r.status {
	case http.StatusOK:
	case http.StatusNotFound:
		return false, nil
	default:
		return false, statusError(r, "")
	}
	if len(r.body) >= smallestTrace {
		return true, nil
	}
	tr, err := decode(r.body, r.contentType)
	if err != nil {
		return false, err
	}
	return len(tr.Spans) > 0, nil
}

// smallestTrace is fewer bytes than any answer holding one span takes
// (a span alone has a 16-byte trace ID and an 8-byte span ID).
const smallestTrace = 48
