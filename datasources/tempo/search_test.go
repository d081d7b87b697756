package tempo

import (
	"context"
	"testing"
	"time"

	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/datasources/contracttest"
)

func TestSearchRecordedResponses(t *testing.T) {
	type span struct {
		id, name   string
		start, dur int64
		attrs      string // key=value:type,… in order
	}
	cases := []struct {
		dir, file   string
		traceID     string
		root, name  string
		start, durM int64
		matched     int
		spans       []span
		stats       map[string]ServiceStats
		metrics     SearchMetrics
	}{
		{dir: "real", file: "search-traceql-resource-service.docs.json", traceID: "5b8efff798038103d269b633813fc700",
			root: "my.service", name: "I am a span!", start: 1694718625557000000, durM: 10000, matched: 1,
			spans:   []span{{id: "eee19b7ec3c1b100", start: 1694718625557000000, dur: 10000000000, attrs: "service.name=my.service:0"}},
			metrics: SearchMetrics{InspectedBytes: 292781, CompletedJobs: 1, TotalJobs: 1}},
		{dir: "real", file: "search-traceql-status-error.docs.json", traceID: "2f3e0cee77ae5dc9c17ade3689eb2e54",
			root: "shop-backend", name: "update-billing", start: 1684778327699392724, durM: 557, matched: 1,
			spans:   []span{{id: "563d623c76514f8e", start: 1684778327735077898, dur: 446979497, attrs: "status=error:0"}},
			metrics: SearchMetrics{TotalBlocks: 13}},
		{dir: "real", file: "search-tags-logfmt-minduration.docs.json", traceID: "0000000000000000d6e9329d67b6146a",
			root: "frontend", name: "/cart", start: 1634727903545000000, durM: 611,
			metrics: SearchMetrics{InspectedTraces: 3100, InspectedBytes: 3811736, TotalBlocks: 3}},
		{dir: "handwritten", file: "search-status-error-checkout.json", traceID: checkoutID,
			root: "frontend", name: "GET /checkout", start: 1760000000000000000, durM: 1250, matched: 3,
			spans: []span{
				{"00f067aa0ba902b7", "GET /checkout", 1760000000000000000, 1250000000, "status=error:0"},
				{"53995c3f42cd8ad8", "POST /cart/checkout", 1760000000050000000, 1100000000, "status=error:0"},
				{"a3ce929d0e0e4736", "POST /cart/checkout", 1760000000060000000, 1050000000, "status=error:0"},
			},
			stats:   map[string]ServiceStats{"frontend": {2, 2}, "cart": {2, 1}},
			metrics: SearchMetrics{InspectedTraces: 1, InspectedBytes: 48213, TotalBlocks: 1, CompletedJobs: 2, TotalJobs: 2}},
		{dir: "handwritten", file: "search-service-and-5xx-checkout.json", traceID: checkoutID,
			root: "frontend", name: "GET /checkout", start: 1760000000000000000, durM: 1250, matched: 1,
			spans: []span{{"a3ce929d0e0e4736", "POST /cart/checkout", 1760000000060000000, 1050000000,
				"service.name=cart:0,http.response.status_code=503:2"}},
			stats:   map[string]ServiceStats{"frontend": {2, 2}, "cart": {2, 1}},
			metrics: SearchMetrics{InspectedTraces: 1, InspectedBytes: 48213, TotalBlocks: 1, CompletedJobs: 2, TotalJobs: 2}},
		{dir: "handwritten", file: "search-trace-duration-checkout.json", traceID: checkoutID,
			root: "frontend", name: "GET /checkout", start: 1760000000000000000, durM: 1250, matched: 4,
			spans: []span{
				{"00f067aa0ba902b7", "GET /checkout", 1760000000000000000, 1250000000, ""},
				{"53995c3f42cd8ad8", "POST /cart/checkout", 1760000000050000000, 1100000000, ""},
				{"a3ce929d0e0e4736", "POST /cart/checkout", 1760000000060000000, 1050000000, ""},
			},
			stats:   map[string]ServiceStats{"frontend": {2, 2}, "cart": {2, 1}},
			metrics: SearchMetrics{InspectedTraces: 1, InspectedBytes: 48213, TotalBlocks: 1, CompletedJobs: 2, TotalJobs: 2}},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			c, _ := newFake(t, map[string]reply{"/api/search": jsonReply(contracttest.Read(t, "tempo", tc.dir, tc.file))})
			res, err := c.Search(context.Background(), "{}", time.Time{}, time.Time{}, 0, 0)
			if err != nil {
				t.Fatal(err)
			}
			if res.Metrics != tc.metrics {
				t.Errorf("metrics = %+v, want %+v", res.Metrics, tc.metrics)
			}
			if len(res.Traces) == 0 {
				t.Fatal("no traces decoded")
			}
			tr := res.Traces[0]
			if tr.TraceID != tc.traceID || tr.RootServiceName != tc.root || tr.RootTraceName != tc.name ||
				tr.StartNs != tc.start || tr.DurationMs != tc.durM || tr.Matched != tc.matched {
				t.Errorf("trace = %+v", tr)
			}
			// The deprecated spanSet duplicates spanSets[0]: it must not count twice.
			if len(tc.spans) > 0 && len(tr.SpanSets) != 1 {
				t.Fatalf("got %d span sets, want 1", len(tr.SpanSets))
			}
			var got []span
			if len(tr.SpanSets) > 0 {
				for _, s := range tr.SpanSets[0].Spans {
					got = append(got, span{s.SpanID, s.Name, s.StartNs, s.DurationNs, attrString(s.Attributes)})
				}
			}
			if len(got) != len(tc.spans) {
				t.Fatalf("spans = %+v, want %+v", got, tc.spans)
			}
			for i := range got {
				if got[i] != tc.spans[i] {
					t.Errorf("span %d = %+v, want %+v", i, got[i], tc.spans[i])
				}
			}
			if len(tr.ServiceStats) != len(tc.stats) {
				t.Errorf("service stats = %v, want %v", tr.ServiceStats, tc.stats)
			}
			for k, v := range tc.stats {
				if tr.ServiceStats[k] != v {
					t.Errorf("service stats[%s] = %+v, want %+v", k, tr.ServiceStats[k], v)
				}
			}
		})
	}
}

