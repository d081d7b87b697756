package prometheus

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ariadne-dev/ariadne/datasources"
)

func TestQueryErrors(t *testing.T) {
	tests := []struct {
		name       string
		reply      reply
		kind       datasources.ErrorKind
		status     int
		message    string // exact, when set
		msgContain string
	}{
		{
			name:    "bad PromQL keeps Prometheus's parse error",
			reply:   reply{status: 400, file: "bad_data.json"},
			kind:    datasources.ErrorBadQuery,
			status:  400,
			message: `invalid parameter "query": 1:16: parse error: unclosed left parenthesis`,
		},
		{
			name:       "execution error is the query's fault",
			reply:      reply{status: 422, file: "exec_many_to_many.json"},
			kind:       datasources.ErrorBadQuery,
			status:     422,
			msgContain: "many-to-many matching not allowed",
		},
		{
			name:    "too many samples is too large",
			reply:   reply{status: 422, file: "exec_too_many_samples.json"},
			kind:    datasources.ErrorTooLarge,
			status:  422,
			message: "query processing would load too many samples into memory in query execution",
		},
		{
			name:    "query timeout arrives as JSON with 503",
			reply:   reply{status: 503, file: "timeout.json"},
			kind:    datasources.ErrorUnavailable,
			status:  503,
			message: "Prometheus gave up on the query (query timed out in expression evaluation); narrow the query or the time range.",
		},
		{
			name:    "plain 503 from a proxy",
			reply:   reply{status: 503, body: "upstream connect error", ctype: "text/plain"},
			kind:    datasources.ErrorUnavailable,
			status:  503,
			message: "Prometheus answered 503 Service Unavailable.",
		},
		{
			name:    "502 from a gateway",
			reply:   reply{status: 502, body: "<html>bad gateway</html>", ctype: "text/html"},
			kind:    datasources.ErrorUnavailable,
			status:  502,
			message: "Prometheus answered 502 Bad Gateway.",
		},
		{
			name:    "401 names the credentials",
			reply:   reply{status: 401, body: "Unauthorized", ctype: "text/plain"},
			kind:    datasources.ErrorUnavailable,
			status:  401,
			message: "Prometheus refused Ariadne's credentials (401 Unauthorized).",
		},
		{
			name:       "200 that is not Prometheus JSON",
			reply:      reply{body: "<html>login</html>", ctype: "text/html"},
			kind:       datasources.ErrorUnavailable,
			status:     200,
			msgContain: "could not read",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t, map[string]reply{"/api/v1/query_range": tt.reply})
			now := time.Now()
			_, err := f.client(t, datasources.Config{}).QueryRange(context.Background(), "up", now.Add(-time.Hour), now, time.Minute)
			e := wantError(t, err, tt.kind)
			if e.Status != tt.status {
				t.Errorf("status = %d, want %d", e.Status, tt.status)
			}
			if tt.message != "" && e.Message != tt.message {
				t.Errorf("message = %q, want %q", e.Message, tt.message)
			}
			if !strings.Contains(e.Message, tt.msgContain) {
				t.Errorf("message = %q, want it to contain %q", e.Message, tt.msgContain)
			}
		})
	}
}

func TestWrongURLIsUnavailableNotNotFound(t *testing.T) {
	f := newFake(t, nil) // every path 404s, as a non-Prometheus server would
	_, err := f.client(t, datasources.Config{}).Query(context.Background(), "up", time.Time{})
	e := wantError(t, err, datasources.ErrorUnavailable)
	if !strings.Contains(e.Message, "404") || !strings.Contains(e.Message, "URL") {
		t.Errorf("message = %q, want a hint about the URL", e.Message)
	}
}

func TestRefusedIsUnavailable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close() // nothing listens there any more
	c, err := New(datasources.Config{URL: url})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Query(context.Background(), "up", time.Time{})
	e := wantError(t, err, datasources.ErrorUnavailable)
	if e.Message != "Prometheus is unreachable." {
		t.Errorf("message = %q", e.Message)
	}
}

func TestNotConfigured(t *testing.T) {
	c, err := New(datasources.Config{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	calls := map[string]func() error{
		"QueryRange": func() error { _, err := c.QueryRange(ctx, "up", time.Now(), time.Now(), time.Second); return err },
		"Query":      func() error { _, err := c.Query(ctx, "up", time.Now()); return err },
		"Exemplars":  func() error { _, err := c.Exemplars(ctx, "up", time.Now(), time.Now()); return err },
		"LabelNames": func() error { _, err := c.LabelNames(ctx, nil, time.Time{}, time.Time{}); return err },
		"Series":     func() error { _, err := c.Series(ctx, []string{"up"}, time.Time{}, time.Time{}); return err },
		"Ready":      func() error { return c.Ready(ctx) },
	}
	for name, call := range calls {
		if k := datasources.ErrorKindOf(call()); k != datasources.ErrorNotConfigured {
			t.Errorf("%s: kind = %v, want not configured", name, k)
		}
	}
}
