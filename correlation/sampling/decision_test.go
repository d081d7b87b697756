package sampling

import (
	"testing"

	"github.com/ariadne-dev/ariadne/datasources"
)

func TestFromJaegerTags(t *testing.T) {
	cases := []struct {
		typ, param string
		ok         bool
		summary    string
		adjusted   float64
	}{
		{"probabilistic", "0.05", true, "head sampling at 5% — this trace stands for ≈ 20 requests", 20},
		{"probabilistic", "0.001", true, "head sampling at 0.1% — this trace stands for ≈ 1,000 requests", 1000},
		{"probabilistic", "1", true, "head sampling at 100% — this trace stands for 1 request", 1},
		{"probabilistic", "0", false, "", 0},
		{"probabilistic", "1.5", false, "", 0},
		{"ratelimiting", "2", true, "rate limiting at 2 traces per second — how many requests it stands for is not recorded", 0},
		{"const", "1", true, "always sampled at 100% — this trace stands for 1 request", 1},
		{"const", "0", true, "const sampler off — how many requests it stands for is not recorded", 0},
		{"lowerbound", "0.001", true, "adaptive sampling's lower bound — how many requests it stands for is not recorded", 0},
		{"probabilistic", "x", false, "", 0},
		{"remote", "0.5", false, "", 0},
		{"probabilistic", "NaN", false, "", 0},
	}
	for _, c := range cases {
		d, ok := FromJaegerTags(c.typ, c.param)
		if ok != c.ok {
			t.Errorf("%s %s: ok %v", c.typ, c.param, ok)
			continue
		}
		if !ok {
			continue
		}
		if d.Summary() != c.summary || !near(d.AdjustedCount, c.adjusted) {
			t.Errorf("%s %s:\n got %q (%v)\nwant %q (%v)", c.typ, c.param, d.Summary(), d.AdjustedCount, c.summary, c.adjusted)
		}
	}
}

func TestFormatting(t *testing.T) {
	for in, want := range map[float64]string{0.05: "5%", 1.0 / 3: "33.3%", 0.0001: "0.01%", 0.009999990463256836: "1%", 0.125: "12.5%"} {
		if got := Percent(in); got != want {
			t.Errorf("Percent(%v) = %s, want %s", in, got, want)
		}
	}
	for in, want := range map[float64]string{1: "1 request", 3.0007: "≈ 3 requests", 1.5: "≈ 1.5 requests", 20: "≈ 20 requests",
		100.05: "≈ 100 requests", 1240: "≈ 1,240 requests", 999992.4: "≈ 999,992 requests"} {
		if got := Requests(in); got != want {
			t.Errorf("Requests(%v) = %s, want %s", in, got, want)
		}
	}
}

func span(id, parent string, start int64, ts string, attrs ...string) datasources.Span {
	s := datasources.Span{SpanID: id, ParentSpanID: parent, StartNs: start, Details: datasources.NewSpanDetails(datasources.SpanDetails{TraceState: ts}), Resource: &datasources.Resource{}}
	for i := 0; i+1 < len(attrs); i += 2 {
		s.Attrs = append(s.Attributes(), datasources.Attribute{Key: attrs[i], Value: attrs[i+1]})
	}
	return s
}

func TestOfTrace(t *testing.T) {
	cases := []struct {
		name  string
		spans []datasources.Span
		want  string
	}{
		{"nothing says", []datasources.Span{span("a", "", 1, ""), span("b", "a", 2, "")}, "unknown"},
		{"root's threshold", []datasources.Span{span("b", "a", 2, "ot=th:8"), span("a", "", 1, "ot=th:f333")},
			"head sampling at 5% — this trace stands for ≈ 20 requests"},
		{"a child's threshold when the root has none", []datasources.Span{span("a", "", 1, "vendor=x"), span("b", "a", 2, "ot=th:c")},
			"head sampling at 25% — this trace stands for ≈ 4 requests"},
		{"a root whose parent is missing", []datasources.Span{span("b", "gone", 1, "ot=th:8"), span("c", "b", 0, "")},
			"head sampling at 50% — this trace stands for ≈ 2 requests"},
		{"Jaeger's tags", []datasources.Span{span("a", "", 1, "", "sampler.type", "probabilistic", "sampler.param", "0.1")},
			"head sampling at 10% — this trace stands for ≈ 10 requests"},
		{"the OpenTelemetry remote sampler's names", []datasources.Span{span("a", "", 1, "", "jaeger.sampler.type", "ratelimiting", "jaeger.sampler.param", "2")},
			"rate limiting at 2 traces per second — how many requests it stands for is not recorded"},
		{"tracestate wins over tags", []datasources.Span{span("a", "", 1, "ot=th:0", "sampler.type", "probabilistic", "sampler.param", "0.1")},
			"head sampling at 100% — this trace stands for 1 request"},
		{"a tail policy", []datasources.Span{span("a", "", 1, ""), span("b", "a", 2, "", "tailsampling.policy", "errors")},
			"tail sampling kept it by policy “errors”"},
		{"head and tail", []datasources.Span{span("a", "", 1, "ot=th:8", "tailsampling.policy", "slow")},
			"head sampling at 50% — this trace stands for ≈ 2 requests; tail sampling kept it by policy “slow”"},
		{"a tail policy on the scope", []datasources.Span{{SpanID: "a", StartNs: 1, Resource: &datasources.Resource{},
			ScopeAttributes: []datasources.Attribute{{Key: "tailsampling.policy", Value: "share-of-the-rest"}}}},
			"tail sampling kept it by policy “share-of-the-rest”"},
		{"a tag sent twice is read at its first", []datasources.Span{span("a", "", 1, "", "sampler.type", "probabilistic", "sampler.param", "0.1",
			"sampler.param", "0.5", "tailsampling.policy", "errors", "tailsampling.policy", "slow")},
			"head sampling at 10% — this trace stands for ≈ 10 requests; tail sampling kept it by policy “errors”"},
		{"a bad threshold is no threshold", []datasources.Span{span("a", "", 1, "ot=th:zz")}, "unknown"},
	}
	for _, c := range cases {
		if got := OfTrace(&datasources.Trace{Spans: c.spans}).Summary(); got != c.want {
			t.Errorf("%s:\n got %q\nwant %q", c.name, got, c.want)
		}
		// As decoded from Tempo's protobuf, with the trace's keys known:
		// the same answer, whether or not a span is read.
		keys := map[string]bool{}
		for _, s := range c.spans {
			for _, a := range s.Attrs {
				keys[a.Key] = true
			}
		}
		if got := OfTrace(&datasources.Trace{Spans: c.spans, AttributeKeys: keys}).Summary(); got != c.want {
			t.Errorf("%s, keys known:\n got %q\nwant %q", c.name, got, c.want)
		}
	}
	// Keys that rule the tags out are believed: the spans are not read.
	tagged := []datasources.Span{span("a", "", 1, "", "sampler.type", "probabilistic", "sampler.param", "0.1")}
	if d := OfTrace(&datasources.Trace{Spans: tagged, AttributeKeys: map[string]bool{"http.route": true}}); d.Known() {
		t.Errorf("read the spans of a trace whose keys have no sampling tag: %s", d.Summary())
	}
	if OfTrace(nil).Known() || OfTrace(&datasources.Trace{}).Known() {
		t.Error("an empty trace is unknown")
	}
}
