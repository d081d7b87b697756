package prometheus

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ariadne-dev/ariadne/datasources"
)

// FuzzQueryResponse feeds arbitrary status codes and bodies to QueryRange
// and Exemplars: whatever a backend or proxy sends, the client must not
// panic and must fail only with a *datasources.Error.
func FuzzQueryResponse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.json")
	for _, file := range files {
		body, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		status := 200
		if strings.Contains(file, "bad_data") {
			status = 400
		} else if strings.Contains(file, "exec") {
			status = 422
		} else if strings.Contains(file, "timeout") {
			status = 503
		}
		f.Add(status, body)
	}
	f.Add(204, []byte{})
	f.Add(500, []byte(`{"status":"error","errorType":"internal","error":"expanding series: unexpected EOF"}`))

	var mu sync.Mutex
	var status int
	var body []byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		w.Write(body)
	}))
	defer srv.Close()
	c, err := New(datasources.Config{URL: srv.URL, Timeout: 5 * time.Second, MaxResponseBytes: 1 << 16})
	if err != nil {
		f.Fatal(err)
	}

	f.Fuzz(func(t *testing.T, st int, b []byte) {
		if st < 200 || st > 599 || (st >= 300 && st < 400) || st == 101 {
			st = 200 // redirects and informational codes are the transport's business
		}
		mu.Lock()
		status, body = st, b
		mu.Unlock()
		res, err := c.QueryRange(context.Background(), "up", time.Unix(0, 0), time.Unix(60, 0), time.Second)
		check(t, err)
		if err == nil {
			for _, s := range res.Series {
				if s.Labels == nil {
					t.Fatalf("series with nil labels from %q", b)
				}
			}
		}
		_, err = c.Exemplars(context.Background(), "up", time.Time{}, time.Time{})
		check(t, err)
	})
}

func check(t *testing.T, err error) {
	t.Helper()
	var e *datasources.Error
	if err != nil && !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not a *datasources.Error", err, err)
	}
	if e != nil && e.Message == "" {
		t.Fatalf("error without a user message: %v", err)
	}
}

func BenchmarkQueryRange(b *testing.B) {
	// 100 series of 240 points: a one-hour graph at 15s step.
	var sb strings.Builder
	sb.WriteString(`{"status":"success","data":{"resultType":"matrix","result":[`)
	for s := 0; s < 100; s++ {
		if s > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, `{"metric":{"__name__":"http_requests_total","job":"checkout","instance":"10.0.0.%d:8080"},"values":[`, s)
		for p := 0; p < 240; p++ {
			if p > 0 {
				sb.WriteByte(',')
			}
			fmt.Fprintf(&sb, `[%d,"%d.25"]`, 1795659720+15*p, p)
		}
		sb.WriteString(`]}`)
	}
	sb.WriteString(`]}}`)
	payload := []byte(sb.String())
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(payload)
	}))
	defer srv.Close()
	c, err := New(datasources.Config{URL: srv.URL})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(payload)))
	b.ResetTimer()
	for b.Loop() {
		res, err := c.QueryRange(context.Background(), "up", time.Unix(0, 0), time.Unix(3600, 0), 15*time.Second)
		if err != nil || len(res.Series) != 100 {
			b.Fatal(err)
		}
	}
}
