package zipkin

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/ariadne-dev/ariadne/datasources"
)

// reply is one canned answer of the fake Zipkin.
type reply struct {
	status      int
	contentType string
	body        string
}

func jsonReply(body string) reply {
	return reply{status: http.StatusOK, contentType: "application/json", body: body}
}

// fakeZipkin answers fixed paths with canned bodies and Armeria's 404 for
// anything else, and records what it was asked.
type fakeZipkin struct {
	mu       sync.Mutex
	routes   map[string]reply
	requests []*http.Request
}

func (f *fakeZipkin) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.requests = append(f.requests, r.Clone(r.Context()))
	rep, ok := f.routes[r.URL.Path]
	f.mu.Unlock()
	if !ok {
		rep = reply{status: http.StatusNotFound, contentType: "text/plain", body: "Status: 404\nDescription: Not Found"}
	}
	if rep.contentType != "" {
		w.Header().Set("Content-Type", rep.contentType)
	}
	w.WriteHeader(rep.status)
	w.Write([]byte(rep.body))
}

func (f *fakeZipkin) paths() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, r := range f.requests {
		out = append(out, r.URL.RequestURI())
	}
	return out
}

// newFake starts a fake Zipkin and a client configured for it.
func newFake(t *testing.T, routes map[string]reply) (*Client, *fakeZipkin) {
	t.Helper()
	return newFakeWith(t, datasources.Config{}, routes)
}

func newFakeWith(t *testing.T, cfg datasources.Config, routes map[string]reply) (*Client, *fakeZipkin) {
	t.Helper()
	f := &fakeZipkin{routes: routes}
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
	if !strings.Contains(e.Message, msg) {
		t.Errorf("message = %q, want it to contain %q", e.Message, msg)
	}
	return e
}

// testdata reads one of the hand-written answers in testdata/.
func testdata(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// decode decodes a trace body or fails the test.
func decode(t *testing.T, body string) *datasources.Trace {
	t.Helper()
	tr, err := DecodeTrace([]byte(body))
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	checkTree(t, tr)
	return tr
}

// checkTree holds every decoded trace to what the trace page needs: unique
// span IDs, and no parent chain that loops.
func checkTree(t *testing.T, tr *datasources.Trace) {
	t.Helper()
	parent := map[string]string{}
	for _, s := range tr.Spans {
		if _, dup := parent[s.SpanID]; dup {
			t.Errorf("span ID %s appears twice", s.SpanID)
		}
		parent[s.SpanID] = s.ParentSpanID
		if len(s.SpanID) != 16 || len(s.TraceID) != 32 || (s.ParentSpanID != "" && len(s.ParentSpanID) != 16) {
			t.Errorf("span %+v: IDs are not padded", s)
		}
	}
	for id := range parent {
		seen := map[string]bool{}
		for p := id; p != ""; p = parent[p] {
			if seen[p] {
				t.Fatalf("span %s: its parents loop through %s", id, p)
			}
			seen[p] = true
		}
	}
}

// byName indexes a trace's spans by name; names are unique in the fixtures
// that use it, except where a test says otherwise.
func byName(tr *datasources.Trace) map[string][]*datasources.Span {
	out := map[string][]*datasources.Span{}
	for i := range tr.Spans {
		s := &tr.Spans[i]
		out[s.Name] = append(out[s.Name], s)
	}
	return out
}

// attrs renders a span's attributes as key=value strings, in order.
func attrs(as []datasources.Attribute) []string {
	var out []string
	for _, a := range as {
		out = append(out, a.Key+"="+a.Value)
	}
	return out
}
