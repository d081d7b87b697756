package views

import (
	"io"
	"testing"
	"time"

	"github.com/ariadne-dev/ariadne/correlation/logline"
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
