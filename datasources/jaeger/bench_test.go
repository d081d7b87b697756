package jaeger

import (
	"encoding/base64"
	"encoding/hex"
	"regexp"
	"testing"
	"time"

	"google.golang.org/protobuf/encoding/protojson"

	"github.com/ariadne-dev/ariadne/datasources/tempo"
	"github.com/ariadne-dev/ariadne/datasources/tempotest"
)

var b64ID = regexp.MustCompile(`"(traceId|spanId|parentSpanId)":"([A-Za-z0-9+/=]+)"`)

// jaegerV3Body is the trace as Jaeger's v3 API sends it: OTLP/JSON, IDs
// in hex, inside {"result": …}.
func jaegerV3Body(b *testing.B, n int) []byte {
	td := tempotest.GenerateTrace(n, 1)
	js, err := protojson.Marshal(td)
	if err != nil {
		b.Fatal(err)
	}
	js = b64ID.ReplaceAllFunc(js, func(m []byte) []byte {
		sub := b64ID.FindSubmatch(m)
		raw, _ := base64.StdEncoding.DecodeString(string(sub[2]))
		return []byte(`"` + string(sub[1]) + `":"` + hex.EncodeToString(raw) + `"`)
	})
	return append(append([]byte(`{"result":`), js...), '}')
}

// Jaeger's JSON against Tempo's protobuf for the same 10,000-span trace,
// both to the same model, in one run: jaeger/tempo is the ratio.
func BenchmarkDecodeTrace10k(b *testing.B) {
	body := jaegerV3Body(b, 10000)
	proto, err := tempotest.EncodeV2Proto(tempotest.GenerateTrace(10000, 1))
	if err != nil {
		b.Fatal(err)
	}
	var jaegerNs, tempoNs time.Duration
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		t0 := time.Now()
		if _, err := DecodeV3Trace(body); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		if _, err := tempo.DecodeTraceV2(proto, "application/protobuf"); err != nil {
			b.Fatal(err)
		}
		jaegerNs += t1.Sub(t0)
		tempoNs += time.Since(t1)
	}
	b.ReportMetric(float64(jaegerNs.Nanoseconds())/float64(b.N), "jaeger-ns/op")
	b.ReportMetric(float64(tempoNs.Nanoseconds())/float64(b.N), "tempo-ns/op")
	b.ReportMetric(float64(jaegerNs)/float64(tempoNs), "jaeger/tempo")
	b.ReportMetric(float64(len(body))/float64(len(proto)), "json/proto-bytes")
}
