package handlers

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/labstack/echo/v4"

	"github.com/ariadne-dev/ariadne/datasources"
)

// fakeDB is a Pinger whose health a test switches.
type fakeDB struct{ down atomic.Bool }

func (f *fakeDB) Ping(ctx context.Context) error {
	if f.down.Load() {
		return errors.New("dial tcp 127.0.0.1:55432: connect: connection refused")
	}
	return nil
}

// fixtureNow is the handlers tests' "now", a fixed instant on purpose:
// every clock these tests build reads it (the app's Options.Now,
// lokitest's and tempotest's WithClock), so fixtures may sit at fixed
// times and no test depends on the day it runs. See
// datasources/fixturedates_test.go for the rule.
var fixtureNow = time.Date(2026, 11, 26, 10, 5, 0, 0, time.UTC)

func fixtureClock() time.Time { return fixtureNow }

// closingServer is a backend that is down: it takes each connection and
// closes it without a word. Unlike a closed port, it cannot be handed to
// another process while the test runs.
func closingServer(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	return "http://" + l.Addr().String()
}

type testApp struct {
	h    *Handler
	e    *echo.Echo
	db   *fakeDB
	logs *bytes.Buffer
}

func newApp(t *testing.T, opt Options) *testApp {
	t.Helper()
	db := &fakeDB{}
	if opt.DB == nil {
		opt.DB = db
	}
	if opt.Now == nil {
		opt.Now = fixtureClock
	}
	logs := &bytes.Buffer{}
	opt.Logger = slog.New(slog.NewTextHandler(logs, nil))
	h := New(opt)
	t.Cleanup(h.Close)
	return &testApp{h: h, e: h.Router(), db: db, logs: logs}
}

func (a *testApp) do(t *testing.T, r *http.Request) *httptest.ResponseRecorder {
	t.Helper()
	if r.RemoteAddr == "" {
		r.RemoteAddr = "192.0.2.10:40000"
	}
	w := httptest.NewRecorder()
	a.e.ServeHTTP(w, r)
	return w
}

func (a *testApp) get(t *testing.T, target string) *httptest.ResponseRecorder {
	t.Helper()
	return a.do(t, httptest.NewRequest(http.MethodGet, target, nil))
}

