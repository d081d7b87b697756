package handlers

import (
	"bytes"
	"testing"
	"time"

	"github.com/ariadne-dev/ariadne/correlation/logline"
	"github.com/ariadne-dev/ariadne/datasources/loki"
	"github.com/ariadne-dev/ariadne/datasources/lokitest"
	"github.com/ariadne-dev/ariadne/views"
)

// The logs page is measured from Loki's response bytes to finished HTML
// of the lines panel (derived-field extraction included), against the
// plain decode of the same bytes in the same run:
//
//	go test -run '^$' -bench 'Logs' -benchmem ./handlers
const benchLines = 5000

func logsBody(b testing.TB) []byte {
	return lokitest.EncodeStreams(lokitest.SyntheticStreams(benchLines, 20, time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)), true)
}

func BenchmarkLogsDecode(b *testing.B) {
	body := logsBody(b)
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, err := loki.DecodeQueryResponse(body); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLogsPage renders as /logs does: each line's tables are left
// for when it is opened (Lazy). BenchmarkLogsPageExpanded writes them
// inline, as /logs did before and the trace page and context still do.
func BenchmarkLogsPage(b *testing.B)         { benchLogsPage(b, true) }
func BenchmarkLogsPageExpanded(b *testing.B) { benchLogsPage(b, false) }

func benchLogsPage(b *testing.B, lazy bool) {
	body := logsBody(b)
	h := New(Options{})
	b.Cleanup(h.Close)
	var html bytes.Buffer
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		renderLogsPage(b, h, body, &html, lazy)
	}
	b.ReportMetric(float64(html.Len())/benchLines, "html-bytes/line")
}

// renderLogsPage decodes Loki's answer and writes the lines panel of it
// into html as /logs does: each field a button that narrows the query,
// each line's facts found as it is decoded.
func renderLogsPage(b *testing.B, h *Handler, body []byte, html *bytes.Buffer, lazy bool) {
	html.Reset()
	in := h.rowsIn(views.LogRowsInput{Zone: time.UTC, Query: `{namespace="shop"} | json`, Narrow: true, Lazy: lazy})
	res, err := loki.DecodeQueryResponseWith(body, loki.Backward, views.PrepareLines(in.Deriver))
	if err != nil {
		b.Fatal(err)
	}
	if err := views.LogLinesBody(views.LogLines{Lines: res.Lines, In: in, Count: "5000 lines"}).Render(b.Context(), html); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkLogsPageRatio is the page's target as one figure (benchRatio).
func BenchmarkLogsPageRatio(b *testing.B) {
	body := logsBody(b)
	h := New(Options{})
	b.Cleanup(h.Close)
	var html bytes.Buffer
	benchRatio(b, func() {
		if _, err := loki.DecodeQueryResponse(body); err != nil {
			b.Fatal(err)
		}
	}, func() { renderLogsPage(b, h, body, &html, true) })
}

// BenchmarkDerivedFields is extraction alone with the default rules, over
// lines that carry the ID both in the JSON and as structured metadata.
func BenchmarkDerivedFields(b *testing.B) {
	res, err := loki.DecodeQueryResponse(logsBody(b))
	if err != nil {
		b.Fatal(err)
	}
	d := logline.MustDefaultDeriver()
	var refs []logline.TraceRef
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		for i := range res.Lines {
			refs = d.AppendExtract(refs[:0], &res.Lines[i])
			if len(refs) != 1 {
				b.Fatalf("line %d: %d trace IDs", i, len(refs))
			}
		}
		n += len(res.Lines)
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "lines/s")
}
