package loki

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/datasources/contracttest"
)

// recordedError is one case of handwritten/errors.json in the shared
// contracts: what Loki answers to a bad request, in its own words.
type recordedError struct {
	Case        string
	ContentType string `json:"content_type"`
	Status      int
	Body        string
}

func recordedErrors(t *testing.T) []recordedError {
	t.Helper()
	var cases []recordedError
	if err := json.Unmarshal(contracttest.Read(t, "loki", "handwritten", "errors.json"), &cases); err != nil {
		t.Fatal(err)
	}
	if len(cases) == 0 {
		t.Fatal("handwritten/errors.json holds no cases")
	}
	return cases
}

// Hints the client adds to Loki's message, by the limit they name.
const (
	hintEntries = " — Loki's max_entries_limit_per_query was hit: ask for fewer lines per page."
	hintLength  = " — Loki's max_query_length was hit: choose a shorter time range."
	hintSeries  = " — Loki's max_query_series was hit: select fewer streams (more exact labels in the selector), or a shorter range."
	hintPoints  = " — Too many points per series: choose a shorter time range."
	parsePrefix = "Loki could not parse the query: "
)

// contractErrors says what a user is told for every case of
// handwritten/errors.json: the error's kind, and the message as prefix +
// Loki's own text + hint. A new case fails the test until it is listed.
var contractErrors = map[string]struct {
	kind         datasources.ErrorKind
	prefix, hint string
}{
	"bad LogQL: unbalanced aggregation":                                 {datasources.ErrorBadQuery, parsePrefix, ""},
	"bad LogQL: garbage in selector":                                    {datasources.ErrorBadQuery, parsePrefix, ""},
	"selector matches everything":                                       {datasources.ErrorBadQuery, parsePrefix, ""},
	"log query on instant endpoint (Loki >= 3.2)":                       {datasources.ErrorBadQuery, "", ""},
	"limit above max_entries_limit_per_query (default 5000)":            {datasources.ErrorTooLarge, "", hintEntries},
	"time range above max_query_length (default 30d1h)":                 {datasources.ErrorTooLarge, "", hintLength},
	"too many series in a metric query (max_query_series, default 500)": {datasources.ErrorTooLarge, "", hintSeries},
	"step too small":         {datasources.ErrorTooLarge, "", hintPoints},
	"end before start":       {datasources.ErrorBadQuery, "", ""},
	"timestamp without zone": {datasources.ErrorBadQuery, "", ""},
	"non-positive limit":     {datasources.ErrorBadQuery, "", ""},
	"bad direction":          {datasources.ErrorBadQuery, "", ""},
	"missing tenant header with auth_enabled: true": {datasources.ErrorUnavailable, "Loki refused the request (Unauthorized): ", ""},
	"query timeout":                          {datasources.ErrorUnavailable, "", ""},
	"push: out-of-order / too old entry":     {datasources.ErrorBadQuery, "", ""},
	"push: stream without labels":            {datasources.ErrorBadQuery, "", ""},
	"push: rate limited":                     {datasources.ErrorUnavailable, "", ""},
	"push: JSON body with numeric timestamp": {datasources.ErrorBadQuery, "", ""},
}

// TestErrorsReplayRecorded: every recorded Loki error reaches the user as
// one *datasources.Error of the right kind, with Loki's own words and the
// hint that names the limit, whichever call met it (Page asks Loki more
// than once, and must not add the hint twice).
func TestErrorsReplayRecorded(t *testing.T) {
	for _, tc := range recordedErrors(t) {
		t.Run(tc.Case, func(t *testing.T) {
			want, ok := contractErrors[tc.Case]
			if !ok {
				t.Fatalf("contract error case %q is not classified", tc.Case)
			}
			f := &fakeLoki{status: tc.Status, ctype: tc.ContentType, body: []byte(tc.Body)}
			c := newClient(t, datasources.Config{URL: newServer(t, f)})
			calls := map[string]func() error{
				"QueryRange": func() error {
					_, err := c.QueryRange(context.Background(), Query{Expr: `{a="b"}`})
					return err
				},
				"Page": func() error {
					_, err := c.Page(context.Background(), Query{Expr: `{a="b"}`}, Cursor{})
					return err
				},
				"PageBefore": func() error {
					_, err := c.PageBefore(context.Background(), Query{Expr: `{a="b"}`}, Cursor{TimeNs: 1000, Skip: 1})
					return err
				},
			}
			for name, call := range calls {
				e := mustKind(t, call(), want.kind)
				if e.Status != tc.Status {
					t.Errorf("%s: status = %d, want %d", name, e.Status, tc.Status)
				}
				if msg := want.prefix + tc.Body + want.hint; e.Message != msg {
					t.Errorf("%s: message\n%q\nwant\n%q", name, e.Message, msg)
				}
			}
		})
	}
}

