package handlers

import (
	"bytes"
	"net/http/httptest"
	"strconv"
	"testing"

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
// Target: page ≤ 3× decode at 10,000 spans.
func BenchmarkTraceDecode(b *testing.B) {
	for _, n := range []int{1000, 10000, 100000} {
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
	for _, n := range []int{1000, 10000, 100000} {
		body := traceBody(b, n)
		h := New(Options{})
		b.Cleanup(h.Close)
		e := h.Router()
		var html bytes.Buffer
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				html.Reset()
				c := e.NewContext(httptest.NewRequest("GET", "/traces/x", nil), httptest.NewRecorder())
				tr, err := tempo.DecodeTraceV2(body, "application/protobuf")
				if err != nil {
					b.Fatal(err)
				}
				tree := trace.BuildTree(tr, false)
				v := views.BuildTrace(tree, h.traceInput(c, views.TraceOptions{}))
				if err := views.Trace(h.page(c, v.Title, "traces"), v).Render(c.Request().Context(), &html); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(html.Len())/float64(n), "html-bytes/span")
		})
	}
}

func traceBody(b *testing.B, n int) []byte {
	b.Helper()
	body, err := tempotest.EncodeV2Proto(tempotest.GenerateTrace(n, 42))
	if err != nil {
		b.Fatal(err)
	}
	return body
}
