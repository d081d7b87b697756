package tempo

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/ariadne-dev/ariadne/datasources"
)

// reply is one canned answer of the fake Tempo.
type reply struct {
	status      int
	contentType string
	body        []byte
}

func jsonReply(body []byte) reply {
	return reply{status: http.StatusOK, contentType: "application/json", body: body}
}

// fakeTempo answers fixed paths with recorded bodies and 404 (empty body,
// as Tempo's router does) for anything else, and records what it was asked.
type fakeTempo struct {
	mu       sync.Mutex
	routes   map[string]reply
	requests []*http.Request
}

func (f *fakeTempo) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.requests = append(f.requests, r.Clone(r.Context()))
	rep, ok := f.routes[r.URL.Path]
	f.mu.Unlock()
	if !ok {
		w.WriteHeader(http.StatusNotFound)
		return
	}
	if rep.contentType != "" {
		w.Header().Set("Content-Type", rep.contentType)
	}
	w.WriteHeader(rep.status)
	w.Write(rep.body)
}

func (f *fakeTempo) paths() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, r := range f.requests {
		out = append(out, r.URL.Path)
	}
	return out
}

func (f *fakeTempo) last(t *testing.T) *http.Request {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.requests) == 0 {
		t.Fatal("the client sent no request")
	}
	return f.requests[len(f.requests)-1]
}

// newFake starts a fake Tempo and a client configured for it.
func newFake(t *testing.T, routes map[string]reply) (*Client, *fakeTempo) {
	t.Helper()
	return newFakeWith(t, datasources.Config{}, routes)
}

func newFakeWith(t *testing.T, cfg datasources.Config, routes map[string]reply) (*Client, *fakeTempo) {
	t.Helper()
	f := &fakeTempo{routes: routes}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	cfg.URL = srv.URL + "/"
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c, f
}

// wantKind fails unless err is a *datasources.Error of kind k whose message
// contains msg.
func wantKind(t *testing.T, err error, k datasources.ErrorKind, msg string) *datasources.Error {
	t.Helper()
	e, ok := err.(*datasources.Error)
	if !ok {
		t.Fatalf("error = %T %v, want *datasources.Error of kind %v", err, err, k)
	}
	if e.Kind != k {
		t.Fatalf("kind = %v (%v), want %v", e.Kind, e, k)
	}
	if e.Backend != Backend {
		t.Errorf("backend = %q, want %q", e.Backend, Backend)
	}
	if !contains(e.Message, msg) {
		t.Errorf("message = %q, want it to contain %q", e.Message, msg)
	}
	return e
}

func contains(s, sub string) bool {
	return strings.Contains(s, sub)
}
