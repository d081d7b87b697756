package zipkin

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/ariadne-dev/ariadne/datasources"
)

// Backend is the name this client puts in every datasources.Error.
const Backend = "zipkin"

// Client talks to one Zipkin server (or anything serving Zipkin's v2 query
// API). It is safe for concurrent use and keeps no state between requests.
type Client struct {
	cfg datasources.Config
	hc  *http.Client
	now func() time.Time // the default end of searches and dependencies
}

// New builds a client. An unconfigured cfg (empty URL) is not an error here:
// every method then returns an ErrorNotConfigured error so pages can say so.
func New(cfg datasources.Config) (*Client, error) {
	hc, err := cfg.HTTPClient(Backend)
	if err != nil {
		return nil, err
	}
	return &Client{cfg: cfg, hc: hc, now: time.Now}, nil
}

// response is a fully read answer, whatever its status.
type response struct {
	status int
	body   []byte
}

// get performs one GET and reads the body under the size cap. Transport
// failures become ErrorUnavailable; statuses are left to the caller, as a
// 404 means "no such trace" on one endpoint and "wrong URL" on the others.
func (c *Client) get(ctx context.Context, path string, q url.Values) (*response, error) {
	r, err := datasources.Get(ctx, c.hc, c.cfg, Backend, path, q, "application/json")
	if err != nil {
		return nil, err
	}
	return &response{status: r.Status, body: r.Body}, nil
}

// getJSON is get for endpoints whose 200 is JSON decoded into v and whose
// 404 can only mean the URL does not reach Zipkin's API.
func (c *Client) getJSON(ctx context.Context, path string, q url.Values, v any) error {
	r, err := c.get(ctx, path, q)
	if err != nil {
		return err
	}
	if r.status != http.StatusOK {
		return statusError(r, "")
	}
	if err := json.Unmarshal(r.body, v); err != nil {
		return unreadable(r.body, err)
	}
	return nil
}

// statusError maps a non-2xx answer. Zipkin explains a bad parameter in its
// 400's body, as plain text ("maxDuration is only valid with minDuration")
// or, in versions built on Spring, as JSON with a "message"; either becomes
// the user's message. A 404 is notFound's when given (a trace that is not
// there); elsewhere it means the URL reaches something that is not Zipkin's
// API, which is a configuration problem, not the user's.
func statusError(r *response, notFound string) error {
	err := datasources.FromStatus(Backend, r.status, jsonMessage(r.body))
	e, ok := err.(*datasources.Error)
	if !ok || e.Kind != datasources.ErrorNotFound {
		return err
	}
	if notFound != "" {
		e.Message = notFound
		return e
	}
	e.Kind = datasources.ErrorUnavailable
	e.Message = "Zipkin answered 404 Not Found for its own API: check that the Zipkin URL is the server's base URL (without /api/v2 or /zipkin)."
	return e
}

// jsonMessage returns the "message" (or "error") of a JSON error body, and
// any other body unchanged.
func jsonMessage(body []byte) []byte {
	b := strings.TrimSpace(string(body))
	if !strings.HasPrefix(b, "{") {
		return body
	}
	var doc struct{ Message, Error string }
	if json.Unmarshal(body, &doc) != nil {
		return body
	}
	switch {
	case doc.Message != "":
		return []byte(doc.Message)
	case doc.Error != "":
		return []byte(doc.Error)
	}
	return body
}

// unreadable is the error for a 200 whose body is not Zipkin's JSON. A web
// page there (Zipkin's UI, a proxy's login) means the URL is wrong, so the
// message says that rather than blaming the answer.
func unreadable(body []byte, err error) error {
	if datasources.IsMarkup(string(body)) {
		return &datasources.Error{Kind: datasources.ErrorUnavailable, Backend: Backend, Status: http.StatusOK,
			Err:     datasources.ErrNotAnAPI,
			Message: "Zipkin's URL answers with a web page, not Zipkin's API: check that it is the server's base URL."}
	}
	return &datasources.Error{Kind: datasources.ErrorUnavailable, Backend: Backend, Status: http.StatusOK,
		Message: "Zipkin sent an answer Ariadne could not read.", Err: err}
}
