package loki

import (
	"context"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/ariadne-dev/ariadne/datasources"
)

// Directions of a log query.
const (
	Backward = "backward"
	Forward  = "forward"
)

// Query is a query_range request. Zero Start/End leave Loki's defaults
// (the last hour); a zero Limit leaves Loki's default of 100 lines; a zero
// Step leaves Loki's default for metric queries.
type Query struct {
	Expr      string
	Start     time.Time // inclusive
	End       time.Time // exclusive for log lines
	Limit     int
	Direction string // Backward (the default) or Forward
	Step      time.Duration
	// Prepare, when set, works on the answer's lines while it is decoded
	// (see the type); it rides along with the query through paging.
	Prepare Prepare
}

func (q Query) dir() string {
	if strings.EqualFold(q.Direction, Forward) {
		return Forward
	}
	return Backward
}

// ns formats a time as Loki's unambiguous form, integer nanoseconds.
func ns(t time.Time) string { return strconv.FormatInt(t.UnixNano(), 10) }

func (q Query) params() url.Values {
	v := url.Values{"query": {q.Expr}, "direction": {q.dir()}}
	if !q.Start.IsZero() {
		v.Set("start", ns(q.Start))
	}
	if !q.End.IsZero() {
		v.Set("end", ns(q.End))
	}
	if q.Limit > 0 {
		v.Set("limit", strconv.Itoa(q.Limit))
	}
	if q.Step > 0 {
		// Seconds as a decimal: Loki reads it as float seconds, and it
		// keeps sub-second steps that a Go duration string would too,
		// but in the form every Loki version accepts.
		v.Set("step", strconv.FormatFloat(q.Step.Seconds(), 'f', -1, 64))
	}
	return v
}

// QueryRange runs a log or metric query over a time range.
func (c *Client) QueryRange(ctx context.Context, q Query) (*Result, error) {
	body, err := c.get(ctx, "/loki/api/v1/query_range", q.params())
	if err != nil {
		return nil, err
	}
	// An error in a 200 answer's envelope is still Loki's message.
	res, err := DecodeQueryResponseWith(body, q.dir(), q.Prepare)
	return res, explain(err)
}

// Query runs an instant query at one time (zero at: Loki's now). Loki ≥ 3.2
// accepts only metric queries here; older versions also return streams.
func (c *Client) Query(ctx context.Context, expr string, at time.Time, limit int) (*Result, error) {
	v := url.Values{"query": {expr}}
	if !at.IsZero() {
		v.Set("time", ns(at))
	}
	if limit > 0 {
		v.Set("limit", strconv.Itoa(limit))
	}
	body, err := c.get(ctx, "/loki/api/v1/query", v)
	if err != nil {
		return nil, err
	}
	res, err := DecodeQueryResponse(body)
	return res, explain(err)
}

func rangeParams(start, end time.Time) url.Values {
	v := url.Values{}
	if !start.IsZero() {
		v.Set("start", ns(start))
	}
	if !end.IsZero() {
		v.Set("end", ns(end))
	}
	return v
}

// Labels lists label names seen in the range (zero times: Loki's defaults).
func (c *Client) Labels(ctx context.Context, start, end time.Time) ([]string, error) {
	return c.stringList(ctx, "/loki/api/v1/labels", rangeParams(start, end))
}

// LabelValues lists the values of one label seen in the range.
func (c *Client) LabelValues(ctx context.Context, name string, start, end time.Time) ([]string, error) {
	return c.stringList(ctx, "/loki/api/v1/label/"+url.PathEscape(name)+"/values", rangeParams(start, end))
}

func (c *Client) stringList(ctx context.Context, path string, v url.Values) ([]string, error) {
	body, err := c.get(ctx, path, v)
	if err != nil {
		return nil, err
	}
	var env struct {
		Data []string `json:"data"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		return nil, decodeError(err)
	}
	// Loki leaves "data" out when there is nothing: that is an empty list.
	if env.Data == nil {
		env.Data = []string{}
	}
	return env.Data, nil
}

// Series lists the label sets of streams matching any of the selectors.
func (c *Client) Series(ctx context.Context, matchers []string, start, end time.Time) ([]map[string]string, error) {
	v := rangeParams(start, end)
	for _, m := range matchers {
		v.Add("match[]", m)
	}
	body, err := c.get(ctx, "/loki/api/v1/series", v)
	if err != nil {
		return nil, err
	}
	var env struct {
		Data []map[string]string `json:"data"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		return nil, decodeError(err)
	}
	if env.Data == nil {
		env.Data = []map[string]string{}
	}
	return env.Data, nil
}

// Ready reports whether Loki answers 200 on /ready, as Loki does.
func (c *Client) Ready(ctx context.Context) error {
	body, err := c.get(ctx, "/ready", nil)
	if err != nil {
		return err
	}
	return datasources.ReadyBody(Backend, body)
}