func attrString(attrs []datasources.Attribute) string {
	var b []byte
	for i, a := range attrs {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, a.Key+"="+a.Value+":"...)
		b = append(b, byte('0'+a.Type))
	}
	return string(b)
}

func TestSearchLegacyTraceIDsArePadded(t *testing.T) {
	c, _ := newFake(t, map[string]reply{"/api/search": jsonReply(contracttest.Read(t, "tempo", "real", "search-tags-logfmt-minduration.docs.json"))})
	res, err := c.Search(context.Background(), "{}", time.Time{}, time.Time{}, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Traces) != 2 || res.Traces[1].TraceID != "00000000000000001b1ba462b409200d" || res.Traces[1].SpanSets != nil {
		t.Errorf("traces = %+v", res.Traces)
	}
}

func TestSearchRequestAndEmpty(t *testing.T) {
	c, f := newFake(t, map[string]reply{"/api/search": jsonReply(contracttest.Read(t, "tempo", "handwritten", "search-empty.json"))})
	q := `{ resource.service.name = "cart" && span.http.response.status_code >= 500 }`
	res, err := c.Search(context.Background(), q, time.Unix(1760000000, 0), time.Unix(1760003600, 0), 50, 5)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Traces) != 0 || res.Traces == nil || res.Metrics.CompletedJobs != 1 {
		t.Errorf("empty search = %+v, want no traces and completedJobs 1", res)
	}
	got := f.last(t).URL.Query()
	for k, v := range map[string]string{"q": q, "start": "1760000000", "end": "1760003600", "limit": "50", "spss": "5"} {
		if got.Get(k) != v {
			t.Errorf("param %s = %q, want %q", k, got.Get(k), v)
		}
	}
}

func TestSearchBadTraceQLKeepsTempoMessage(t *testing.T) {
	const msg = "invalid TraceQL query: parse error at line 1, col 1: syntax error: unexpected IDENTIFIER"
	c, _ := newFake(t, map[string]reply{"/api/search": {status: 400, body: []byte(msg)}})
	_, err := c.Search(context.Background(), "foo", time.Time{}, time.Time{}, 0, 0)
	if e := wantKind(t, err, datasources.ErrorBadQuery, ""); e.Message != msg || e.Status != 400 {
		t.Errorf("message = %q status %d, want Tempo's text verbatim", e.Message, e.Status)
	}
}
