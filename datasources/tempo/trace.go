package tempo

import (
	"context"
	"net/http"
	"time"

	"github.com/ariadne-dev/ariadne/datasources"
)

const acceptProto = "application/protobuf, application/json;q=0.5"

// Trace fetches one trace by ID. It asks v2 first and falls back to v1 when
// v2 answers 404 (Tempo before 2.6) for this request only. start and end
// narrow which blocks Tempo reads; zero times leave them out.
//
// Outcomes: no spans → ErrorNotFound; a v2 PARTIAL trace → Trace.Partial with
// Tempo's message; a v1 trace over Tempo's size limit (422) → ErrorTooLarge.
func (c *Client) Trace(ctx context.Context, id string, start, end time.Time) (*datasources.Trace, error) {
	tid, err := datasources.ParseTraceID(id)
	if err != nil {
		return nil, &datasources.Error{Kind: datasources.ErrorBadQuery, Backend: Backend, Message: err.Error(), Err: err}
	}
	q := timeRange(nil, start, end)
	notFound := "Tempo has no trace " + tid + " in the searched time range (it may be outside retention or not ingested yet)."

	r, err := c.get(ctx, "/api/v2/traces/"+tid, q, acceptProto)
	if err != nil {
		return nil, err
	}
	decode := DecodeTraceV2
	if r.status == http.StatusNotFound {
		if r, err = c.get(ctx, "/api/traces/"+tid, q, acceptProto); err != nil {
			return nil, err
		}
		decode = DecodeTraceV1
	}
	if r.status != http.StatusOK {
		return nil, statusError(r, notFound)
	}
	tr, err := decode(r.body, r.contentType)
	if err != nil {
		return nil, err
	}
	if len(tr.Spans) == 0 {
		return nil, &datasources.Error{Kind: datasources.ErrorNotFound, Backend: Backend, Status: r.status, Message: notFound}
	}
	tr.ID = tid
	return tr, nil
}
