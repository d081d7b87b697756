package jaeger

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"github.com/ariadne-dev/ariadne/datasources"
)

// Backend is the name this client puts in every datasources.Error.
const Backend = "jaeger"

// DefaultTenantHeader is the header Jaeger's multi-tenancy reads.
const DefaultTenantHeader = "x-tenant"

// Client talks to one Jaeger query service. It is safe for concurrent use.
type Client struct {
	cfg datasources.Config
	hc  *http.Client
}

// New builds a client. An unconfigured cfg (empty URL) is not an error:
// every method then returns an ErrorNotConfigured error.
func New(cfg datasources.Config) (*Client, error) {
	if cfg.TenantHeader == "" {
		cfg.TenantHeader = DefaultTenantHeader
	}
	hc, err := cfg.HTTPClient(Backend)
	if err != nil {
		return nil, err
	}
	return &Client{cfg: cfg, hc: hc}, nil
}

// get asks Jaeger and returns its answer whatever the status; only a
// failure to get one is an error.
func (c *Client) get(ctx context.Context, path string, q url.Values) (*datasources.Response, error) {
	return datasources.Get(ctx, c.hc, c.cfg, Backend, path, q, "application/json")
}

// v3Error is the v3 API's error envelope, {"error":{"httpCode":…,"message":…}}.
type v3Error struct {
	Error *struct {
		HTTPCode int    `json:"httpCode"`
		Message  string `json:"message"`
	} `json:"error"`
}

// statusError maps a failed answer of either API. Jaeger's own messages
// say what is wrong ("parameter 'service' is required", "No traces
// found"); its status codes are not always the right kind (v3 answers a
// bad search depth with 500), so the message decides where it can.
func statusError(r *datasources.Response, notFound string) error {
	msg := ""
	var v3 v3Error
	var cl classicResponse
	if json.Unmarshal(r.Body, &v3) == nil && v3.Error != nil {
		msg = v3.Error.Message
	} else if json.Unmarshal(r.Body, &cl) == nil && len(cl.Errors) > 0 {
		msg = cl.Errors[0].Msg
	}
	lower := strings.ToLower(msg)
	switch {
	case r.Status == http.StatusNotFound && (msg != "" || len(r.Body) == 0):
		return &datasources.Error{Kind: datasources.ErrorNotFound, Backend: Backend, Status: r.Status, Message: notFound}
	case strings.Contains(lower, "not found") && msg != "":
		return &datasources.Error{Kind: datasources.ErrorNotFound, Backend: Backend, Status: r.Status, Message: notFound}
	case msg != "" && (r.Status == http.StatusBadRequest || strings.Contains(lower, "required") || strings.Contains(lower, "must be") ||
		strings.Contains(lower, "cannot parse") || strings.Contains(lower, "should be")):
		return &datasources.Error{Kind: datasources.ErrorBadQuery, Backend: Backend, Status: r.Status, Message: "Jaeger: " + msg}
	case msg != "":
		return datasources.FromStatus(Backend, r.Status, []byte(msg))
	}
	return datasources.FromStatus(Backend, r.Status, r.Body)
}

// unreadable is the error for a 200 whose body is not Jaeger's JSON.
func unreadable(err error) error {
	return &datasources.Error{Kind: datasources.ErrorUnavailable, Backend: Backend, Err: err,
		Message: "Jaeger sent an answer Ariadne could not read; is JAEGER_URL Jaeger's query service (port 16686)?"}
}

// Ready reports whether Jaeger's query service answers its services list.
func (c *Client) Ready(ctx context.Context) error {
	_, err := c.Services(ctx)
	return err
}
