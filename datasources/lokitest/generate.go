package lokitest

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"
)

// Stream is a label set and its entries, for EncodeStreams.
type Stream struct {
	Labels  map[string]string
	Entries []Entry
}

// EncodeStreams renders a query_range answer holding streams as Loki ≥ 3
// does, entries in the order given. With categorized, Metadata is sent as
// structuredMetadata and the encodingFlags are set; without it Metadata is
// folded into the stream labels as Loki does for old clients (one answer
// stream per distinct label set). Benchmarks of decoders use it.
func EncodeStreams(streams []Stream, categorized bool) []byte {
	var out []outStream
	byKey := map[string]int{}
	for _, s := range streams {
		base := sortedLabels(s.Labels)
		for _, e := range s.Entries {
			oe := outEntry{ts: e.Time.UnixNano(), line: e.Line, stream: base}
			if len(e.Metadata) > 0 {
				if categorized {
					oe.meta = sortedLabels(e.Metadata)
				} else {
					all := map[string]string{}
					for k, v := range s.Labels {
						all[k] = v
					}
					for k, v := range e.Metadata {
						all[k] = v
					}
					oe.stream = sortedLabels(all)
				}
			}
			key := labelsKey(oe.stream)
			i, ok := byKey[key]
			if !ok {
				i = len(out)
				byKey[key] = i
				out = append(out, outStream{key: key, labels: oe.stream})
			}
			out[i].entries = append(out[i].entries, oe)
		}
	}
	var st queryStats
	for _, s := range out {
		for _, e := range s.entries {
			st.lines++
			st.bytes += int64(len(e.line))
		}
	}
	st.postFilter = st.lines
	return appendStreams(nil, out, categorized, st, 0.0125)
}

// SyntheticStreams makes n JSON log lines of about 200 bytes over k
// streams (services × pods), one millisecond apart and ending at end,
// each stream newest first as in a backward answer. Every line carries
// trace_id and span_id as structured metadata. The output is the same for
// the same arguments.
func SyntheticStreams(n, k int, end time.Time) []Stream {
	rng := rand.New(rand.NewPCG(uint64(n), uint64(k)))
	services := []string{"checkout", "payment", "frontend", "cart", "shipping"}
	levels := []string{"info", "info", "info", "debug", "warn", "error"}
	paths := []string{"/api/cart", "/api/checkout", "/api/orders/8812", "/healthz", "/api/payment/authorize"}
	streams := make([]Stream, k)
	for i := range streams {
		streams[i].Labels = map[string]string{
			"service_name": services[i%len(services)],
			"namespace":    "shop",
			"pod":          fmt.Sprintf("%s-%d-7d9f8c", services[i%len(services)], i),
		}
	}
	for i := range n {
		s := &streams[i%k]
		ts := end.Add(-time.Duration(i) * time.Millisecond)
		trace := fmt.Sprintf("%016x%016x", rng.Uint64(), rng.Uint64())
		span := fmt.Sprintf("%016x", rng.Uint64())
		line := fmt.Sprintf(`{"ts":%q,"level":%q,"msg":"request handled","method":"GET","path":%q,"status":%d,"duration_ms":%d,"trace_id":%q,"user":"u-%04d"}`,
			ts.UTC().Format(time.RFC3339Nano), levels[rng.IntN(len(levels))], paths[rng.IntN(len(paths))],
			[]int{200, 200, 201, 404, 500}[rng.IntN(5)], rng.IntN(900), trace, rng.IntN(10000))
		s.Entries = append(s.Entries, Entry{Time: ts, Line: line, Metadata: map[string]string{"trace_id": trace, "span_id": span}})
	}
	for i := range streams {
		slices.SortStableFunc(streams[i].Entries, func(a, b Entry) int { return b.Time.Compare(a.Time) })
	}
	return streams
}
