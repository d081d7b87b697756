package handlers

import (
	"bytes"
	"net/http/httptest"
	"os"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/ariadne-dev/ariadne/correlation/trace"
	"github.com/ariadne-dev/ariadne/datasources/tempo"
	"github.com/ariadne-dev/ariadne/datasources/tempotest"
	"github.com/ariadne-dev/ariadne/views"
)

// The trace page is measured from Tempo's response bytes to finished HTML,
// against the plain protobuf decode of the same bytes in the same run:
//
//	go test -run '^$' -bench 'Trace(Page|Decode)' -benchmem ./handlers
//
// Target: page ≤ 1.5× decode at 10,000 spans. Each size also reports
// what one span costs: alloc-bytes/span allocated per page, and
// live-bytes/span held by the decoded trace and its tree while a page is
// built (the request's heap). ARIADNE_BENCH_1M=1 adds 1,000,000 spans
// (minutes, and several GB).
func BenchmarkTraceDecode(b *testing.B) {
	for _, n := range benchSizes() {
		body := traceBody(b, n)
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				if _, err := tempo.DecodeTraceV2(body, "application/protobuf"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkTracePage(b *testing.B) {
	for _, n := range benchSizes() {
		body := traceBody(b, n)
		h := New(Options{})
		b.Cleanup(h.Close)
		e := h.Router()
		var html bytes.Buffer
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				renderTracePage(b, h, e, body, &html)
			}
			b.ReportMetric(float64(html.Len())/float64(n), "html-bytes/span")
			b.ReportMetric(float64(liveBytes(b, body))/float64(n), "live-bytes/span")
		})
	}
}

// BenchmarkTracePageRatio is the page's target as one figure, at 10,000
// spans, as BenchmarkLogsPageRatio is the logs page's (benchRatio).
func BenchmarkTracePageRatio(b *testing.B) {
	body := traceBody(b, 10_000)
	h := New(Options{})
	b.Cleanup(h.Close)
	e := h.Router()
	var html bytes.Buffer
	benchRatio(b, func() {
		if _, err := tempo.DecodeTraceV2(body, "application/protobuf"); err != nil {
			b.Fatal(err)
		}
	}, func() { renderTracePage(b, h, e, body, &html) })
}

// renderTracePage decodes Tempo's answer and writes the trace page of it
// into html, as /traces/{id} does.
func renderTracePage(b *testing.B, h *Handler, e *echo.Echo, body []byte, html *bytes.Buffer) {
	html.Reset()
	c := e.NewContext(httptest.NewRequest("GET", "/traces/x", nil), httptest.NewRecorder())
	tr, err := tempo.DecodeTraceV2(body, "application/protobuf")
	if err != nil {
		b.Fatal(err)
	}
	v := views.BuildTrace(trace.BuildTree(tr, false), h.traceInput(c, views.TraceOptions{}))
	if err := views.Trace(h.page(c, v.Title, "traces"), v).Render(c.Request().Context(), html); err != nil {
		b.Fatal(err)
	}
}

// benchRatio reports a page's time against its backend's decode as one
// figure: each iteration decodes the bytes and builds and writes the
// page from them again, each timed alone, so that a machine whose speed
// drifts (a shared VM) weighs on both sides alike; in turns first, as
// the one after pays for the garbage the other left.
func benchRatio(b *testing.B, decode, page func()) {
	var td, tp time.Duration
	run := func(f func()) time.Duration { t := time.Now(); f(); return time.Since(t) }
	for i := 0; b.Loop(); i++ {
		if i%2 == 0 {
			td += run(decode)
			tp += run(page)
		} else {
			tp += run(page)
			td += run(decode)
		}
	}
	n := float64(b.N)
	b.ReportMetric(float64(td.Microseconds())/n/1000, "decode-ms")
	b.ReportMetric(float64(tp.Microseconds())/n/1000, "page-ms")
	b.ReportMetric(float64(tp)/float64(td), "page/decode")
}

// benchSizes are the trace sizes measured.
func benchSizes() []int {
	if os.Getenv("ARIADNE_BENCH_1M") != "" {
		return []int{1000, 10000, 100000, 1000000}
	}
	return []int{1000, 10000, 100000}
}

// liveBytes is the heap a decoded trace and its tree hold.
func liveBytes(b *testing.B, body []byte) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	tr, err := tempo.DecodeTraceV2(body, "application/protobuf")
	if err != nil {
		b.Fatal(err)
	}
	tree := trace.BuildTree(tr, false)
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(tree)
	return after.HeapAlloc - min(before.HeapAlloc, after.HeapAlloc)
}

// bodies keeps generated traces across sub-benchmarks of one size.
var bodies = map[int][]byte{}

func traceBody(b *testing.B, n int) []byte {
	b.Helper()
	if body, ok := bodies[n]; ok {
		return body
	}
	body, err := tempotest.EncodeV2Proto(tempotest.GenerateTrace(n, 42))
	if err != nil {
		b.Fatal(err)
	}
	bodies[n] = body
	return body
}
