package tempo

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/datasources/contracttest"
)

type errorCase struct {
	Case         string          `json:"case"`
	Request      string          `json:"request"`
	Status       int             `json:"status"`
	Body         *string         `json:"body"`
	BodyContains string          `json:"body_contains"`
	BodyJSON     json.RawMessage `json:"body_json"`
	BodyFile     string          `json:"body_file"`
	BodyExamples []string        `json:"body_examples"`
}

// TestRecordedErrors answers with every status and body of errors.json and
// checks the Kind and message a page would show.
func TestRecordedErrors(t *testing.T) {
	var doc struct{ Cases []errorCase }
	if err := json.Unmarshal(contracttest.Read(t, "tempo", "handwritten", "errors.json"), &doc); err != nil {
		t.Fatal(err)
	}
	kinds := map[int]datasources.ErrorKind{400: datasources.ErrorBadQuery, 401: datasources.ErrorUnavailable, // Ariadne's configuration, not the user's query
		404: datasources.ErrorNotFound, 422: datasources.ErrorTooLarge, 499: datasources.ErrorUnavailable, 503: datasources.ErrorUnavailable}
	tested := 0
	for _, ec := range doc.Cases {
		if strings.Contains(ec.Request, "/api/metrics/") || strings.Contains(ec.Request, "/api/echo") {
			continue // not this client's endpoints
		}
		bodies := ec.BodyExamples
		switch {
		case ec.Body != nil:
			bodies = []string{*ec.Body}
		case ec.BodyContains != "":
			bodies = []string{"something: " + ec.BodyContains}
		case ec.BodyJSON != nil:
			bodies = []string{string(ec.BodyJSON)}
		case ec.BodyFile != "":
			bodies = []string{string(contracttest.Read(t, "tempo", ec.BodyFile))}
		case len(bodies) == 0:
			bodies = []string{""}
		}
		for _, body := range bodies {
			tested++
			t.Run(ec.Case, func(t *testing.T) {
				c := everywhere(t, ec.Status, body)
				var err error
				var tr *datasources.Trace
				switch {
				case strings.Contains(ec.Request, "/ready"):
					err = c.Ready(context.Background())
				case strings.Contains(ec.Request, "traces/"):
					tr, err = c.Trace(context.Background(), checkoutID, time.Time{}, time.Time{})
				default:
					_, err = c.Search(context.Background(), "{}", time.Time{}, time.Time{}, 0, 0)
				}
				if ec.Status == http.StatusOK {
					switch {
					case ec.BodyFile != "":
						if err != nil || !tr.Partial {
							t.Errorf("err = %v, want a partial trace", err)
						}
					case ec.BodyJSON != nil:
						wantKind(t, err, datasources.ErrorNotFound, "Tempo has no trace")
					case err != nil:
						t.Errorf("err = %v, want nil", err)
					}
					return
				}
				e := wantKind(t, err, kinds[ec.Status], "")
				switch ec.Status {
				case 400, 422:
					if e.Message != strings.TrimSpace(body) {
						t.Errorf("message = %q, want Tempo's %q", e.Message, body)
					}
				case 401:
					if !strings.Contains(e.Message, "no org id") || !strings.Contains(e.Message, "tenant") {
						t.Errorf("message = %q, want Tempo's words and a hint about the tenant", e.Message)
					}
				}
				if e.Status != ec.Status {
					t.Errorf("status = %d, want %d", e.Status, ec.Status)
				}
			})
		}
	}
	if tested < 15 {
		t.Errorf("only %d error cases exercised", tested)
	}
}

// everywhere is a Tempo that gives the same answer on every path.
func everywhere(t *testing.T, status int, body string) *Client {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(status)
		w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	c, err := New(datasources.Config{URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestAuthAndTenantHeaders(t *testing.T) {
	cases := []struct {
		name          string
		cfg           datasources.Config
		tenant, authz string
	}{
		{"tenant and basic auth", datasources.Config{Tenant: "team-a", Username: "u", Password: "p"}, "team-a", "Basic dTpw"},
		{"bearer wins over basic", datasources.Config{BearerToken: "tok", Username: "u"}, "", "Bearer tok"},
		{"nothing", datasources.Config{}, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, f := newFakeWith(t, tc.cfg, map[string]reply{"/ready": {status: 200, body: []byte("ready\n")}})
			if err := c.Ready(context.Background()); err != nil {
				t.Fatal(err)
			}
			r := f.last(t)
			if r.Header.Get("X-Scope-OrgID") != tc.tenant || r.Header.Get("Authorization") != tc.authz {
				t.Errorf("tenant %q authorization %q, want %q %q", r.Header.Get("X-Scope-OrgID"), r.Header.Get("Authorization"), tc.tenant, tc.authz)
			}
		})
	}
}

func TestTimeoutCancelAndSizeCap(t *testing.T) {
	release := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(func() { close(release); slow.Close() })

	t.Run("timeout", func(t *testing.T) {
		c, _ := New(datasources.Config{URL: slow.URL, Timeout: 150 * time.Millisecond})
		began := time.Now()
		_, err := c.Trace(context.Background(), checkoutID, time.Time{}, time.Time{})
		wantKind(t, err, datasources.ErrorUnavailable, "Tempo did not answer in time.")
		if d := time.Since(began); d > 2*time.Second {
			t.Errorf("took %v with a 150ms timeout", d)
		}
	})
	t.Run("cancel", func(t *testing.T) {
		c, _ := New(datasources.Config{URL: slow.URL})
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(50*time.Millisecond, cancel)
		_, err := c.Search(ctx, "{}", time.Time{}, time.Time{}, 0, 0)
		wantKind(t, err, datasources.ErrorUnavailable, "The request was cancelled.")
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want it to wrap context.Canceled for logs", err)
		}
	})
	t.Run("size cap", func(t *testing.T) {
		body := contracttest.Read(t, "tempo", "handwritten", "trace-v2-checkout.json")
		c, _ := newFakeWith(t, datasources.Config{MaxResponseBytes: 1000},
			map[string]reply{"/api/v2/traces/" + checkoutID: jsonReply(body)})
		_, err := c.Trace(context.Background(), checkoutID, time.Time{}, time.Time{})
		wantKind(t, err, datasources.ErrorTooLarge, "limit of 1000 bytes")
	})
	t.Run("not configured", func(t *testing.T) {
		c, err := New(datasources.Config{})
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.TagNames(context.Background(), "", time.Time{}, time.Time{})
		wantKind(t, err, datasources.ErrorNotConfigured, "Tempo is not configured.")
	})
	t.Run("refused", func(t *testing.T) {
		srv := httptest.NewServer(http.NotFoundHandler())
		url := srv.URL
		srv.Close()
		c, _ := New(datasources.Config{URL: url})
		wantKind(t, c.Ready(context.Background()), datasources.ErrorUnavailable, "Tempo is unreachable.")
	})
}
