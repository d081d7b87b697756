package prometheus

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/ariadne-dev/ariadne/datasources"
)

// reply is what the fake Prometheus answers on one path. Bodies come from
// testdata/ (written from what Prometheus 2.42 sends) or are inline.
type reply struct {
	status int
	file   string
	body   string
	ctype  string // default application/json
}

type seen struct {
	method string
	path   string
	form   url.Values
	header http.Header
}

// fakeProm is an httptest server answering fixed replies per path and
// recording every request, form values parsed.
type fakeProm struct {
	t      *testing.T
	srv    *httptest.Server
	routes map[string]reply
	mu     sync.Mutex
	reqs   []seen
}

func newFake(t *testing.T, routes map[string]reply) *fakeProm {
	t.Helper()
	f := &fakeProm{t: t, routes: routes}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeProm) serve(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	f.mu.Lock()
	f.reqs = append(f.reqs, seen{method: r.Method, path: r.URL.Path, form: r.Form, header: r.Header.Clone()})
	f.mu.Unlock()
	rep, ok := f.routes[r.URL.Path]
	if !ok {
		http.NotFound(w, r)
		return
	}
	body := []byte(rep.body)
	if rep.file != "" {
		var err error
		if body, err = os.ReadFile(filepath.Join("testdata", rep.file)); err != nil {
			f.t.Errorf("fake prometheus: %v", err)
		}
	}
	ctype := rep.ctype
	if ctype == "" {
		ctype = "application/json"
	}
	w.Header().Set("Content-Type", ctype)
	status := rep.status
	if status == 0 {
		status = http.StatusOK
	}
	w.WriteHeader(status)
	w.Write(body)
}

// last returns the last request made to path.
func (f *fakeProm) last(path string) seen {
	f.t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := len(f.reqs) - 1; i >= 0; i-- {
		if f.reqs[i].path == path {
			return f.reqs[i]
		}
	}
	f.t.Fatalf("no request to %s", path)
	return seen{}
}

func (f *fakeProm) client(t *testing.T, cfg datasources.Config) *Client {
	t.Helper()
	cfg.URL = f.srv.URL
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// wantError checks the Kind of err, and that it is a *datasources.Error.
func wantError(t *testing.T, err error, kind datasources.ErrorKind) *datasources.Error {
	t.Helper()
	e, ok := err.(*datasources.Error)
	if !ok {
		t.Fatalf("err = %#v (%v), want *datasources.Error of kind %v", err, err, kind)
	}
	if e.Kind != kind {
		t.Fatalf("kind = %v, want %v (err: %v)", e.Kind, kind, err)
	}
	return e
}
