package handlers

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/ariadne-dev/ariadne/datasources/lokitest"
	"github.com/ariadne-dev/ariadne/datasources/tempotest"
	"github.com/ariadne-dev/ariadne/store"
	"github.com/ariadne-dev/ariadne/store/storetest"
)

// The failing checkout's error line, as the demo writes it.
const failLine = `{"time":"2026-11-26T10:00:00.09Z","level":"error","msg":"charge failed: payment provider did not answer","service":"payments","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","span_id":"00000000000000b2"}`

// invApp is the app with a real Postgres store, tempotest holding the
// checkout trace and lokitest holding its logs, plus a browser-like
// session (cookies, CSRF token).
type invApp struct {
	*testApp
	st      *store.Store
	pool    *pgxpool.Pool // for tests that move the database's clock
	tempo   *tempotest.Server
	loki    *lokitest.Server
	cookies map[string]*http.Cookie
	csrf    string
}

func newInvApp(t *testing.T) *invApp {
	t.Helper()
	b := newTestBackends(t, backendOptions{})
	b.tempo.Ingest(checkoutTrace())
	b.pushLines(t, map[string]string{"service_name": "payments", "level": "error"},
		lokitest.Entry{Time: traceBase.Add(90 * time.Millisecond), Line: failLine})
	b.pushLines(t, map[string]string{"service_name": "payments", "level": "info"},
		lokitest.Entry{Time: traceBase.Add(20 * time.Millisecond), Line: `{"level":"info","msg":"charging card"}`})
	pool := storetest.NewPool(t)
	st := store.New(pool)
	a := &invApp{testApp: newApp(t, Options{Store: st, Tempo: b.tempoClient, Loki: b.lokiClient, DefaultUser: "local"}),
		st: st, pool: pool, tempo: b.tempo, loki: b.loki, cookies: map[string]*http.Cookie{}}
	a.session(t, a.get(t, "/investigations"))
	if a.csrf == "" {
		t.Fatal("no CSRF cookie from GET /investigations")
	}
	return a
}

// session keeps the cookies a response sets, as a browser would.
func (a *invApp) session(t *testing.T, w *httptest.ResponseRecorder) *httptest.ResponseRecorder {
	t.Helper()
	for _, c := range w.Result().Cookies() {
		if c.MaxAge < 0 {
			delete(a.cookies, c.Name)
			continue
		}
		a.cookies[c.Name] = c
		if c.Name == "_csrf" {
			a.csrf = c.Value
		}
	}
	return w
}

func (a *invApp) get(t *testing.T, target string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(http.MethodGet, target, nil)
	for _, c := range a.cookies {
		r.AddCookie(c)
	}
	return a.session(t, a.do(t, r))
}

// post submits a form with the session's CSRF token.
func (a *invApp) post(t *testing.T, target string, form url.Values) *httptest.ResponseRecorder {
	t.Helper()
	if form == nil {
		form = url.Values{}
	}
	form.Set("_csrf", a.csrf)
	r := httptest.NewRequest(http.MethodPost, target, strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for _, c := range a.cookies {
		r.AddCookie(c)
	}
	return a.session(t, a.do(t, r))
}

// pinFields is a pin form's fields.
func pinFields(kind, key string, kv ...string) url.Values {
	v := url.Values{"kind": {kind}, "idempotency_key": {key}}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v
}

func wantCode(t *testing.T, w *httptest.ResponseRecorder, want int) {
	t.Helper()
	if w.Code != want {
		t.Fatalf("status %d, want %d: %.600s", w.Code, want, w.Body.String())
	}
}

// onlyOne returns the single element of list, failing otherwise.
func onlyOne[T any](list []T, err error) func(t *testing.T) T {
	return func(t *testing.T) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 1 {
			t.Fatalf("%d elements, want 1: %+v", len(list), list)
		}
		return list[0]
	}
}

func newFormRequest(target string, form url.Values) *http.Request {
	r := httptest.NewRequest(http.MethodPost, target, strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return r
}
