package zipkintest_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/ariadne-dev/ariadne/datasources/zipkintest"
)

// epoch is the injected clock's now in every test here: a fixed instant,
// so no test depends on the day it runs, and fixtures are written relative
// to it.
var epoch = time.Date(2031, 3, 14, 15, 9, 26, 0, time.UTC)

// clock is a settable clock for retention tests.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *clock { return &clock{now: epoch} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// server starts a zipkintest server on a fixed clock at epoch.
func server(t *testing.T, opts ...zipkintest.Option) *zipkintest.Server {
	t.Helper()
	return zipkintest.NewTestServer(t, append([]zipkintest.Option{zipkintest.WithClock(newClock().Now)}, opts...)...)
}

// us is epoch+d in Zipkin's microseconds.
func us(d time.Duration) int64 { return zipkintest.Micros(epoch.Add(d)) }

func ep(service string) *zipkintest.Endpoint { return &zipkintest.Endpoint{ServiceName: service} }

func ingest(t *testing.T, s *zipkintest.Server, spans ...zipkintest.Span) {
	t.Helper()
	if err := s.Ingest(spans...); err != nil {
		t.Fatal(err)
	}
}

// post sends body to /api/v2/spans and returns status and body.
func post(t *testing.T, url string, header http.Header, body []byte) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url+"/api/v2/spans", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// get fetches a path of the server and returns status and body.
func get(t *testing.T, s *zipkintest.Server, path string) (int, []byte) {
	t.Helper()
	resp, err := http.Get(s.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// getJSON fetches path, requires a 200 and decodes the body into v.
func getJSON(t *testing.T, s *zipkintest.Server, path string, v any) {
	t.Helper()
	status, body := get(t, s, path)
	if status != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, status, body)
	}
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("GET %s: %v in %s", path, err, body)
	}
}

// traceIDs lists the first span's trace ID of each trace in a search answer.
func traceIDs(traces [][]zipkintest.Span) []string {
	out := []string{}
	for _, tr := range traces {
		out = append(out, tr[0].TraceID)
	}
	return out
}

func itoa(v int64) string { return strconv.FormatInt(v, 10) }