func doc(t *testing.T, w *httptest.ResponseRecorder) *goquery.Document {
	t.Helper()
	d, err := goquery.NewDocumentFromReader(bytes.NewReader(w.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// /readyz says each check's state in a word and a short sentence, never
// the driver's text (user, database, address); a hung backend is "slow"
// within its own timeout, and a URL answering as something else is "not
// an API", not "up".
func TestReadyz(t *testing.T) {
	up := func(context.Context) error { return nil }
	down := func(context.Context) error {
		return datasources.FromTransport("loki", errors.New("dial tcp 10.0.0.7:3100: connect: connection refused"))
	}
	hung := func(ctx context.Context) error {
		<-ctx.Done()
		return datasources.FromTransport("tempo", ctx.Err())
	}
	webPage := func(context.Context) error {
		return datasources.ReadyBody("prometheus", []byte("<!doctype html><html><body>Welcome to nginx!</body></html>"))
	}
	tests := []struct {
		name       string
		dbDown     bool
		backends   []Backend
		wantStatus int
		wantBody   string
		wantChecks map[string]readyCheck
	}{
		{name: "all up", backends: []Backend{{Name: "Prometheus", URL: "http://p", Ready: up}},
			wantStatus: 200, wantBody: "ok",
			wantChecks: map[string]readyCheck{"postgres": {Configured: true, Up: true, Status: "up"}, "prometheus": {Configured: true, Up: true, Status: "up"}}},
		{name: "backend down degrades", backends: []Backend{{Name: "Loki", URL: "http://l", Ready: down}, {Name: "Tempo"}},
			wantStatus: 200, wantBody: "degraded",
			wantChecks: map[string]readyCheck{"postgres": {Configured: true, Up: true, Status: "up"},
				"loki": {Configured: true, Status: "down", Error: "Loki is unreachable."}, "tempo": {Status: "not configured"}}},
		{name: "hung backend is slow within its timeout", backends: []Backend{{Name: "Tempo", URL: "http://t", Ready: hung, Timeout: 100 * time.Millisecond}},
			wantStatus: 200, wantBody: "degraded",
			wantChecks: map[string]readyCheck{"tempo": {Configured: true, Status: "slow", Error: "Tempo did not answer in time."}}},
		{name: "a web page is not an API", backends: []Backend{{Name: "Prometheus", URL: "http://p", Ready: webPage}},
			wantStatus: 200, wantBody: "degraded",
			wantChecks: map[string]readyCheck{"prometheus": {Configured: true, Status: "not an API",
				Error: "Prometheus's URL answers, but not as Prometheus: check that it is the API's base URL."}}},
		{name: "postgres down is 503", dbDown: true, backends: []Backend{{Name: "Prometheus", URL: "http://p", Ready: up}},
			wantStatus: 503, wantBody: "down",
			wantChecks: map[string]readyCheck{"postgres": {Configured: true, Status: "down", Error: "Postgres is unreachable."},
				"prometheus": {Configured: true, Up: true, Status: "up"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newApp(t, Options{Backends: tt.backends})
			a.db.down.Store(tt.dbDown)
			start := time.Now()
			w := a.get(t, "/readyz")
			if took := time.Since(start); took > 2*time.Second {
				t.Errorf("readyz took %v", took)
			}
			if w.Code != tt.wantStatus {
				t.Fatalf("status %d, want %d: %s", w.Code, tt.wantStatus, w.Body)
			}
			if strings.Contains(w.Body.String(), "10.0.0.7") || strings.Contains(w.Body.String(), "55432") || strings.Contains(w.Body.String(), "dial tcp") {
				t.Errorf("connection details in the answer: %s", w.Body)
			}
			var body readyBody
			if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
				t.Fatal(err)
			}
			if body.Status != tt.wantBody {
				t.Errorf("status %q, want %q", body.Status, tt.wantBody)
			}
			for name, want := range tt.wantChecks {
				got := body.Checks[name]
				got.LatencyMs = 0
				if got != want {
					t.Errorf("check %s = %+v, want %+v", name, got, want)
				}
			}
			if tt.dbDown && !strings.Contains(a.logs.String(), "55432") {
				t.Errorf("the driver's error is not in the log for operators: %s", a.logs)
			}
		})
	}
}

func TestHealthz(t *testing.T) {
	a := newApp(t, Options{})
	a.db.down.Store(true)
	if w := a.get(t, "/healthz"); w.Code != 200 || w.Body.String() != "ok\n" {
		t.Errorf("healthz = %d %q", w.Code, w.Body)
	}
}

func TestSecurityHeaders(t *testing.T) {
	a := newApp(t, Options{})
	w := a.get(t, "/")
	csp := w.Header().Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'none'", "script-src 'self' 'nonce-", "style-src 'self' 'nonce-", "frame-ancestors 'none'", "base-uri 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
		t.Errorf("CSP allows unsafe sources: %q", csp)
	}
	for h, want := range map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "same-origin"} {
		if got := w.Header().Get(h); got != want {
			t.Errorf("%s = %q, want %q", h, got, want)
		}
	}
	// Each response gets its own nonce.
	if csp == a.get(t, "/").Header().Get("Content-Security-Policy") {
		t.Error("two responses share a CSP nonce")
	}
}

func TestCSRF(t *testing.T) {
	a := newApp(t, Options{})
	// Fetch a page to get the CSRF cookie, as a browser would.
	w := a.get(t, "/")
	var cookie *http.Cookie
	for _, c := range w.Result().Cookies() {
		if c.Name == "_csrf" {
			cookie = c
		}
	}
	if cookie == nil || !cookie.HttpOnly || cookie.SameSite != http.SameSiteStrictMode {
		t.Fatalf("CSRF cookie = %+v", cookie)
	}
	post := func(form url.Values, hdr map[string]string, withCookie bool) int {
		r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(form.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for k, v := range hdr {
			r.Header.Set(k, v)
		}
		if withCookie {
			r.AddCookie(cookie)
		}
		return a.do(t, r).Code
	}
	// The route has no POST handler: passing the CSRF check shows as 405.
	tests := []struct {
		name   string
		form   url.Values
		hdr    map[string]string
		cookie bool
		want   int
	}{
		{"no token, no fetch metadata", nil, nil, true, http.StatusBadRequest},
		{"wrong token", url.Values{"_csrf": {"forged"}}, nil, true, http.StatusForbidden},
		{"token without cookie", url.Values{"_csrf": {cookie.Value}}, nil, false, http.StatusForbidden},
		{"cross-site browser request", url.Values{"_csrf": {"forged"}}, map[string]string{"Sec-Fetch-Site": "cross-site"}, true, http.StatusForbidden},
		{"valid token", url.Values{"_csrf": {cookie.Value}}, nil, true, http.StatusMethodNotAllowed},
		{"valid header token", nil, map[string]string{"X-CSRF-Token": cookie.Value}, true, http.StatusMethodNotAllowed},
		{"same-origin browser request", nil, map[string]string{"Sec-Fetch-Site": "same-origin"}, false, http.StatusMethodNotAllowed},
	}
	for _, tt := range tests {
		if got := post(tt.form, tt.hdr, tt.cookie); got != tt.want {
			t.Errorf("%s: status %d, want %d", tt.name, got, tt.want)
		}
	}

	// A token in the query string is not accepted (URLs are logged,
	// kept in history and sent on as Referer), and is not logged either.
	a.logs.Reset()
	r := httptest.NewRequest(http.MethodPost, "/?_csrf="+url.QueryEscape(cookie.Value), strings.NewReader(""))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.AddCookie(cookie)
	if got := a.do(t, r).Code; got != http.StatusBadRequest && got != http.StatusForbidden {
		t.Errorf("token in the query string: status %d, want it refused", got)
	}
	if strings.Contains(a.logs.String(), cookie.Value) {
		t.Errorf("the CSRF token is in the log: %s", a.logs)
	}
	// The body's token still counts when the query has another.
	r = httptest.NewRequest(http.MethodPost, "/?_csrf=forged", strings.NewReader(url.Values{"_csrf": {cookie.Value}}.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.AddCookie(cookie)
	if got := a.do(t, r).Code; got != http.StatusMethodNotAllowed {
		t.Errorf("body token with a forged query token: status %d, want the body's to count (405)", got)
	}
}

func TestPostgresDownStillRendersWithBanner(t *testing.T) {
	a := newApp(t, Options{})
	a.db.down.Store(true)
	a.h.db.check(a.h.log) // as the monitor's next tick would
	w := a.get(t, "/")
	if w.Code != 200 {
		t.Fatalf("status %d", w.Code)
	}
	d := doc(t, w)
	if banner := d.Find(".banner.error").Text(); !strings.Contains(banner, "Postgres is unreachable") {
		t.Errorf("banner = %q", banner)
	}
	pg := d.Find(`section.panel-done[data-panel="Postgres"]`)
	if !pg.HasClass("failed") || !strings.Contains(pg.Text(), "Postgres is unreachable.") || strings.Contains(pg.Text(), "55432") {
		t.Errorf("Postgres panel = %q", pg.Text())
	}
}

func TestPanelsFailAloneAndWithinTimeout(t *testing.T) {
	hang := make(chan struct{})
	t.Cleanup(func() { close(hang) })
	a := newApp(t, Options{PanelTimeout: 300 * time.Millisecond, Backends: []Backend{
		// Ignores its context entirely: the page must not wait for it.
		{Name: "Prometheus", Env: "PROMETHEUS", URL: "http://prom", Ready: func(context.Context) error { <-hang; return nil }},
		{Name: "Loki", Env: "LOKI", URL: "http://loki", Ready: func(context.Context) error {
			return &datasources.Error{Kind: datasources.ErrorUnavailable, Backend: "loki", Message: "Loki answered 503 Service Unavailable."}
		}},
		{Name: "Tempo", Env: "TEMPO", URL: "http://tempo", Ready: func(context.Context) error { return nil }},
	}})
	start := time.Now()
	w := a.get(t, "/")
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("page took %s with a 300ms panel timeout", took)
	}
	d := doc(t, w)
	for name, want := range map[string]string{
		"Prometheus": "did not answer within 300ms",
		"Loki":       "Loki answered 503 Service Unavailable.",
		"Tempo":      "up",
		"Postgres":   "up",
	} {
		got := d.Find(`section.panel-done[data-panel="` + name + `"]`).Text()
		if !strings.Contains(got, want) {
			t.Errorf("%s panel = %q, want it to contain %q", name, got, want)
		}
	}
	// The service map and its hidden dependencies (#16), then the four backends.
	if n := d.Find("section.panel-loading").Length(); n != 6 {
		t.Errorf("%d loading placeholders, want one per panel (6)", n)
	}
}

func TestPanicRendersErrorPage(t *testing.T) {
	a := newApp(t, Options{})
	a.e.GET("/boom", func(echo.Context) error { panic("secret internal detail") })
	w := a.get(t, "/boom")
	if w.Code != 500 {
		t.Fatalf("status %d", w.Code)
	}
	body := w.Body.String()
	if strings.Contains(body, "secret internal detail") {
		t.Error("the error page shows the panic value")
	}
	d := doc(t, w)
	if d.Find("nav.nav a").Length() != 4 || !strings.Contains(d.Find("main").Text(), w.Header().Get(echo.HeaderXRequestID)) {
		t.Errorf("error page lacks navigation or request ID:\n%s", body)
	}
	if strings.Count(a.logs.String(), "secret internal detail") != 1 {
		t.Errorf("the panic should be logged once:\n%s", a.logs.String())
	}
}

func TestTraceBox(t *testing.T) {
	a := newApp(t, Options{})
	tests := []struct {
		query    string
		status   int
		location string
		errText  string
	}{
		{"trace_id=4BF92F3577B34DA6A3CE929D0E0E4736", 303, "/traces/4bf92f3577b34da6a3ce929d0e0e4736", ""},
		{"trace_id=abc", 303, "/traces/00000000000000000000000000000abc", ""},
		{"trace_id=" + url.QueryEscape("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01") + "&from=now-6h&to=now", 303,
			"/traces/4bf92f3577b34da6a3ce929d0e0e4736?from=now-6h&span=00f067aa0ba902b7&to=now#s-00f067aa0ba902b7", ""}, // its span selected
		{"trace_id=" + url.QueryEscape(`"><script>alert(1)</script>`), 400, "", "1 to 32 hexadecimal"},
		{"trace_id=00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7", 400, "", "1 to 32 hexadecimal"},
		{"trace_id=00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01", 400, "", "traceparent is version-traceid-spanid-flags"},
		{"trace_id=", 400, "", "1 to 32"},
	}
	for _, tt := range tests {
		w := a.get(t, "/traces?"+tt.query)
		if w.Code != tt.status {
			t.Errorf("%s: status %d, want %d", tt.query, w.Code, tt.status)
			continue
		}
		if tt.location != "" && w.Header().Get("Location") != tt.location {
			t.Errorf("%s: Location %q, want %q", tt.query, w.Header().Get("Location"), tt.location)
		}
		if tt.errText != "" {
			body := w.Body.String()
			if strings.Contains(body, "<script>alert") {
				t.Errorf("%s: input echoed unescaped", tt.query)
			}
			d := doc(t, w)
			if !strings.Contains(d.Find(".banner.error").Text(), tt.errText) {
				t.Errorf("%s: error banner %q", tt.query, d.Find(".banner.error").Text())
			}
			q, _ := url.ParseQuery(tt.query)
			if v, _ := d.Find("#trace-box").Attr("value"); v != q.Get("trace_id") {
				t.Errorf("%s: box keeps %q", tt.query, v)
			}
		}
	}
}

// A share token never reaches the request log, however the path is
// spelled: doubled or dot segments, another case, escapes.
func TestShareTokensRedactedFromLogs(t *testing.T) {
	for _, p := range []string{"/s/k3yS3cr3tT0k3n?x=1", "//s/k3yS3cr3tT0k3n", "/./s/k3yS3cr3tT0k3n", "/S/k3yS3cr3tT0k3n",
		"/x/../s/k3yS3cr3tT0k3n", "/%73/k3yS3cr3tT0k3n", "/s/k3yS3cr3tT0k3n/extra", "/s//k3yS3cr3tT0k3n", "/s/./k3yS3cr3tT0k3n"} {
		a := newApp(t, Options{})
		a.get(t, p)
		logs := a.logs.String()
		if strings.Contains(logs, "k3yS3cr3tT0k3n") {
			t.Errorf("%s: token in logs: %s", p, logs)
		}
		if !strings.Contains(logs, "/s/[redacted]") {
			t.Errorf("%s: redacted path missing from logs: %s", p, logs)
		}
	}
	// Other paths are logged as they are.
	a := newApp(t, Options{})
	a.get(t, "/static/s/x.css")
	if !strings.Contains(a.logs.String(), "/static/s/x.css") {
		t.Errorf("a path that is not a share link was changed: %s", a.logs)
	}
}

func TestIdentity(t *testing.T) {
	a := newApp(t, Options{UserHeader: "X-Forwarded-User", DefaultUser: "local",
		TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}})
	user := func(remote, header string) string {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.RemoteAddr = remote
		if header != "" {
			r.Header.Set("X-Forwarded-User", header)
		}
		return doc(t, a.do(t, r)).Find(".user").Text()
	}
	if got := user("10.1.2.3:5000", "alice"); got != "alice" {
		t.Errorf("from a trusted proxy: %q", got)
	}
	if got := user("192.0.2.1:5000", "mallory"); got != "local" {
		t.Errorf("from an untrusted address the header was believed: %q", got)
	}
	if got := user("10.1.2.3:5000", ""); got != "local" {
		t.Errorf("no header: %q", got)
	}
}

func TestStaticAssetsAreCachedForever(t *testing.T) {
	a := newApp(t, Options{})
	d := doc(t, a.get(t, "/"))
	href, _ := d.Find(`link[rel="stylesheet"]`).Attr("href")
	w := a.get(t, href)
	if w.Code != 200 || !strings.Contains(w.Header().Get("Cache-Control"), "immutable") || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/css") {
		t.Errorf("%s: %d %v", href, w.Code, w.Header())
	}
	stale := "/static/000000000000/css/app.css"
	if w := a.get(t, stale); w.Code != 200 || strings.Contains(w.Header().Get("Cache-Control"), "immutable") {
		t.Errorf("stale hash: %d %q", w.Code, w.Header().Get("Cache-Control"))
	}
	if w := a.get(t, "/static/x/../../go.mod"); w.Code != 404 {
		t.Errorf("path traversal: %d", w.Code)
	}
}
