package loki

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/ariadne-dev/ariadne/datasources"
)

// Loki's error answers are plain sentences, not codes, so recognising them
// means matching their words. Both tables below hold lower-case phrases of
// the messages Loki 2.9 to 3.x sends (see handwritten/errors.json in the
// shared contracts for the full texts).

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

// limitHints name the limit behind a message (Loki's own text rarely says
// which setting it is) and how to stay under it. The first match wins.
var limitHints = []struct {
	phrases []string
	hint    string
}{
	{[]string{"max entries limit"}, "Loki's max_entries_limit_per_query was hit: ask for fewer lines per page."},
	{[]string{"query time range exceeds", "query length"}, "Loki's max_query_length was hit: choose a shorter time range."},
	{[]string{"maximum number of series"}, "Loki's max_query_series was hit: select fewer streams (more exact labels in the selector), or a shorter range."},
	{[]string{"maximum resolution", "11,000 points"}, "Too many points per series: choose a shorter time range."},
	{[]string{"too many outstanding requests", "rate limit"}, "Loki is rate limiting: wait a moment, or narrow the query."},
}

// parsePhrases mark Loki's message for a query it could not parse, which
// does not always say so in words a user recognises ("syntax error:
// unexpected IDENTIFIER").
var parsePhrases = []string{"parse error", "syntax error"}

// tooLargeHint is for a size limit that no hint above names, the response
// cap included.
const tooLargeHint = "Narrow the query: a more exact selector, a line filter, or a shorter range."

// statusError maps a non-2xx answer. Loki answers in plain text, a few
// versions and proxies in JSON ({"message":…} or Prometheus' {"error":…}).
func statusError(status int, body []byte) error {
	msg := errorText(body)
	err := datasources.FromStatus(Backend, status, []byte(msg))
	var e *datasources.Error
	if !errors.As(err, &e) {
		return err
	}
	lower := strings.ToLower(msg)
	switch {
	case status == http.StatusBadRequest:
		if containsAny(lower, limitPhrases) {
			e.Kind = datasources.ErrorTooLarge
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

// explain adds, to Loki's own message about one of its limits, which limit
// it is and how to stay under it, and says of a parse error that it is one.
// Only bad-query and too-large errors are touched, and a message it does
// not recognise is left as it is. The client calls it once where an error
// arises, so a message never carries a hint twice.
func explain(err error) error {
	var e *datasources.Error
	if !errors.As(err, &e) || (e.Kind != datasources.ErrorBadQuery && e.Kind != datasources.ErrorTooLarge) {
		return err
	}
	m := strings.ToLower(e.Message)
	out := *e
	for _, h := range limitHints {
		if containsAny(m, h.phrases) {
			out.Message = e.Message + " — " + h.hint
			return &out
		}
	}
	switch {
	case containsAny(m, parsePhrases):
		out.Message = "Loki could not parse the query: " + e.Message
	case e.Kind == datasources.ErrorTooLarge:
		out.Message = e.Message + " — " + tooLargeHint
	default:
		return err
	}
	return &out
}

func containsAny(s string, phrases []string) bool {
	for _, p := range phrases {
		if strings.Contains(s, p) {
			return true
		}
	}
	return false
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
