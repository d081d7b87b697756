package prometheus

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ariadne-dev/ariadne/datasources"
)

func TestTenantAndAuthHeaders(t *testing.T) {
	tests := []struct {
		name     string
		cfg      datasources.Config
		wantAuth string
	}{
		{"bearer", datasources.Config{Tenant: "team-a", BearerToken: "s3cret"}, "Bearer s3cret"},
		{"basic", datasources.Config{Tenant: "team-a", Username: "ariadne", Password: "pw"}, "Basic YXJpYWRuZTpwdw=="},
		{"none", datasources.Config{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t, map[string]reply{"/api/v1/query": {file: "vector.json"}, "/api/v1/query_exemplars": {file: "exemplars.json"}})
			c := f.client(t, tt.cfg)
			if _, err := c.Query(context.Background(), "up", time.Time{}); err != nil {
				t.Fatal(err)
			}
			if _, err := c.Exemplars(context.Background(), "up", time.Time{}, time.Time{}); err != nil {
				t.Fatal(err)
			}
			for _, path := range []string{"/api/v1/query", "/api/v1/query_exemplars"} {
				h := f.last(path).header
				if got := h.Get("X-Scope-OrgID"); got != tt.cfg.Tenant {
					t.Errorf("%s: X-Scope-OrgID = %q, want %q", path, got, tt.cfg.Tenant)
				}
				if got := h.Get("Authorization"); got != tt.wantAuth {
					t.Errorf("%s: Authorization = %q, want %q", path, got, tt.wantAuth)
				}
			}
		})
	}
}

func TestSlowServerFailsWithinTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	c, err := New(datasources.Config{URL: srv.URL, Timeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	begin := time.Now()
	_, err = c.QueryRange(context.Background(), "up", time.Now().Add(-time.Hour), time.Now(), time.Minute)
	took := time.Since(begin)
	e := wantError(t, err, datasources.ErrorUnavailable)
	if e.Message != "Prometheus did not answer in time." {
		t.Errorf("message = %q", e.Message)
	}
	if took > 2*time.Second {
		t.Errorf("took %s with a 200ms timeout", took)
	}
}

func TestResponseSizeCap(t *testing.T) {
	vector := `{"status":"success","data":{"resultType":"vector","result":[]}}` // 63 bytes
	tests := []struct {
		name    string
		chunked bool // no Content-Length: the cap must hold while reading
		limit   int64
		wantErr bool
	}{
		{"under the cap", false, 64, false},
		{"exactly the cap", true, int64(len(vector)), false},
		{"over, declared length", false, 32, true},
		{"over, chunked", true, 32, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				if tt.chunked {
					w.(http.Flusher).Flush()
				} else {
					w.Header().Set("Content-Length", fmt.Sprint(len(vector)))
				}
				fmt.Fprint(w, vector)
			}))
			defer srv.Close()
			c, err := New(datasources.Config{URL: srv.URL, MaxResponseBytes: tt.limit})
			if err != nil {
				t.Fatal(err)
			}
			res, err := c.Query(context.Background(), "up", time.Time{})
			if !tt.wantErr {
				if err != nil || len(res.Series) != 0 {
					t.Fatalf("res = %v, err = %v; want an empty result", res, err)
				}
				return
			}
			e := wantError(t, err, datasources.ErrorTooLarge)
			if !strings.Contains(e.Message, fmt.Sprintf("limit of %d bytes", tt.limit)) {
				t.Errorf("message = %q, want the limit in it", e.Message)
			}
		})
	}
}

func TestReady(t *testing.T) {
	tests := []struct {
		name   string
		routes map[string]reply
		kind   datasources.ErrorKind // ErrorUnknown: no error
		msg    string
	}{
		{"ready", map[string]reply{"/-/ready": {body: "Prometheus Server is Ready.\n", ctype: "text/plain"}}, datasources.ErrorUnknown, ""},
		{"replaying WAL", map[string]reply{"/-/ready": {status: 503, body: "Service Unavailable", ctype: "text/plain"}},
			datasources.ErrorUnavailable, "Prometheus is starting up and not ready yet."},
		{"API-only proxy falls back to buildinfo", map[string]reply{"/api/v1/status/buildinfo": {file: "buildinfo.json"}}, datasources.ErrorUnknown, ""},
		{"neither path", nil, datasources.ErrorUnavailable, "Prometheus answered 404 Not Found; check that the URL is the Prometheus API root."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t, tt.routes)
			err := f.client(t, datasources.Config{}).Ready(context.Background())
			if tt.kind == datasources.ErrorUnknown {
				if err != nil {
					t.Fatalf("Ready = %v, want nil", err)
				}
				return
			}
			if e := wantError(t, err, tt.kind); e.Message != tt.msg {
				t.Errorf("message = %q, want %q", e.Message, tt.msg)
			}
		})
	}
}
