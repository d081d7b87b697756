package views

import (
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ariadne-dev/ariadne/correlation/logline"
	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/datasources/loki"
	"github.com/ariadne-dev/ariadne/datasources/lokitest"
)

// BenchmarkLogRows is the logs page's rows alone, from decoded lines to
// HTML, as /logs builds them (Lazy, fields narrowing the query), in
// time a line. With -cpu 1 it is one core's cost, the figure the page's
// ratio to the decode (handlers' BenchmarkLogsPageRatio) turns on:
//
//	go test -run '^$' -bench LogRows -cpu 1 -count 5 ./views
func BenchmarkLogRows(b *testing.B) {
	streams := lokitest.SyntheticStreams(5000, 20, time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	res, err := loki.DecodeQueryResponse(lokitest.EncodeStreams(streams, true))
	if err != nil {
		b.Fatal(err)
	}
	in := LogRowsInput{Zone: time.UTC, Query: `{namespace="shop"} | json`, Narrow: true, Lazy: true, Deriver: logline.MustDefaultDeriver()}
	b.ReportAllocs()
	for b.Loop() {
		if err := builtLogRows(res.Lines, in).Render(b.Context(), io.Discard); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(res.Lines)), "ns/line")
}

// BenchmarkPrepareLines is PrepareLines alone, on one core, over a page's
// lines in the batches the decode hands it (loki.PrepareBatch): the work
// the logs page adds to the decode while it runs, in time a line.
//
//	go test -run '^$' -bench PrepareLines -cpu 1 -count 5 ./views
func BenchmarkPrepareLines(b *testing.B) {
	streams := lokitest.SyntheticStreams(5000, 20, time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	res, err := loki.DecodeQueryResponse(lokitest.EncodeStreams(streams, true))
	if err != nil {
		b.Fatal(err)
	}
	// Each stream's lines together, as the decode reads them.
	lines := slices.Clone(res.Lines)
	slices.SortStableFunc(lines, func(a, b datasources.LogLine) int { return strings.Compare(a.Stream, b.Stream) })
	var batches [][]datasources.LogLine
	for lo := 0; lo < len(lines); {
		hi := lo + 1
		for hi < len(lines) && hi-lo < loki.PrepareBatch && lines[hi].Stream == lines[lo].Stream {
			hi++
		}
		batches = append(batches, lines[lo:hi])
		lo = hi
	}
	prepare := PrepareLines(logline.MustDefaultDeriver())
	b.ReportAllocs()
	for b.Loop() {
		for _, batch := range batches {
			prepare(batch)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(res.Lines)), "ns/line")
}
