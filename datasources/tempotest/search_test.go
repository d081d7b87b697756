package tempotest_test

import (
	"context"
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/datasources/contracttest"
	"github.com/ariadne-dev/ariadne/datasources/tempotest"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	resourcepb "go.opentelemetry.io/proto/otlp/resource/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
)

// legacyTrace uses the old HTTP semantic conventions (http.status_code,
// http.method) from a service whose name starts with "test-".
func legacyTrace() *tracepb.TracesData {
	id := []byte{0xab, 0xcd, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14}
	str := func(k, v string) *commonpb.KeyValue {
		return &commonpb.KeyValue{Key: k, Value: &commonpb.AnyValue{Value: &commonpb.AnyValue_StringValue{StringValue: v}}}
	}
	num := func(k string, v int64) *commonpb.KeyValue {
		return &commonpb.KeyValue{Key: k, Value: &commonpb.AnyValue{Value: &commonpb.AnyValue_IntValue{IntValue: v}}}
	}
	const t0 = 1750000000 * 1e9
	return &tracepb.TracesData{ResourceSpans: []*tracepb.ResourceSpans{{
		Resource: &resourcepb.Resource{Attributes: []*commonpb.KeyValue{str("service.name", "test-api")}},
		ScopeSpans: []*tracepb.ScopeSpans{{Spans: []*tracepb.Span{
			{TraceId: id, SpanId: []byte{0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11}, Name: "POST /legacy",
				Kind: tracepb.Span_SPAN_KIND_SERVER, StartTimeUnixNano: t0, EndTimeUnixNano: t0 + 300e6,
				Status:     &tracepb.Status{Code: tracepb.Status_STATUS_CODE_ERROR},
				Attributes: []*commonpb.KeyValue{num("http.status_code", 502), str("http.method", "POST")}},
			{TraceId: id, SpanId: []byte{0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22}, Name: "GET /dep",
				ParentSpanId: []byte{0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11},
				Kind:         tracepb.Span_SPAN_KIND_CLIENT, StartTimeUnixNano: t0 + 10e6, EndTimeUnixNano: t0 + 20e6,
				Attributes: []*commonpb.KeyValue{num("http.status_code", 200), str("http.method", "GET")}},
		}}},
	}}}
}

// Span IDs of the two traces, for readable expectations.
const (
	c0 = "00f067aa0ba902b7" // frontend GET /checkout, server, error, 1.25s, root
	c1 = "53995c3f42cd8ad8" // frontend client, error, 1.1s
	c2 = "a3ce929d0e0e4736" // cart server, error, 1.05s, exception event
	c3 = "9d0e0e4736b34da6" // cart db client, unset, 20ms, db.system
	l0 = "1111111111111111" // test-api POST /legacy, server, error, http.status_code 502
	l1 = "2222222222222222" // test-api client, http.status_code 200
)

