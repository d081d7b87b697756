package trace

import (
	"os"
	"strconv"
	"testing"

	"github.com/ariadne-dev/ariadne/datasources/tempo"
	"github.com/ariadne-dev/ariadne/datasources/tempotest"
)

// BenchmarkBuildTree arranges generated traces (the shape of the trace
// page's benchmark) as the trace page does, decode excluded:
//
//	go test -run '^$' -bench BuildTree -benchmem ./correlation/trace
//
// ARIADNE_BENCH_1M=1 adds a million spans.
func BenchmarkBuildTree(b *testing.B) {
	sizes := []int{10_000, 100_000}
	if os.Getenv("ARIADNE_BENCH_1M") != "" {
		sizes = append(sizes, 1_000_000)
	}
	for _, n := range sizes {
		body, err := tempotest.EncodeV2Proto(tempotest.GenerateTrace(n, 42))
		if err != nil {
			b.Fatal(err)
		}
		tr, err := tempo.DecodeTraceV2(body, "application/protobuf")
		if err != nil {
			b.Fatal(err)
		}
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				BuildTree(tr, false)
			}
		})
	}
}
