package loki

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

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
	if err := cfg.CheckURL(Backend); err != nil {
		return nil, err
	}
	hc, err := cfg.HTTPClient()
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
		return nil, err
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, statusError(resp.StatusCode, body)
	}
	return body, nil
}

// limitPhrases are the starts of Loki's 400 answers for a query that is
// valid but asks for more than the limits allow. The user has to narrow the
// query, so they are ErrorTooLarge rather than a bad query.
var limitPhrases = []string{
	"max entries limit per query exceeded",
	"maximum number of series",
	"the query time range exceeds the limit",
	"exceeded maximum resolution",
	"the query would read too many bytes",
	"query would read too many bytes",
	"too many outstanding requests",
	"max_query_bytes_read",
	"max_querier_bytes_read",
	"the query hit the max number of",
}

// statusError maps a non-2xx answer. Loki answers in plain text, a few
// versions and proxies in JSON ({"message":…} or Prometheus' {"error":…}).
func statusError(status int, body []byte) error {
	msg := errorText(body)
	err := datasources.FromStatus(Backend, status, []byte(msg))
	e, ok := err.(*datasources.Error)
	if !ok {
		return err
	}
	lower := strings.ToLower(msg)
	switch {
	case status == http.StatusBadRequest:
		for _, p := range limitPhrases {
			if strings.Contains(lower, p) {
				e.Kind = datasources.ErrorTooLarge
				break
			}
		}
	case status == http.StatusGatewayTimeout && msg != "":
		// Loki's query timeout text tells the user what to change.
		e.Message = msg
	case status == http.StatusUnauthorized, status == http.StatusForbidden:
		// "no org id" and friends: Ariadne's configuration is wrong, not
		// the user's query.
		e.Kind = datasources.ErrorUnavailable
		e.Message = "Loki refused the request (" + http.StatusText(status) + "): " + msg
	case status == 499:
		// Loki's "request cancelled": the client went away, not a bad query.
		e.Kind = datasources.ErrorUnavailable
	}
	return e
}

// errorText returns the user-facing text of an error body.
func errorText(body []byte) string {
	b := bytes.TrimSpace(body)
	if len(b) > 0 && b[0] == '{' {
		var j struct {
			Message string `json:"message"`
			Error   string `json:"error"`
		}
		if json.Unmarshal(b, &j) == nil {
			if j.Message != "" {
				return j.Message
			}
			if j.Error != "" {
				return j.Error
			}
		}
	}
	return string(b)
}
