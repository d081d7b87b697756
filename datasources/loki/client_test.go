package loki

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ariadne-dev/ariadne/datasources"
)

const minimalStreams = `{"status":"success","data":{"resultType":"streams","result":[{"stream":{"job":"test"},"values":[["1765569953149339232","Test log message"]]}]}}`

func TestQueryRangeSendsLokiParameters(t *testing.T) {
	c, f := serve(t, 200, []byte(minimalStreams))
	q := Query{
		Expr:      `{service_name="checkout"} |= "error"`,
		Start:     time.Unix(0, 1705312800000000001),
		End:       time.Unix(0, 1705316400000000000),
		Limit:     250,
		Direction: "FORWARD",
		Step:      1500 * time.Millisecond,
	}
	if _, err := c.QueryRange(context.Background(), q); err != nil {
		t.Fatal(err)
	}
	r := f.last(t)
	want := map[string]string{
		"query":     `{service_name="checkout"} |= "error"`,
		"start":     "1705312800000000001", // ns, never float seconds
		"end":       "1705316400000000000",
		"limit":     "250",
		"direction": "forward",
		"step":      "1.5",
	}
	for k, v := range want {
		if got := r.URL.Query().Get(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	if r.URL.Path != "/loki/api/v1/query_range" || r.Method != http.MethodGet {
		t.Errorf("request = %s %s", r.Method, r.URL.Path)
	}
}

func TestQueryRangeOmitsUnsetParameters(t *testing.T) {
	c, f := serve(t, 200, []byte(minimalStreams))
	if _, err := c.QueryRange(context.Background(), Query{Expr: `{a="b"}`}); err != nil {
		t.Fatal(err)
	}
	q := f.last(t).URL.Query()
	for _, k := range []string{"start", "end", "limit", "step"} {
		if q.Has(k) {
			t.Errorf("%s sent as %q; Loki's default should apply", k, q.Get(k))
		}
	}
	if q.Get("direction") != Backward {
		t.Errorf("direction = %q, want backward", q.Get("direction"))
	}
}

func TestTenantAndAuthHeaders(t *testing.T) {
	tests := []struct {
		name       string
		cfg        datasources.Config
		wantTenant string
		wantAuth   string
	}{
		{"tenant and basic", datasources.Config{Tenant: "team-a", Username: "u", Password: "p"}, "team-a", "Basic dTpw"},
		{"bearer", datasources.Config{BearerToken: "tok"}, "", "Bearer tok"},
		{"nothing", datasources.Config{}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &fakeLoki{status: 200, body: []byte(minimalStreams)}
			cfg := tt.cfg
			cfg.URL = newServer(t, f) + "/" // a trailing slash must not double
			c := newClient(t, cfg)
			if _, err := c.QueryRange(context.Background(), Query{Expr: `{a="b"}`}); err != nil {
				t.Fatal(err)
			}
			r := f.last(t)
			if got := r.Header.Get("X-Scope-OrgID"); got != tt.wantTenant {
				t.Errorf("X-Scope-OrgID = %q, want %q", got, tt.wantTenant)
			}
			if got := r.Header.Get("Authorization"); got != tt.wantAuth {
				t.Errorf("Authorization = %q, want %q", got, tt.wantAuth)
			}
			if r.URL.Path != "/loki/api/v1/query_range" {
				t.Errorf("path = %q", r.URL.Path)
			}
		})
	}
}

func TestTransportFailures(t *testing.T) {
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	t.Run("timeout", func(t *testing.T) {
		c := newClient(t, datasources.Config{URL: newServer(t, slow), Timeout: 50 * time.Millisecond})
		_, err := c.QueryRange(context.Background(), Query{Expr: `{a="b"}`})
		if e := mustKind(t, err, datasources.ErrorUnavailable); !strings.HasSuffix(e.Message, "did not answer in time.") {
			t.Errorf("message = %q", e.Message)
		}
	})
	t.Run("cancel", func(t *testing.T) {
		c := newClient(t, datasources.Config{URL: newServer(t, slow)})
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(20*time.Millisecond, cancel)
		_, err := c.Labels(ctx, time.Time{}, time.Time{})
		mustKind(t, err, datasources.ErrorUnavailable)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("error %v does not wrap context.Canceled", err)
		}
	})
	t.Run("refused", func(t *testing.T) {
		c := newClient(t, datasources.Config{URL: "http://127.0.0.1:1"})
		err := c.Ready(context.Background())
		if e := mustKind(t, err, datasources.ErrorUnavailable); !strings.HasSuffix(e.Message, "is unreachable.") {
			t.Errorf("message = %q", e.Message)
		}
	})
	t.Run("size cap", func(t *testing.T) {
		big := `{"status":"success","data":{"resultType":"streams","result":[{"stream":{"a":"b"},"values":[["1","` + strings.Repeat("x", 4096) + `"]]}]}}`
		f := &fakeLoki{status: 200, body: []byte(big)}
		c := newClient(t, datasources.Config{URL: newServer(t, f), MaxResponseBytes: 1024})
		_, err := c.QueryRange(context.Background(), Query{Expr: `{a="b"}`})
		mustKind(t, err, datasources.ErrorTooLarge)
	})
	t.Run("not configured", func(t *testing.T) {
		c := newClient(t, datasources.Config{})
		_, err := c.Query(context.Background(), `vector(1)`, time.Time{}, 0)
		mustKind(t, err, datasources.ErrorNotConfigured)
	})
	t.Run("garbage body", func(t *testing.T) {
		c, _ := serve(t, 200, []byte(`<html>proxy login</html>`))
		_, err := c.QueryRange(context.Background(), Query{Expr: `{a="b"}`})
		mustKind(t, err, datasources.ErrorUnavailable)
	})
}

func TestReady(t *testing.T) {
	tests := []struct {
		status int
		body   string
		want   datasources.ErrorKind
	}{
		{200, "ready", datasources.ErrorUnknown},
		{503, "Ingester not ready: waiting for 15s after being ready", datasources.ErrorUnavailable},
	}
	for _, tt := range tests {
		c, f := serve(t, tt.status, []byte(tt.body))
		err := c.Ready(context.Background())
		if tt.want == datasources.ErrorUnknown {
			if err != nil {
				t.Errorf("Ready = %v", err)
			}
		} else {
			mustKind(t, err, tt.want)
		}
		if p := f.last(t).URL.Path; p != "/ready" {
			t.Errorf("path = %q", p)
		}
	}
}

func TestStatusErrorInSuccessEnvelope(t *testing.T) {
	c, _ := serve(t, 200, []byte(`{"status":"error","errorType":"bad_data","error":"parse error at line 1, col 1: syntax error: unexpected IDENTIFIER"}`))
	_, err := c.QueryRange(context.Background(), Query{Expr: `x`})
	// Loki's words, said to be a parse error, as for a 400 answer.
	if e := mustKind(t, err, datasources.ErrorBadQuery); e.Message != "Loki could not parse the query: parse error at line 1, col 1: syntax error: unexpected IDENTIFIER" {
		t.Errorf("message = %q", e.Message)
	}
}
