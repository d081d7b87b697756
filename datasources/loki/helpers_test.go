package loki

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/ariadne-dev/ariadne/datasources"
)

// fakeLoki answers every request with one canned response and records the
// requests it saw.
type fakeLoki struct {
	mu       sync.Mutex
	requests []*http.Request
	status   int
	ctype    string
	body     []byte
}

func (f *fakeLoki) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.requests = append(f.requests, r.Clone(r.Context()))
	f.mu.Unlock()
	ct := f.ctype
	if ct == "" {
		ct = "application/json"
	}
	w.Header().Set("Content-Type", ct)
	w.WriteHeader(f.status)
	w.Write(f.body)
}

func (f *fakeLoki) last(t *testing.T) *http.Request {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.requests) == 0 {
		t.Fatal("the fake Loki saw no request")
	}
	return f.requests[len(f.requests)-1]
}

// serve starts a fake Loki answering status/body and a client for it.
func serve(t *testing.T, status int, body []byte) (*Client, *fakeLoki) {
	t.Helper()
	f := &fakeLoki{status: status, body: body}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return newClient(t, datasources.Config{URL: srv.URL}), f
}

func newClient(t *testing.T, cfg datasources.Config) *Client {
	t.Helper()
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

func mustKind(t *testing.T, err error, want datasources.ErrorKind) *datasources.Error {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want kind %v", want)
	}
	e, ok := err.(*datasources.Error)
	if !ok {
		t.Fatalf("error %T %v is not a *datasources.Error", err, err)
	}
	if e.Kind != want {
		t.Fatalf("kind = %v, want %v (%v)", e.Kind, want, err)
	}
	if e.Backend != Backend {
		t.Errorf("backend = %q, want %q", e.Backend, Backend)
	}
	return e
}

func newServer(t *testing.T, h http.Handler) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}
