package tempo

import (
	"context"
	"math"
	"net/http"
	"strings"
	"time"

	"google.golang.org/protobuf/encoding/protowire"

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

	r, err := c.getSized(ctx, "/api/v2/traces/"+tid, q, acceptProto, v2Size)
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

// v2Size is how long a protobuf TraceByIDResponse is at least: its first
// field, the trace (see datasources.ReadBodySized: Tempo answers a large
// trace chunked). What follows the trace (metrics, status, message) is a
// few dozen bytes, within the room a sized read leaves.
func v2Size(contentType string, head []byte) int64 {
	if !strings.Contains(strings.ToLower(contentType), "protobuf") {
		return -1
	}
	num, typ, n := protowire.ConsumeTag(head)
	if n < 0 || num != v2FieldTrace || typ != protowire.BytesType {
		return -1
	}
	l, m := protowire.ConsumeVarint(head[n:])
	if m < 0 || l > math.MaxInt32 {
		return -1
	}
	return int64(n+m) + int64(l)
}
