package zipkin_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/ariadne-dev/ariadne/datasources/zipkin"
	"github.com/ariadne-dev/ariadne/datasources/zipkintest"
)

// BenchmarkDecodeTrace10k decodes a 10,000-span /api/v2/trace body, shared
// RPC halves included, from its raw bytes. The baseline, measured in the
// same run, is encoding/json alone unmarshalling the same bytes into the
// wire struct: decode/unmarshal is what the model's passes and conversion
// cost on top of reading JSON at all.
func BenchmarkDecodeTrace10k(b *testing.B) {
	const n = 10_000
	raw, err := json.Marshal(zipkintest.GenerateTrace(n, 42, time.Unix(0, 0).Add(time.Hour)))
	if err != nil {
		b.Fatal(err)
	}
	decode := func() {
		tr, err := zipkin.DecodeTrace(raw)
		if err != nil || len(tr.Spans) != n {
			b.Fatalf("decoded %d spans, err %v", len(tr.Spans), err)
		}
	}
	unmarshal := func() {
		var spans []zipkintest.Span
		if err := json.Unmarshal(raw, &spans); err != nil || len(spans) != n {
			b.Fatalf("unmarshalled %d spans, err %v", len(spans), err)
		}
	}
	baseline := nsPerCall(unmarshal)

	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	b.ResetTimer()
	t0 := time.Now()
	for b.Loop() {
		decode()
	}
	perOp := float64(time.Since(t0).Nanoseconds()) / float64(b.N)
	b.StopTimer()
	b.ReportMetric(baseline, "unmarshal-ns/op")
	b.ReportMetric(perOp/baseline, "decode/unmarshal")
}

// nsPerCall times f over at least a quarter of a second.
func nsPerCall(f func()) float64 {
	f() // warm up
	var calls int
	t0 := time.Now()
	for time.Since(t0) < 250*time.Millisecond {
		f()
		calls++
	}
	return float64(time.Since(t0).Nanoseconds()) / float64(calls)
}