// TestErrorsInSuccessEnvelope: a 200 whose envelope says "error" is read
// like the same message in a 400, hints included.
func TestErrorsInSuccessEnvelope(t *testing.T) {
	for _, tc := range recordedErrors(t) {
		want := contractErrors[tc.Case]
		if tc.Status != http.StatusBadRequest || want.kind != datasources.ErrorBadQuery {
			continue
		}
		t.Run(tc.Case, func(t *testing.T) {
			body, _ := json.Marshal(map[string]string{"status": "error", "errorType": "bad_data", "error": tc.Body})
			c, _ := serve(t, http.StatusOK, body)
			_, err := c.QueryRange(context.Background(), Query{Expr: `{a="b"}`})
			if e := mustKind(t, err, datasources.ErrorBadQuery); e.Message != want.prefix+tc.Body+want.hint {
				t.Errorf("message %q, want %q", e.Message, want.prefix+tc.Body+want.hint)
			}
		})
	}
}

// TestExplain: what explain changes, and what it leaves alone. Loki's
// texts come from the recorded errors; the other messages are ours.
func TestExplain(t *testing.T) {
	bodies := map[string]string{}
	for _, tc := range recordedErrors(t) {
		bodies[tc.Case] = tc.Body
	}
	entries := bodies["limit above max_entries_limit_per_query (default 5000)"]
	parse := bodies["bad LogQL: garbage in selector"]
	if entries == "" || parse == "" {
		t.Fatal("the recorded errors lack the max-entries or parse-error case")
	}
	lokiErr := func(kind datasources.ErrorKind, msg string) *datasources.Error {
		return &datasources.Error{Kind: kind, Backend: Backend, Status: 400, Message: msg}
	}
	responseCap := datasources.TooLarge(Backend, 1024)
	other := errors.New("not from a client")
	tests := []struct {
		name string
		in   error
		want string // the message; "" when in must come back as it is
	}{
		{"a limit names the setting", lokiErr(datasources.ErrorTooLarge, entries), entries + hintEntries},
		{"the same limit as a bad query", lokiErr(datasources.ErrorBadQuery, entries), entries + hintEntries},
		{"wrapped, still found", fmt.Errorf("page: %w", lokiErr(datasources.ErrorTooLarge, entries)), entries + hintEntries},
		{"a parse error says so", lokiErr(datasources.ErrorBadQuery, parse), parsePrefix + parse},
		{"the response cap: the generic hint", responseCap, datasources.UserMessage(responseCap) + " — " + tooLargeHint},
		{"a bad query it does not know", lokiErr(datasources.ErrorBadQuery, "limit must be a positive value"), ""},
		{"an unavailable Loki, whatever it says", lokiErr(datasources.ErrorUnavailable, entries), ""},
		{"not a datasources error", other, ""},
		{"no error", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := explain(tt.in)
			if tt.want == "" {
				if got != tt.in {
					t.Errorf("explain(%v) = %v, want it unchanged", tt.in, got)
				}
				return
			}
			var e *datasources.Error
			if !errors.As(got, &e) {
				t.Fatalf("explain(%v) = %T %v, not a *datasources.Error", tt.in, got, got)
			}
			if e.Message != tt.want {
				t.Errorf("message\n%q\nwant\n%q", e.Message, tt.want)
			}
			if e.Kind != datasources.ErrorKindOf(tt.in) {
				t.Errorf("kind %v, want %v: explain words, never reclassifies", e.Kind, datasources.ErrorKindOf(tt.in))
			}
			// The caller's error is not changed under it.
			var orig *datasources.Error
			if errors.As(tt.in, &orig) && orig.Message == e.Message {
				t.Error("explain changed its argument's message")
			}
		})
	}
}

func TestJSONErrorBodies(t *testing.T) {
	tests := []struct{ body, want string }{
		{`{"message":"parse error at line 1, col 5: syntax error: unexpected IDENTIFIER"}`, parsePrefix + "parse error at line 1, col 5: syntax error: unexpected IDENTIFIER"},
		{`{"status":"error","errorType":"bad_data","error":"invalid direction 'up'"}`, "invalid direction 'up'"},
	}
	for _, tt := range tests {
		c, _ := serve(t, http.StatusBadRequest, []byte(tt.body))
		_, err := c.QueryRange(context.Background(), Query{Expr: `{a="b"}`})
		if e := mustKind(t, err, datasources.ErrorBadQuery); e.Message != tt.want {
			t.Errorf("message = %q, want %q", e.Message, tt.want)
		}
	}
}
