package jaeger

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"time"

	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/datasources/otlp"
)

const notFoundMessage = "Jaeger has no trace with this ID."

// v3Trace asks the v3 API for trace id (normalised, and returned so),
// within start and end when set: the one request Trace and Exists share.
func (c *Client) v3Trace(ctx context.Context, id string, start, end time.Time) (string, *datasources.Response, error) {
	id, err := datasources.ParseTraceID(id)
	if err != nil {
		return "", nil, &datasources.Error{Kind: datasources.ErrorBadQuery, Backend: Backend, Message: err.Error()}
	}
	q := url.Values{}
	if !start.IsZero() {
		q.Set("start_time", start.UTC().Format(time.RFC3339Nano))
	}
	if !end.IsZero() {
		q.Set("end_time", end.UTC().Format(time.RFC3339Nano))
	}
	r, err := c.get(ctx, "/api/v3/traces/"+id, q)
	return id, r, err
}

// Trace fetches one trace. start and end narrow Jaeger's lookup when set.
// The v3 API answers in OTLP; a Jaeger without it (a 404 that is not
// Jaeger's "No traces found") is asked on the classic API.
func (c *Client) Trace(ctx context.Context, id string, start, end time.Time) (*datasources.Trace, error) {
	id, r, err := c.v3Trace(ctx, id, start, end)
	if err != nil {
		return nil, err
	}
	if r.Status == http.StatusNotFound && !isV3Error(r.Body) {
		return c.classicTrace(ctx, id)
	}
	if r.Status != http.StatusOK {
		return nil, statusError(r, notFoundMessage)
	}
	tr, err := DecodeV3Trace(r.Body)
	if err != nil {
		return nil, err
	}
	if len(tr.Spans) == 0 {
		return nil, &datasources.Error{Kind: datasources.ErrorNotFound, Backend: Backend, Message: notFoundMessage}
	}
	tr.ID = id
	return tr, nil
}

func isV3Error(b []byte) bool {
	var e v3Error
	return json.Unmarshal(b, &e) == nil && e.Error != nil
}

// DecodeV3Trace reads the v3 API's {"result": TracesData} answer.
func DecodeV3Trace(body []byte) (*datasources.Trace, error) {
	var w struct {
		Result json.RawMessage `json:"result"`
	}
	if err := json.Unmarshal(body, &w); err != nil {
		return nil, unreadable(err)
	}
	if len(w.Result) == 0 || string(w.Result) == "null" {
		return &datasources.Trace{}, nil
	}
	td, err := otlp.DecodeJSON(w.Result)
	if err != nil {
		return nil, unreadable(err)
	}
	return &datasources.Trace{Spans: otlp.Convert(td)}, nil
}

func (c *Client) classicTrace(ctx context.Context, id string) (*datasources.Trace, error) {
	// The classic API takes the ID without its leading zeros or with
	// them; the full form is unambiguous.
	r, err := c.get(ctx, "/api/traces/"+id, nil)
	if err != nil {
		return nil, err
	}
	if r.Status != http.StatusOK {
		return nil, statusError(r, notFoundMessage)
	}
	trs, err := decodeClassic(r.Body)
	if err != nil {
		return nil, err
	}
	if len(trs) == 0 || len(trs[0].Spans) == 0 {
		return nil, &datasources.Error{Kind: datasources.ErrorNotFound, Backend: Backend, Message: notFoundMessage}
	}
	tr := convertClassic(trs[0])
	tr.ID = id
	return tr, nil
}

// decodeClassic reads the classic API's {"data": [trace…], "errors": …}.
func decodeClassic(body []byte) ([]classicTrace, error) {
	var resp classicResponse
	if err := json.Unmarshal(body, &resp); err != nil {
		return nil, unreadable(err)
	}
	if len(resp.Errors) > 0 && len(resp.Data) == 0 {
		return nil, statusError(&datasources.Response{Status: resp.Errors[0].Code, Body: body}, notFoundMessage)
	}
	return resp.Data, nil
}