// TestTraceQLExamples runs every query of traceql-examples.json. Each one
// with an expectation must select exactly those spans; the others (all
// non-essential) must be refused with 400, never evaluated wrongly.
func TestTraceQLExamples(t *testing.T) {
	all := []string{c0, c1, c2, c3, l0, l1}
	checkout := []string{c0, c1, c2, c3}
	want := map[string][]string{
		`{}`:                                        all,
		`{ resource.service.name = "frontend" }`:    {c0, c1},
		`{ .service.name = "frontend" }`:            {c0, c1},
		`{ trace:rootService = "frontend" }`:        checkout,
		`{ rootServiceName = "frontend" }`:          checkout,
		`{ trace:duration > 1s }`:                   checkout,
		`{ duration > 1s }`:                         {c0, c1, c2},
		`{ span:duration > 1s }`:                    {c0, c1, c2},
		`{ traceDuration > 1s }`:                    checkout,
		`{ status = error }`:                        {c0, c1, c2, l0},
		`{ span:status = error }`:                   {c0, c1, c2, l0},
		`{ status != ok }`:                          all,
		`{ span.http.status_code >= 500 }`:          {l0},
		`{ span.http.response.status_code >= 500 }`: {c0, c1, c2},
		`{ span.http.status_code >= 500 && span.http.status_code < 600 }`:              {l0},
		`{ resource.service.name = "frontend" && status = error }`:                     {c0, c1},
		`{ resource.service.name = "frontend" && span.http.status_code >= 500 }`:       nil,
		`{ name = "GET /checkout" }`:                                                   {c0},
		`{ span:name = "GET /checkout" }`:                                              {c0},
		`{ kind = server }`:                                                            {c0, c2, l0},
		`{ span.http.method =~ "GET|POST" }`:                                           {l0, l1},
		`{ resource.service.name !~ "test-.*" }`:                                       checkout,
		`{ span.db.system != nil }`:                                                    {c3},
		`{ resource.service.name = "frontend" } && { resource.service.name = "cart" }`: checkout,
		`{ status = error } || { span:duration > 2s }`:                                 {c0, c1, c2, l0},
		`{ resource.service.name = "frontend" } >> { status = error }`:                 {c1, c2},
		`{ resource.service.name = "frontend" } > { resource.service.name = "cart" }`:  {c2},
		`{ trace:id = "4bf92f3577b34da6a3ce929d0e0e47" }`:                              checkout,
		`{ event.exception.message =~ ".*timeout.*" }`:                                 {c2},
	}
	srv, c := withCheckout(t)
	srv.Ingest(legacyTrace())
	var doc struct {
		Queries []struct {
			Q         string
			Essential bool
		}
	}
	if err := json.Unmarshal(contracttest.Read(t, "tempo", "traceql-examples.json"), &doc); err != nil {
		t.Fatal(err)
	}
	for _, ex := range doc.Queries {
		t.Run(ex.Q, func(t *testing.T) {
			res, err := c.Search(context.Background(), ex.Q, time.Time{}, time.Time{}, 0, 100)
			spans, ok := want[ex.Q]
			if !ok {
				if ex.Essential {
					t.Fatal("an essential query has no expectation")
				}
				if datasources.ErrorKindOf(err) != datasources.ErrorBadQuery {
					t.Errorf("unsupported query: err = %v, want a 400 bad query", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			matched := 0
			for _, tr := range res.Traces {
				for _, set := range tr.SpanSets {
					matched += set.Matched
					for _, s := range set.Spans {
						got = append(got, s.SpanID)
					}
				}
			}
			slices.Sort(got)
			w := slices.Clone(spans)
			slices.Sort(w)
			if !slices.Equal(got, w) || matched != len(w) {
				t.Errorf("matched %d spans %v, want %v", matched, got, w)
			}
		})
	}
}

// The hand-written search answers are what Tempo gives for the checkout
// trace; tempotest must give the same traces (metrics differ by nature).
func TestSearchAnswersMatchContract(t *testing.T) {
	srv, _ := withCheckout(t)
	cases := []struct{ q, spss, file string }{
		{`{ status = error }`, "3", "search-status-error-checkout.json"},
		{`{ resource.service.name = "cart" && span.http.response.status_code >= 500 }`, "", "search-service-and-5xx-checkout.json"},
		{`{ trace:duration > 1s }`, "", "search-trace-duration-checkout.json"},
		{`{ name = "no such span" }`, "", "search-empty.json"},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			v := url.Values{"q": {tc.q}}
			if tc.spss != "" {
				v.Set("spss", tc.spss)
			}
			status, ct, body := get(t, srv.URL+"/api/search?"+v.Encode(), "")
			if status != 200 || ct != "application/json" {
				t.Fatalf("%d %s %s", status, ct, body)
			}
			want := contracttest.Read(t, "tempo", "handwritten", tc.file)
			sameJSON(t, "traces", field(t, body, "traces"), field(t, want, "traces"))
		})
	}
}

func TestSearchRejectsLikeTempo(t *testing.T) {
	srv, _ := withCheckout(t)
	cases := []struct{ params, body string }{
		{"q=foo", "invalid TraceQL query: parse error at line 1, col 1: syntax error: unexpected IDENTIFIER"},
		{"q=" + url.QueryEscape("{. a}"), "invalid TraceQL query: parse error at line 1, col 2: syntax error: unexpected END_ATTRIBUTE, expecting IDENTIFIER"},
		{"q=" + url.QueryEscape("{ status = error"), "invalid TraceQL query: parse error at line 1, col 17: syntax error: unexpected $end, expecting CLOSE_BRACE"},
		{"q=" + url.QueryEscape("{\n  name = }"), "invalid TraceQL query: parse error at line 2, col 10: syntax error: unexpected CLOSE_BRACE"},
		{"q=" + url.QueryEscape(`{ span.a =~ "(" }`), "invalid TraceQL query: parse error at line 1, col 13: invalid regular expression: error parsing regexp: missing closing ): `^(?:()$`"},
		{"q=" + url.QueryEscape("{}") + "&tags=a%3Db", "invalid request: can't specify tags and q in the same query"},
		{"q=%7B%7D&start=20&end=10", "http parameter start must be before end. received start=20 end=10"},
		{"q=%7B%7D&spss=500", "spans per span set exceeds 100. received 500"},
		{"q=%7B%7D&start=1760000000&end=1760700000", "range specified by start and end exceeds 168h0m0s. received start=1760000000 end=1760700000"},
		{"q=%7B%7D&start=1760000000000000000", `invalid start: strconv.ParseUint: parsing "1760000000000000000": value out of range`},
	}
	for _, tc := range cases {
		status, _, body := get(t, srv.URL+"/api/search?"+tc.params, "")
		if status != 400 || string(body) != tc.body {
			t.Errorf("%s: %d %q, want 400 %q", tc.params, status, body, tc.body)
		}
	}
}

func TestSearchOrderLimitWindowAndLegacyTags(t *testing.T) {
	srv := tempotest.NewTestServer(t)
	for seed := int64(1); seed <= 5; seed++ {
		srv.Ingest(tempotest.GenerateTrace(5, seed)) // starts at 1760000000+seed s
	}
	c := client(t, srv.URL, "")
	res, err := c.Search(context.Background(), "{}", time.Time{}, time.Time{}, 3, 0)
	if err != nil {
		t.Fatal(err)
	}
	var starts []int64
	for _, tr := range res.Traces {
		starts = append(starts, tr.StartNs/1e9)
		if tr.RootServiceName != "frontend" || tr.RootTraceName == "" || tr.SpanSets[0].Matched != 5 || len(tr.SpanSets[0].Spans) != 3 {
			t.Errorf("trace %+v", tr)
		}
	}
	if !slices.Equal(starts, []int64{1760000005, 1760000004, 1760000003}) || res.Metrics.InspectedTraces != 5 {
		t.Errorf("starts %v (inspected %d), want the newest three, newest first, of 5", starts, res.Metrics.InspectedTraces)
	}
	res, err = c.Search(context.Background(), "{}", time.Unix(1760000004, 0), time.Unix(1760000004, 0), 0, 0)
	if err != nil || len(res.Traces) != 1 || res.Traces[0].StartNs/1e9 != 1760000004 {
		t.Errorf("window [4s,4s]: %v %+v", err, res)
	}

	srv.Ingest(legacyTrace())
	_, _, body := get(t, srv.URL+"/api/search?tags="+url.QueryEscape("service.name=test-api http.method=GET")+"&minDuration=200ms", "")
	var legacy struct {
		Traces []map[string]any
	}
	json.Unmarshal(body, &legacy)
	if len(legacy.Traces) != 1 || legacy.Traces[0]["traceID"] != "abcd0102030405060708090a0b0c0d0e" || legacy.Traces[0]["spanSets"] != nil {
		t.Errorf("legacy tag search: %s", body)
	}
}

func TestSearchWithoutRootSpan(t *testing.T) {
	srv := tempotest.NewTestServer(t)
	td := legacyTrace()
	spans := td.ResourceSpans[0].ScopeSpans[0].Spans
	td.ResourceSpans[0].ScopeSpans[0].Spans = spans[1:] // the child only
	srv.Ingest(td)
	res, err := client(t, srv.URL, "").Search(context.Background(), "{}", time.Time{}, time.Time{}, 0, 0)
	if err != nil || len(res.Traces) != 1 || res.Traces[0].RootServiceName != "<root span not yet received>" {
		t.Errorf("%v %+v", err, res)
	}
	if !strings.HasPrefix(res.Traces[0].TraceID, "abcd") {
		t.Errorf("trace ID %s", res.Traces[0].TraceID)
	}
}
