package handlers

import (
	"bytes"
	stdgzip "compress/gzip"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/gzip"
	"github.com/labstack/echo/v4"

	"github.com/ariadne-dev/ariadne/datasources/loki"
	"github.com/ariadne-dev/ariadne/views"
)

// Pages and error pages alike go out gzipped to a browser that asks, and
// plain to one that does not; the request log keeps the error's status.
func TestResponsesCompressedForWhoAsks(t *testing.T) {
	a := newApp(t, Options{})
	for _, tc := range []struct {
		path   string
		status int
		want   string
	}{
		{"/", http.StatusOK, "<!doctype html>"},
		{"/traces/not-a-trace-id", http.StatusBadRequest, "trace ID"},
	} {
		for _, gz := range []bool{true, false} {
			r, _ := http.NewRequest(http.MethodGet, tc.path, nil)
			if gz {
				r.Header.Set("Accept-Encoding", "gzip, deflate, br")
			}
			w := a.do(t, r)
			if w.Code != tc.status {
				t.Errorf("%s (gzip %v): %d, want %d", tc.path, gz, w.Code, tc.status)
			}
			body := w.Body.Bytes()
			if enc := w.Header().Get("Content-Encoding"); (enc == "gzip") != gz {
				t.Errorf("%s (gzip %v): Content-Encoding %q", tc.path, gz, enc)
			} else if gz {
				zr, err := gzip.NewReader(bytes.NewReader(body))
				if err != nil {
					t.Fatalf("%s: not gzip: %v", tc.path, err)
				}
				if body, err = io.ReadAll(zr); err != nil {
					t.Fatalf("%s: a broken gzip stream: %v", tc.path, err)
				}
			}
			if !strings.Contains(strings.ToLower(string(body)), strings.ToLower(tc.want)) {
				t.Errorf("%s (gzip %v): the page lacks %q: %.300s", tc.path, gz, tc.want, body)
			}
			if !strings.Contains(w.Header().Get("Vary"), "Accept-Encoding") {
				t.Errorf("%s: Vary %q: a cache would hand gzip to who cannot read it", tc.path, w.Header().Get("Vary"))
			}
		}
	}
	if !strings.Contains(a.logs.String(), "status=400") {
		t.Errorf("the request log lost the error's status:\n%s", a.logs)
	}
}

// BenchmarkCompressLogsPage compresses a 5,000-line logs page as the
// router did (the standard library's gzip, level 5) and as it does now
// (klauspost/compress, the same level), in 64 KB writes as the rows are.
func BenchmarkCompressLogsPage(b *testing.B) {
	res, err := loki.DecodeQueryResponse(logsBody(b))
	if err != nil {
		b.Fatal(err)
	}
	h := New(Options{})
	b.Cleanup(h.Close)
	rows := h.logRows(res.Lines, views.LogRowsInput{Zone: time.UTC, Query: `{namespace="shop"} | json`, Narrow: true, Lazy: true})
	var html bytes.Buffer
	if err := views.LogLinesBody(views.LogLines{Rows: rows, Count: "5000 lines"}).Render(b.Context(), &html); err != nil {
		b.Fatal(err)
	}
	page := html.Bytes()
	for _, tc := range []struct {
		name string
		zw   func(io.Writer) io.WriteCloser
	}{
		{"stdlib", func(w io.Writer) io.WriteCloser { z, _ := stdgzip.NewWriterLevel(w, compressLevel); return z }},
		{"klauspost", func(w io.Writer) io.WriteCloser { z, _ := gzip.NewWriterLevel(w, compressLevel); return z }},
	} {
		b.Run(tc.name, func(b *testing.B) {
			var out bytes.Buffer
			b.SetBytes(int64(len(page)))
			for b.Loop() {
				out.Reset()
				z := tc.zw(&out)
				for i := 0; i < len(page); i += 64 << 10 {
					z.Write(page[i:min(i+64<<10, len(page))])
				}
				z.Close()
			}
			b.ReportMetric(float64(out.Len()), "gzip-bytes")
		})
	}
}

// A handler that panics still gets its error page, whole, after the
// compressor has gone back to its pool.
func TestPanicBehindTheCompressorGetsAnErrorPage(t *testing.T) {
	a := newApp(t, Options{})
	a.e.GET("/test-panic", func(echo.Context) error { panic("boom") })
	r, _ := http.NewRequest(http.MethodGet, "/test-panic", nil)
	r.Header.Set("Accept-Encoding", "gzip")
	w := a.do(t, r)
	if w.Code != http.StatusInternalServerError || !strings.Contains(strings.ToLower(w.Body.String()), "<!doctype html>") {
		t.Errorf("a panic answered %d: %.200q", w.Code, w.Body.String())
	}
}
