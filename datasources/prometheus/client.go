// Package prometheus is Ariadne's Prometheus client: range and instant
// queries, exemplars (the metric→trace link), label and series lookups and
// readiness, translated into the datasources model and error vocabulary.
//
// It speaks the HTTP API through client_golang's api/prometheus/v1, so it
// works against Prometheus and API-compatible servers (Mimir, Thanos); the
// Prometheus server module itself is never imported.
package prometheus

import (
	"context"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/api"
	v1 "github.com/prometheus/client_golang/api/prometheus/v1"

	"github.com/ariadne-dev/ariadne/datasources"
)

// Backend is the name used in errors and messages.
const Backend = "prometheus"

// Client talks to one Prometheus. It is safe for concurrent use.
type Client struct {
	cfg  datasources.Config
	http *http.Client
	api  v1.API
}

// New builds a client for cfg. An empty cfg.URL is not an error: every
// method then returns a ErrorNotConfigured error, which pages show as such.
func New(cfg datasources.Config) (*Client, error) {
	c := &Client{cfg: cfg}
	if !cfg.Configured() {
		return c, nil
	}
	hc, err := cfg.HTTPClient(Backend)
	if err != nil {
		return nil, err
	}
	// client_golang reads whole bodies itself; the cap has to sit in the
	// transport, under its reader.
	hc.Transport = &capTransport{next: hc.Transport, limit: cfg.Limit()}
	c.http = hc
	ac, err := api.NewClient(api.Config{Address: cfg.BaseURL(), Client: hc})
	if err != nil {
		return nil, datasources.InvalidURL(Backend, err)
	}
	c.api = v1.NewAPI(ac)
	return c, nil
}

// start prepares a call: not-configured check, and a context that records
// the HTTP status for error mapping.
func (c *Client) start(ctx context.Context) (context.Context, *callInfo, error) {
	if c.api == nil {
		return ctx, nil, datasources.NotConfigured(Backend)
	}
	info := &callInfo{}
	return context.WithValue(ctx, callInfoKey{}, info), info, nil
}

// Ready reports whether Prometheus can answer queries: /-/ready, or, where
// that path is not served (API-only proxies, Mimir's prefixes), buildinfo.
func (c *Client) Ready(ctx context.Context) error {
	ctx, info, err := c.start(ctx)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.cfg.BaseURL()+"/-/ready", nil)
	if err != nil {
		return datasources.FromTransport(Backend, err)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return c.mapError(err, info)
	}
	body, err := datasources.ReadBody(Backend, resp, c.cfg.Limit())
	switch {
	case err != nil:
		return err
	case resp.StatusCode == http.StatusOK:
		return datasources.ReadyBody(Backend, body)
	case resp.StatusCode == http.StatusServiceUnavailable:
		// Prometheus answers 503 while it replays its WAL.
		return &datasources.Error{Kind: datasources.ErrorUnavailable, Backend: Backend, Status: resp.StatusCode,
			Message: "Prometheus is starting up and not ready yet."}
	case resp.StatusCode == http.StatusNotFound:
		_, err := c.api.Buildinfo(ctx)
		return c.mapError(err, info)
	}
	return datasources.FromStatus(Backend, resp.StatusCode, body)
}

// queryOptions pass Prometheus a query timeout, so it gives up on a query
// about when we stop waiting, instead of computing an answer nobody reads.
// It is whole seconds: client_golang sends time.Duration's String, and
// Prometheus rejects fractions such as "4.5s".
func (c *Client) queryOptions() []v1.Option {
	d := (c.cfg.RequestTimeout() * 9 / 10).Truncate(time.Second)
	if d < time.Second {
		return nil
	}
	return []v1.Option{v1.WithTimeout(d)}
}
