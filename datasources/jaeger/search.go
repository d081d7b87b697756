package jaeger

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"time"

	"github.com/ariadne-dev/ariadne/datasources"
)

// SearchParams is the classic search request for q, as Jaeger's UI sends
// it: service (required), operation, tags as a JSON object,
// minDuration/maxDuration as Go durations, start/end in microseconds,
// limit. ErrorsOnly is not sent as Jaeger UI's error=true tag: Jaeger v2's
// stores read that tag as a boolean, the classic API passes it as the
// string "true", and the memory store then matches only spans whose status
// is OK. Search filters failed traces itself instead, asking for more.
func SearchParams(q datasources.TraceQuery) (url.Values, error) {
	if q.Service == "" {
		return nil, &datasources.Error{Kind: datasources.ErrorBadQuery, Backend: Backend, Message: noServiceMessage}
	}
	v := url.Values{"service": {q.Service}}
	if q.Operation != "" {
		v.Set("operation", q.Operation)
	}
	tags := map[string]string{}
	for _, a := range q.Attributes {
		tags[a.Key] = a.Value
	}
	if len(tags) > 0 {
		b, _ := json.Marshal(tags) // keys sorted: the same form sends the same URL
		v.Set("tags", string(b))
	}
	if q.MinDuration > 0 {
		v.Set("minDuration", q.MinDuration.String())
	}
	if q.MaxDuration > 0 {
		v.Set("maxDuration", q.MaxDuration.String())
	}
	if !q.Start.IsZero() {
		v.Set("start", strconv.FormatInt(q.Start.UnixMicro(), 10))
	}
	if !q.End.IsZero() {
		v.Set("end", strconv.FormatInt(q.End.UnixMicro(), 10))
	}
	if q.Limit > 0 {
		n := q.Limit
		if q.ErrorsOnly {
			n = min(max(n*errorsOversample, 100), 1500)
		}
		v.Set("limit", strconv.Itoa(n))
	}
	return v, nil
}

// noServiceMessage is why Jaeger cannot search without a service.
const noServiceMessage = "Jaeger searches within one service: choose a service."

// errorsOversample is how many more traces an errors-only search asks
// for, to keep enough after dropping those without a failed span.
const errorsOversample = 5

// Search finds traces. The v3 HTTP API would ignore attributes, so this
// asks the classic /api/traces, which every Jaeger serves.
func (c *Client) Search(ctx context.Context, q datasources.TraceQuery) (*datasources.SearchResult, error) {
	params, err := SearchParams(q)
	if err != nil {
		return nil, err
	}
	res := &datasources.SearchResult{Sent: "/api/traces?" + params.Encode()}
	if q.ErrorsOnly {
		res.Sent += " (then only traces with a failed span, kept by Ariadne)"
	}
	r, err := c.get(ctx, "/api/traces", params)
	if err != nil {
		return nil, err
	}
	if r.Status != http.StatusOK {
		return nil, statusError(r, "No traces found.")
	}
	trs, err := decodeClassic(r.Body)
	if err != nil {
		if datasources.ErrorKindOf(err) == datasources.ErrorNotFound {
			return res, nil
		}
		return nil, err
	}
	for _, ct := range trs {
		sum := convertClassic(ct).Summary()
		if q.ErrorsOnly && sum.Errors == 0 {
			continue
		}
		res.Traces = append(res.Traces, sum)
	}
	// Newest first, as Tempo's results come.
	sort.SliceStable(res.Traces, func(i, j int) bool { return res.Traces[i].StartNs > res.Traces[j].StartNs })
	if q.Limit > 0 && len(res.Traces) > q.Limit {
		res.Traces = res.Traces[:q.Limit]
	}
	return res, nil
}

// Services lists the services Jaeger has seen.
func (c *Client) Services(ctx context.Context) ([]string, error) {
	r, err := c.get(ctx, "/api/services", nil)
	if err != nil {
		return nil, err
	}
	if r.Status != http.StatusOK {
		return nil, statusError(r, "No services.")
	}
	var resp struct {
		Data []string `json:"data"`
	}
	if err := json.Unmarshal(r.Body, &resp); err != nil {
		return nil, unreadable(err)
	}
	sort.Strings(resp.Data)
	return resp.Data, nil
}

// Operations lists a service's span names.
func (c *Client) Operations(ctx context.Context, service string) ([]string, error) {
	r, err := c.get(ctx, "/api/services/"+url.PathEscape(service)+"/operations", nil)
	if err != nil {
		return nil, err
	}
	if r.Status != http.StatusOK {
		return nil, statusError(r, "No operations for "+service+".")
	}
	var resp struct {
		Data []string `json:"data"`
	}
	if err := json.Unmarshal(r.Body, &resp); err != nil {
		return nil, unreadable(err)
	}
	sort.Strings(resp.Data)
	return resp.Data, nil
}

// Dependency is one edge of Jaeger's service dependency graph.
type Dependency struct {
	Parent, Child string
	CallCount     int64
}

// Dependencies is Jaeger's dependency graph for the lookback before end.
func (c *Client) Dependencies(ctx context.Context, end time.Time, lookback time.Duration) ([]Dependency, error) {
	q := url.Values{"endTs": {strconv.FormatInt(end.UnixMilli(), 10)}, "lookback": {strconv.FormatInt(lookback.Milliseconds(), 10)}}
	r, err := c.get(ctx, "/api/dependencies", q)
	if err != nil {
		return nil, err
	}
	if r.Status != http.StatusOK {
		return nil, statusError(r, "No dependencies.")
	}
	var resp struct {
		Data []struct {
			Parent    string `json:"parent"`
			Child     string `json:"child"`
			CallCount int64  `json:"callCount"`
		} `json:"data"`
	}
	if err := json.Unmarshal(r.Body, &resp); err != nil {
		return nil, unreadable(err)
	}
	out := make([]Dependency, len(resp.Data))
	for i, d := range resp.Data {
		out[i] = Dependency{Parent: d.Parent, Child: d.Child, CallCount: d.CallCount}
	}
	return out, nil
}
