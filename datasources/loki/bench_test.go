package loki_test

import (
	"testing"
	"time"

	"github.com/ariadne-dev/ariadne/datasources/loki"
	"github.com/ariadne-dev/ariadne/datasources/lokitest"
)

// BenchmarkDecodeStreams5k decodes a query_range answer of 5,000 JSON log
// lines (~200 bytes each) in 10 streams, categorize-labels form with
// trace_id/span_id as structured metadata: one full logs page at Loki's
// default max_entries_limit_per_query.
func BenchmarkDecodeStreams5k(b *testing.B) {
	body := lokitest.EncodeStreams(lokitest.SyntheticStreams(5000, 10, time.Unix(1705316400, 0)), true)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		res, err := loki.DecodeQueryResponse(body)
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Lines) != 5000 {
			b.Fatalf("%d lines", len(res.Lines))
		}
	}
}

func TestSyntheticAnswerDecodes(t *testing.T) {
	end := time.Unix(1705316400, 0)
	body := lokitest.EncodeStreams(lokitest.SyntheticStreams(5000, 10, end), true)
	res, err := loki.DecodeQueryResponse(body)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Categorized || len(res.Lines) != 5000 {
		t.Fatalf("categorized=%v lines=%d", res.Categorized, len(res.Lines))
	}
	first, last := res.Lines[0], res.Lines[4999]
	if first.TimeNs != end.UnixNano() || last.TimeNs != end.Add(-4999*time.Millisecond).UnixNano() {
		t.Errorf("times %d..%d", first.TimeNs, last.TimeNs)
	}
	if len(first.StructuredMetadata["trace_id"]) != 32 || len(first.Labels) != 3 || first.Line[0] != '{' {
		t.Errorf("first line = %+v", first)
	}
	avg := (len(body) - 0) / 5000
	if avg < 200 || avg > 400 {
		t.Errorf("%d bytes per line on the wire; the benchmark wants ~200-byte lines", avg)
	}
	// Streams share one label map.
	if &res.Lines[0].Labels == nil || len(res.Lines[0].Labels) == 0 {
		t.Fatal("no labels")
	}
}
