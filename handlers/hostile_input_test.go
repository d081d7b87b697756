package handlers

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"

	"github.com/ariadne-dev/ariadne/datasources/lokitest"
	"github.com/labstack/echo/v4"
)

// Characters that change how text reads without being seen (a
// right-to-left override, a zero-width space, ESC, NUL) are shown on every
// page that draws text from spans and logs, never passed on to be obeyed.
func TestInvisibleCharactersAreShown(t *testing.T) {
	const rlo, zwsp = "\u202E", "\u200B"
	b := newTestBackends(t, backendOptions{})
	b.tempo.Ingest(&tracepb.TracesData{ResourceSpans: []*tracepb.ResourceSpans{
		resourceSpans("pay"+zwsp+"ments", pbSpan("00000000000000a1", "", "GET /invoice-"+rlo+"fdp.exe", 0, 100,
			str("file.name", "report"+rlo+"txt.exe"), str("note", "bell\x07 esc\x1b[8m nul\x00"))),
	}})
	b.pushLines(t, map[string]string{"service_name": "payments"},
		lokitest.Entry{Time: traceBase.Add(10 * time.Millisecond), Line: "trace_id=" + traceHex + " user ad" + zwsp + "min paid invoice-" + rlo + "fdp.exe"})
	a := newApp(t, Options{Tempo: b.tempoClient, Loki: b.lokiClient})

	for _, path := range []string{"/traces/" + traceHex + "?span=00000000000000a1", "/logs?trace_id=" + traceHex} {
		w := a.get(t, path)
		if w.Code != http.StatusOK {
			t.Fatalf("%s: status %d", path, w.Code)
		}
		body := w.Body.String()
		for _, raw := range []string{rlo, zwsp, "\x07", "\x1b", "\x00"} {
			if strings.Contains(body, raw) {
				t.Errorf("%s: the page carries %q raw", path, raw)
			}
		}
		if !strings.Contains(body, "⟨U+202E⟩") {
			t.Errorf("%s: the right-to-left override is not shown as ⟨U+202E⟩", path)
		}
	}
	w := a.get(t, "/traces/"+traceHex+"?span=00000000000000a1")
	for _, want := range []string{"pay⟨U+200B⟩ments", "report⟨U+202E⟩txt.exe", "bell␇ esc␛[8m nul␀"} {
		if !strings.Contains(w.Body.String(), want) {
			t.Errorf("trace page: %q not shown", want)
		}
	}
}

// An invalid ID is written back bounded and with its control characters
// shown: /traces/%00 must not put a raw NUL into the HTML.
func TestInvalidTraceIDIsEchoedInert(t *testing.T) {
	a := newApp(t, Options{})
	for _, path := range []string{"/traces/%00", "/traces/ab%E2%80%AEcd", "/traces?trace_id=%00%1B", "/traces/" + strings.Repeat("z", 5000)} {
		w := a.get(t, path)
		if w.Code != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400", path, w.Code)
		}
		body := w.Body.String()
		for _, raw := range []string{"\x00", "\x1b", "\u202E"} {
			if strings.Contains(body, raw) {
				t.Errorf("%s: the page carries %q raw", path, raw)
			}
		}
		if strings.Contains(body, strings.Repeat("z", echoBytes+1)) {
			t.Errorf("%s: more than %d bytes of the input written back", path, echoBytes)
		}
	}
}

// A query string over the limit is refused at once with the limit named,
// none of it echoed and nothing forwarded; one under it goes through.
func TestQueryLengthIsBounded(t *testing.T) {
	f := &fakeMetrics{}
	a := newGraphApp(t, f, Options{MaxQueryBytes: 4096})
	huge := "/graph?q=" + strings.Repeat("a", 1<<20)
	w := a.get(t, huge)
	if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "at most 4096 (ARIADNE_MAX_QUERY_BYTES)") {
		t.Errorf("1 MB query: status %d, %.200s", w.Code, w.Body.String())
	}
	if w.Body.Len() > 20<<10 || strings.Contains(w.Body.String(), strings.Repeat("a", 600)) {
		t.Errorf("1 MB query: the answer is %d bytes and echoes the query", w.Body.Len())
	}
	if f.step != 0 {
		t.Error("the query was forwarded to Prometheus")
	}
	if w := a.get(t, "/graph?q=up"); w.Code != http.StatusOK {
		t.Errorf("a short query: status %d", w.Code)
	}

	// A body is read only so far: a 3 MB form is not parsed.
	e := echo.New()
	e.Use(boundInput(4096))
	e.POST("/form", func(c echo.Context) error {
		if err := c.Request().ParseForm(); err != nil {
			return c.String(http.StatusRequestEntityTooLarge, err.Error())
		}
		return c.String(http.StatusOK, strconv.Itoa(len(c.FormValue("title"))))
	})
	for size, want := range map[int]int{3 << 20: http.StatusRequestEntityTooLarge, 100 << 10: http.StatusOK} {
		r := httptest.NewRequest(http.MethodPost, "/form", strings.NewReader("title="+strings.Repeat("b", size)))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		w := httptest.NewRecorder()
		e.ServeHTTP(w, r)
		if w.Code != want {
			t.Errorf("%d-byte form: status %d, want %d", size, w.Code, want)
		}
	}
}

// A proxy's request ID is adopted only when short and token-like; anything
// else (8 KB, spaces, control characters) gets an ID of our own.
func TestRequestIDIsAdoptedOnlyWhenTokenLike(t *testing.T) {
	a := newApp(t, Options{})
	for in, adopted := range map[string]bool{
		"4f1c2a9e-7b3d-4e2a-9c1f-0a2b3c4d5e6f": true,
		"req:42.a_b":                           true,
		strings.Repeat("x", 8<<10):             false,
		"two words":                            false,
		"evil\u202Eid":                         false,
		"":                                     false,
	} {
		r := httptest.NewRequest(http.MethodGet, "/healthz", nil)
		r.Header.Set("X-Request-ID", in)
		w := a.do(t, r)
		got := w.Header().Get("X-Request-ID")
		if adopted && got != in {
			t.Errorf("%.20q: ID %q, want it adopted", in, got)
		}
		if !adopted && (got == in || len(got) != 32) {
			t.Errorf("%.20q: ID %.40q, want a generated one", in, got)
		}
		if !adopted && strings.Contains(a.logs.String(), strings.Repeat("x", 100)) {
			t.Errorf("the 8 KB ID is in the log")
		}
	}
}

// A request the client gave up on is not logged as served.
func TestCancelledRequestIsLogged499(t *testing.T) {
	a := newApp(t, Options{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	a.do(t, httptest.NewRequest(http.MethodGet, "/healthz", nil).WithContext(ctx))
	if logs := a.logs.String(); !strings.Contains(logs, "status=499") || strings.Contains(logs, "status=200") {
		t.Errorf("a cancelled request is logged as: %s", logs)
	}
}
