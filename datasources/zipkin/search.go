package zipkin

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/ariadne-dev/ariadne/datasources"
)

const tracesPath = "/api/v2/traces"

// Search runs q on /api/v2/traces. Result.Sent is the request's path and
// query as sent, for the page to show. A query Zipkin's parameters cannot
// express (a tag value holding " and ") is ErrorBadQuery before any
// request; one Zipkin refuses is ErrorBadQuery with Zipkin's words.
func (c *Client) Search(ctx context.Context, q datasources.TraceQuery) (*datasources.SearchResult, error) {
	params, err := searchParams(q, c.now)
	if err != nil {
		return nil, err
	}
	res := &datasources.SearchResult{Sent: tracesPath + "?" + params.Encode()}
	r, err := c.get(ctx, tracesPath, params)
	if err != nil {
		return nil, err
	}
	if r.status != http.StatusOK {
		return nil, statusError(r, "")
	}
	if res.Traces, err = DecodeSearch(r.body); err != nil {
		return nil, err
	}
	return res, nil
}

// searchParams compiles the form's query to Zipkin's parameters:
//
//   - Service → serviceName, Operation → spanName (Zipkin lower-cases both).
//   - Attributes → annotationQuery terms key=value, joined with " and "; an
//     empty value is the bare key, which Zipkin reads as "has this tag".
//     ErrorsOnly adds the bare term error: Zipkin's error tag, whatever its
//     value.
//   - MinDuration, MaxDuration → minDuration, maxDuration in microseconds.
//     Zipkin takes maxDuration only with minDuration, so a maximum alone
//     sends minDuration=1, which every span meets (Zipkin rounds shorter
//     durations up to 1).
//   - End → endTs, and Start → lookback = endTs - Start, in milliseconds,
//     rounded outwards so the window covers the range; a start without an
//     end ends now. Without them Zipkin's defaults apply (now, one day).
//   - Limit → limit (Zipkin's default is 10).
func searchParams(q datasources.TraceQuery, now func() time.Time) (url.Values, error) {
	v := url.Values{}
	if q.Service != "" {
		v.Set("serviceName", q.Service)
	}
	if q.Operation != "" {
		v.Set("spanName", q.Operation)
	}
	var terms []string
	for _, a := range q.Attributes {
		t, err := annotationTerm(a)
		if err != nil {
			return nil, err
		}
		terms = append(terms, t)
	}
	if q.ErrorsOnly {
		terms = append(terms, "error")
	}
	if len(terms) > 0 {
		v.Set("annotationQuery", strings.Join(terms, " and "))
	}

	var minUs int64
	if q.MinDuration > 0 {
		minUs = max(1, int64((q.MinDuration+time.Microsecond-1)/time.Microsecond))
		v.Set("minDuration", strconv.FormatInt(minUs, 10))
	}
	if q.MaxDuration > 0 {
		if minUs == 0 {
			v.Set("minDuration", "1")
		}
		v.Set("maxDuration", strconv.FormatInt(max(1, int64(q.MaxDuration/time.Microsecond)), 10))
	}

	end := q.End
	if end.IsZero() && !q.Start.IsZero() {
		end = now()
	}
	if !end.IsZero() {
		endMs := end.UnixMilli()
		if end.Sub(time.UnixMilli(endMs)) > 0 {
			endMs++ // a range ending mid-millisecond still covers it
		}
		v.Set("endTs", strconv.FormatInt(endMs, 10))
		if !q.Start.IsZero() {
			lookback := endMs - q.Start.UnixMilli()
			if lookback <= 0 {
				return nil, badQuery("The search's start is not before its end.")
			}
			v.Set("lookback", strconv.FormatInt(lookback, 10))
		}
	}
	if q.Limit > 0 {
		v.Set("limit", strconv.Itoa(q.Limit))
	}
	return v, nil
}

// annotationTerm is one tag condition in annotationQuery's syntax. Zipkin
// splits the query on " and ", the key at the first "=", and trims spaces
// around both, so a condition that would be read as something else is
// refused rather than sent.
func annotationTerm(a datasources.Attribute) (string, error) {
	switch {
	case strings.TrimSpace(a.Key) == "":
		return "", badQuery("Zipkin's tag search needs a tag name.")
	case strings.Contains(a.Key, "="):
		return "", badQuery("Zipkin cannot search for a tag whose name holds \"=\" (" + a.Key + ").")
	case strings.Contains(a.Key, " and ") || strings.Contains(a.Value, " and "):
		return "", badQuery("Zipkin cannot search for a tag holding \" and \": it separates conditions (" + a.Key + "=" + a.Value + ").")
	case strings.TrimSpace(a.Key) != a.Key || strings.TrimSpace(a.Value) != a.Value:
		return "", badQuery("Zipkin ignores spaces around a tag's name and value, so " + strconv.Quote(a.Key+"="+a.Value) + " cannot be searched exactly.")
	case a.Value == "":
		return a.Key, nil
	}
	return a.Key + "=" + a.Value, nil
}

func badQuery(msg string) error {
	return &datasources.Error{Kind: datasources.ErrorBadQuery, Backend: Backend, Message: msg}
}

// DecodeSearch decodes a /api/v2/traces body, a JSON list of traces each a
// list of spans, into one summary per trace, in Zipkin's order (newest
// first). Each trace goes through the same decoding as a trace page, so
// span and error counts agree with what the trace page shows.
func DecodeSearch(body []byte) ([]datasources.TraceSummary, error) {
	var traces [][]wireSpan
	if err := json.Unmarshal(body, &traces); err != nil {
		return nil, unreadable(body, err)
	}
	out := make([]datasources.TraceSummary, 0, len(traces))
	for _, ws := range traces {
		if len(ws) == 0 {
			continue
		}
		tr, err := buildTrace(ws)
		if err != nil {
			return nil, unreadable(body, err)
		}
		out = append(out, tr.Summary())
	}
	return out, nil
}
