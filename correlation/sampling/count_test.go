package sampling

import (
	"testing"

	"github.com/ariadne-dev/ariadne/datasources"
)

func TestCountRequests(t *testing.T) {
	head := func(p string) Decision { d, _ := FromJaegerTags("probabilistic", p); return d }
	rate, _ := FromJaegerTags("ratelimiting", "2")
	lower, _ := FromJaegerTags("lowerbound", "0.05")
	th, _ := ParseThreshold("f") // 1/16
	tail := Decision{Policy: "errors"}
	many := func(n int, d Decision) []Decision {
		out := make([]Decision, n)
		for i := range out {
			out[i] = d
		}
		return out
	}
	cases := []struct {
		name     string
		ds       []Decision
		known    int
		requests float64
		text     string
	}{
		{"none", nil, 0, 0, ""},
		{"the issue's example: 62 traces at 5%", many(62, head("0.05")), 62, 1240, "62 traces ≈ 1,240 requests"},
		{"tracestate thresholds", many(3, FromThreshold(th)), 3, 48, "3 traces ≈ 48 requests"},
		{"mixed probabilities add up", []Decision{head("0.5"), head("0.1"), head("1")}, 3, 13, "3 traces ≈ 13 requests"},
		{"one trace kept at 100%", []Decision{head("1")}, 1, 1, "1 trace = 1 request"},
		{"nothing recorded", many(4, Decision{}), 0, 0, "4 traces (request count unknown: no sampling recorded)"},
		{"rate limited", many(2, rate), 0, 0, "2 traces (request count unknown: rate limiting)"},
		{"tail sampling records no probability", many(5, tail), 0, 0, "5 traces (request count unknown: tail sampling, which records no probability)"},
		{"some known, reasons by count", append(append(many(10, head("0.1")), many(2, lower)...), Decision{}, lower), 10, 100,
			"14 traces: 10 of them ≈ 100 requests; request count unknown for the other 4 (adaptive sampling's lower bound: 3, no sampling recorded: 1)"},
		{"thousands of traces", many(1500, head("0.5")), 1500, 3000, "1,500 traces ≈ 3,000 requests"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := CountRequests(tc.ds)
			if c.Traces != len(tc.ds) || c.Known != tc.known || c.Requests != tc.requests {
				t.Errorf("CountRequests = %d traces, %d known, %g requests; want %d, %d, %g", c.Traces, c.Known, c.Requests, len(tc.ds), tc.known, tc.requests)
			}
			if got := c.Text(); got != tc.text {
				t.Errorf("Text = %q\nwant   %q", got, tc.text)
			}
		})
	}
}

// A search result's summary keeps what OfTrace needs: the root's sampler
// tags, and a child's threshold when the root has none.
func TestOfTraceFromSearchSummary(t *testing.T) {
	root := datasources.Span{SpanID: "a1", StartNs: 1, Attrs: []datasources.Attribute{{Key: TagSamplerType, Value: "probabilistic"}, {Key: TagSamplerParam, Value: "0.2"}},
		Details: &datasources.SpanDetails{Events: []datasources.SpanEvent{{Name: "big"}}}}
	child := datasources.Span{SpanID: "b2", ParentSpanID: "a1", StartNs: 2, Details: &datasources.SpanDetails{TraceState: "ot=th:c"}}
	other := datasources.Span{SpanID: "c3", ParentSpanID: "a1", StartNs: 3, Details: &datasources.SpanDetails{TraceState: "ot=th:8"}}
	cases := []struct {
		name  string
		spans []datasources.Span
		want  float64
	}{
		{"root's sampler tags", []datasources.Span{root}, 5},
		{"a child's threshold wins over tags, the first one", []datasources.Span{other, root, child}, 2},
		{"nothing", []datasources.Span{{SpanID: "a1"}}, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tr := &datasources.Trace{ID: "t", Spans: tc.spans}
			sum := tr.Summary()
			if len(sum.Sampling) == 0 || len(sum.Sampling[0].Events()) != 0 {
				t.Fatalf("Sampling = %+v: want the root first, without events", sum.Sampling)
			}
			full, slim := OfTrace(tr), OfTrace(&datasources.Trace{Spans: sum.Sampling})
			if full != slim || slim.AdjustedCount != tc.want {
				t.Errorf("from the summary %+v, from the trace %+v; want an adjusted count of %g", slim, full, tc.want)
			}
		})
	}
}

func TestRequestCountAddUnknown(t *testing.T) {
	d, _ := FromJaegerTags("probabilistic", "0.5")
	c := CountRequests([]Decision{d, d})
	c.AddUnknown("the search answer does not say", 3)
	c.AddUnknown("ignored", 0)
	if got, want := c.Text(), "5 traces: 2 of them ≈ 4 requests; request count unknown for the other 3 (the search answer does not say)"; got != want {
		t.Errorf("Text = %q, want %q", got, want)
	}
}
