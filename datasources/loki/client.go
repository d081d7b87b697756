package loki

import (
	"context"
	"net/http"
	"net/url"

	"github.com/ariadne-dev/ariadne/datasources"
)

// Backend is the name used in errors and by handlers.
const Backend = "loki"

// EncodingFlagsHeader asks Loki ≥ 3.0 to keep stream labels, structured
// metadata and parsed labels apart instead of folding them into one map.
const EncodingFlagsHeader = "X-Loki-Response-Encoding-Flags"

// FlagCategorizeLabels is the value of EncodingFlagsHeader we send.
const FlagCategorizeLabels = "categorize-labels"

// Client talks to one Loki (or a query-frontend in front of it).
type Client struct {
	cfg  datasources.Config
	base string
	http *http.Client
}

// New builds a client. An empty cfg.URL is not an error here: every method
// then returns a ErrorNotConfigured error, which pages show as a note.
func New(cfg datasources.Config) (*Client, error) {
	hc, err := cfg.HTTPClient(Backend)
	if err != nil {
		return nil, err
	}
	return &Client{cfg: cfg, base: cfg.BaseURL(), http: hc}, nil
}

// get sends GET base+path?params and returns the body of a 2xx answer.
func (c *Client) get(ctx context.Context, path string, params url.Values) ([]byte, error) {
	if !c.cfg.Configured() {
		return nil, datasources.NotConfigured(Backend)
	}
	u := c.base + path
	if len(params) > 0 {
		u += "?" + params.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, &datasources.Error{Kind: datasources.ErrorUnknown, Backend: Backend,
			Message: "The Loki URL is invalid.", Err: err}
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set(EncodingFlagsHeader, FlagCategorizeLabels)
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, datasources.FromTransport(Backend, err)
	}
	body, err := datasources.ReadBody(Backend, resp, c.cfg.Limit())
	if err != nil {
		return nil, explain(err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, explain(statusError(resp.StatusCode, body))
	}
	return body, nil
}
