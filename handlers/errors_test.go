package handlers

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/store"
	"github.com/ariadne-dev/ariadne/store/storetest"
)

// The one switch, kind by kind: the status a page answers and what the
// user reads.
func TestReplyTo(t *testing.T) {
	pgDown := &datasources.Error{Kind: datasources.ErrorUnavailable, Backend: store.Backend,
		Message: "The investigations database (Postgres) is not answering: nothing was saved. Try again in a moment; a retried form is not saved twice.",
		Err:     context.DeadlineExceeded}
	tests := []struct {
		name       string
		err        error
		status     int
		message    string
		unexpected bool
	}{
		{"not configured", datasources.NotConfigured("tempo"), 503, "Tempo is not configured.", false},
		{"not found", &datasources.Error{Kind: datasources.ErrorNotFound, Backend: "tempo", Status: 404}, 404, "Not found.", false},
		{"bad query, the backend's words", &datasources.Error{Kind: datasources.ErrorBadQuery, Backend: "loki", Message: "parse error at line 1, col 5"}, 400, "parse error at line 1, col 5", false},
		{"too large", datasources.TooLarge("loki", 1024), 422, "The loki response is larger than the configured limit of 1024 bytes; narrow the query or time range.", false},
		{"backend unavailable is a bad gateway", datasources.FromTransport("loki", errors.New("dial tcp: connection refused")), 502, "Loki is unreachable.", false},
		{"backend timed out is still the backend's failure", datasources.FromTransport("tempo", context.DeadlineExceeded), 502, "Tempo did not answer in time.", false},
		{"postgres unavailable is 503, retry safe", pgDown, 503, pgDown.Message, false},
		{"postgres unavailable, wrapped", fmt.Errorf("pinning: %w", pgDown), 503, pgDown.Message, false},
		{"store: not found", store.ErrNotFound, 404, "There is no such investigation, item or link (it may have been deleted).", false},
		{"store: invalid input, its reason", fmt.Errorf("%w: a title needs 1 to 200 characters", store.ErrInvalid), 400, "a title needs 1 to 200 characters", false},
		{"store: edit conflict", &store.ConflictError{Investigation: &store.Investigation{ID: 1, Version: 3}}, 409, msgConflict, false},
		{"request deadline", context.DeadlineExceeded, 504, msgDeadline, false},
		{"request deadline, wrapped", fmt.Errorf("rendering: %w", context.DeadlineExceeded), 504, msgDeadline, false},
		{"echo.HTTPError keeps its code and message", echo.NewHTTPError(http.StatusBadRequest, "A note needs some text."), 400, "A note needs some text.", false},
		{"echo.HTTPError 5xx of ours keeps its words", echo.NewHTTPError(503, "Investigations need Postgres, and none is configured (DATABASE_URL)."), 503, "Investigations need Postgres, and none is configured (DATABASE_URL).", false},
		{"echo.HTTPError wins over its cause", echo.NewHTTPError(404, "There is no such investigation.").SetInternal(pgDown), 404, "There is no such investigation.", false},
		{"echo's own errors", echo.ErrMethodNotAllowed, 405, "Method Not Allowed", false},
		{"echo.HTTPError without a text message", &echo.HTTPError{Code: 413, Message: struct{}{}}, 413, "Request Entity Too Large", false},
		{"unknown Go error: never its text", errors.New("pq: relation \"secrets\" does not exist"), 500, msgInternal, true},
		{"datasources.Error of unknown kind", &datasources.Error{Backend: "loki", Message: "x"}, 500, msgInternal, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := replyTo(tt.err)
			if got.Status != tt.status || got.Message != tt.message || got.Unexpected != tt.unexpected {
				t.Errorf("replyTo(%v) = %+v, want {%d %q %v}", tt.err, got, tt.status, tt.message, tt.unexpected)
			}
		})
	}
}

// A store whose Postgres is in a transient state, or hung, answers 503
// quickly (within the store's deadline plus a second, not the request
// timeout) on pages, forms and the inline list alike. Forms say a retry is
// safe; pages, which were saving nothing, do not say "nothing was saved".
// The DB monitor still says "up", so the status comes from the error alone.
func TestPostgresUnavailableIs503(t *testing.T) {
	const dbTimeout = 300 * time.Millisecond
	for _, f := range []storetest.Failure{storetest.StartingUp, storetest.ShuttingDown, storetest.Crashed, storetest.Hung} {
		st := store.New(storetest.BrokenPool(t, f), store.WithTimeout(dbTimeout))
		a := newGraphApp(t, &fakeMetrics{series: []datasources.Series{p99(nil)}}, Options{Store: st, DefaultUser: "local"})
		post := newFormRequest("/investigations", url.Values{"title": {"Checkout 502s"}, "idempotency_key": {"k1"}})
		post.Header.Set("Sec-Fetch-Site", "same-origin")
		for _, tt := range []struct {
			name  string
			req   func() *httptest.ResponseRecorder
			write bool
		}{
			{"list", func() *httptest.ResponseRecorder { return a.get(t, "/investigations") }, false},
			{"page", func() *httptest.ResponseRecorder { return a.get(t, "/investigations/1") }, false},
			{"share", func() *httptest.ResponseRecorder { return a.get(t, "/s/abc") }, false},
			{"create", func() *httptest.ResponseRecorder { return a.do(t, post) }, true},
		} {
			start := time.Now()
			w := tt.req()
			took := time.Since(start)
			body := w.Body.String()
			if w.Code != http.StatusServiceUnavailable || !strings.Contains(body, "not answering") {
				t.Errorf("failure %d, %s: status %d, want 503 saying Postgres is not answering: %.300s", f, tt.name, w.Code, body)
			}
			if took > dbTimeout+time.Second {
				t.Errorf("failure %d, %s: answered after %v, want within DATABASE_TIMEOUT (%v) + 1s", f, tt.name, took, dbTimeout)
			}
			if retry := strings.Contains(body, "a retried form is not saved twice"); retry != tt.write {
				t.Errorf("failure %d, %s: says a retried form is safe: %v, want %v", f, tt.name, retry, tt.write)
			}
			if strings.Contains(body, "Narrow the time range") {
				t.Errorf("failure %d, %s: advises narrowing the time range", f, tt.name)
			}
		}
		// A page that only offers pin forms still renders, quickly, and
		// its forms say why nothing can be pinned.
		start := time.Now()
		w := a.get(t, "/graph?q=up&from=now-15m&to=now")
		if took := time.Since(start); w.Code != http.StatusOK || took > time.Second+dbTimeout {
			t.Errorf("failure %d: /graph answered %d after %v", f, w.Code, took)
		}
		if !strings.Contains(w.Body.String(), "nothing can be pinned right now") {
			t.Errorf("failure %d: /graph's pin form does not say why it cannot pin", f)
		}
	}
}
