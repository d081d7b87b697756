package tempo

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/ariadne-dev/ariadne/correlation/text"
	"github.com/ariadne-dev/ariadne/datasources"
)

// Backend is the name this client puts in every datasources.Error.
const Backend = "tempo"

// Client talks to one Tempo query frontend. It is safe for concurrent use
// and keeps no state between requests (a v1 fallback is decided per call,
// because a Tempo upgrade must not need an Ariadne restart).
type Client struct {
	cfg datasources.Config
	hc  *http.Client
}

// New builds a client. An unconfigured cfg (empty URL) is not an error here:
// every method then returns a ErrorNotConfigured error so pages can say so.
func New(cfg datasources.Config) (*Client, error) {
	hc, err := cfg.HTTPClient(Backend)
	if err != nil {
		return nil, err
	}
	return &Client{cfg: cfg, hc: hc}, nil
}

// response is a fully read 2xx or non-2xx answer.
type response struct {
	status      int
	contentType string
	body        []byte
}

// get performs one GET and reads the body under the size cap. Transport
// failures become ErrorUnavailable; status handling is left to the caller
// because Tempo's 404 and 200 mean different things per endpoint.
func (c *Client) get(ctx context.Context, path string, q url.Values, accept string) (*response, error) {
	return c.getSized(ctx, path, q, accept, nil)
}

// getSized is get for an answer whose first bytes say how long it is.
func (c *Client) getSized(ctx context.Context, path string, q url.Values, accept string, size datasources.BodySize) (*response, error) {
	r, err := datasources.GetSized(ctx, c.hc, c.cfg, Backend, path, q, accept, size)
	if err != nil {
		return nil, err
	}
	return &response{status: r.Status, contentType: r.ContentType, body: r.Body}, nil
}

// Ready asks Tempo's /ready probe. Any answer but 200 is ErrorUnavailable
// carrying Tempo's reason (e.g. "Some services are not Running").
func (c *Client) Ready(ctx context.Context) error {
	r, err := c.get(ctx, "/ready", nil, "")
	if err != nil {
		return err
	}
	if r.status != http.StatusOK {
		return datasources.FromStatus(Backend, r.status, r.body)
	}
	return datasources.ReadyBody(Backend, r.body)
}

// timeRange adds Tempo's start/end parameters in unix seconds; a zero time
// leaves its bound out (Tempo then uses its own default).
func timeRange(q url.Values, start, end time.Time) url.Values {
	if q == nil {
		q = url.Values{}
	}
	if !start.IsZero() {
		q.Set("start", strconv.FormatInt(start.Unix(), 10))
	}
	if !end.IsZero() {
		// Round up so a range ending mid-second still covers that second.
		s := end.Unix()
		if end.Nanosecond() > 0 {
			s++
		}
		q.Set("end", strconv.FormatInt(s, 10))
	}
	return q
}

// statusError maps a non-2xx answer. Three of Tempo's answers get our own
// words because its text alone would mislead: a 404 with an empty body, 401
// "no org id" (a configuration problem, not the user's query: it names the
// header to check) and 499 (the query was cancelled upstream, so retrying
// may work).
func statusError(r *response, notFound string) error {
	err := datasources.FromStatus(Backend, r.status, r.body)
	e, ok := err.(*datasources.Error)
	if !ok {
		return err
	}
	switch {
	case e.Kind == datasources.ErrorNotFound && e.Message == "":
		e.Message = notFound
	case r.status == http.StatusUnauthorized:
		detail := strings.TrimSpace(string(r.body))
		if datasources.IsMarkup(detail) {
			detail = ""
		}
		e.Message = datasources.AuthMessage(Backend, r.status, text.Shorten(detail, 200), "the tenant (X-Scope-OrgID) and credentials")
	case r.status == 499:
		e.Kind = datasources.ErrorUnavailable
		e.Message = "Tempo cancelled the query before it finished; try again or narrow the time range."
	}
	return e
}
