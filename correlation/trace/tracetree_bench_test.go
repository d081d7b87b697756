package trace

import (
	"os"
	"strconv"
	"testing"

	"github.com/ariadne-dev/ariadne/datasources"
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
		tr := generatedTrace(b, n)
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				BuildTree(tr, false)
			}
		})
	}
}

// BenchmarkFind searches every span of the generated traces for a text
// none has: every field of every span read (a huge trace's attributes
// decoded from the body as they are read).
func BenchmarkFind(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		tree := BuildTree(generatedTrace(b, n), false)
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if f := Find(tree, "no-such-text", 100); f.Total != 0 {
					b.Fatal(f.Total)
				}
			}
		})
	}
}

// generatedTrace is a generated trace of n spans as Tempo's protobuf
// decodes it.
func generatedTrace(b *testing.B, n int) *datasources.Trace {
	b.Helper()
	body, err := tempotest.EncodeV2Proto(tempotest.GenerateTrace(n, 42))
	if err != nil {
		b.Fatal(err)
	}
	tr, err := tempo.DecodeTraceV2(body, "application/protobuf")
	if err != nil {
		b.Fatal(err)
	}
	return tr
}
