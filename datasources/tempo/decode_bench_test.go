package tempo_test

import (
	"sync"
	"testing"

	"github.com/ariadne-dev/ariadne/datasources/tempo"
	"github.com/ariadne-dev/ariadne/datasources/tempotest"
)

// Bodies are generated once per size: generation is not what is measured.
var (
	bodyMu sync.Mutex
	bodies = map[string][]byte{}
)

func body(b *testing.B, format string, spans int) []byte {
	b.Helper()
	bodyMu.Lock()
	defer bodyMu.Unlock()
	key := format + string(rune(spans))
	if v, ok := bodies[key]; ok {
		return v
	}
	td := tempotest.GenerateTrace(spans, 42)
	enc := tempotest.EncodeV2Proto
	if format == "json" {
		enc = tempotest.EncodeV2JSON
	}
	v, err := enc(td)
	if err != nil {
		b.Fatal(err)
	}
	bodies[key] = v
	return v
}

func benchDecode(b *testing.B, format string, spans int) {
	raw := body(b, format, spans)
	ct := "application/protobuf"
	if format == "json" {
		ct = "application/json"
	}
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		tr, err := tempo.DecodeTraceV2(raw, ct)
		if err != nil || len(tr.Spans) != spans {
			b.Fatalf("decoded %v spans, err %v", len(tr.Spans), err)
		}
	}
}

func BenchmarkDecodeTraceProto1k(b *testing.B)   { benchDecode(b, "proto", 1_000) }
func BenchmarkDecodeTraceProto10k(b *testing.B)  { benchDecode(b, "proto", 10_000) }
func BenchmarkDecodeTraceProto100k(b *testing.B) { benchDecode(b, "proto", 100_000) }
func BenchmarkDecodeTraceJSON10k(b *testing.B)   { benchDecode(b, "json", 10_000) }
