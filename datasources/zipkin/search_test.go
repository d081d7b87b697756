package zipkin

import (
	"context"
	"net/url"
	"reflect"
	"strconv"
	"testing"
	"time"

	"github.com/ariadne-dev/ariadne/datasources"
)

func TestSearchParams(t *testing.T) {
	now := time.UnixMilli(1_000_000_000_000) // the injected clock; no real date matters
	end := now.Add(-time.Hour)
	cases := []struct {
		name string
		q    datasources.TraceQuery
		want string // url.Values.Encode of the parameters
	}{
		{"nothing: Zipkin's defaults", datasources.TraceQuery{}, ""},
		{"service and span name", datasources.TraceQuery{Service: "orders", Operation: "GET /orders"},
			"serviceName=orders&spanName=GET+%2Forders"},
		{"tags", datasources.TraceQuery{Attributes: []datasources.Attribute{{Key: "http.status_code", Value: "500"}, {Key: "env", Value: "prod"}}},
			"annotationQuery=" + url.QueryEscape("http.status_code=500 and env=prod")},
		{"a tag without a value: has the tag", datasources.TraceQuery{Attributes: []datasources.Attribute{{Key: "retried"}}},
			"annotationQuery=retried"},
		{"errors only", datasources.TraceQuery{ErrorsOnly: true}, "annotationQuery=error"},
		{"tags and errors", datasources.TraceQuery{ErrorsOnly: true, Attributes: []datasources.Attribute{{Key: "env", Value: "prod"}}},
			"annotationQuery=" + url.QueryEscape("env=prod and error")},
		{"durations in microseconds", datasources.TraceQuery{MinDuration: 100 * time.Millisecond, MaxDuration: 2 * time.Second},
			"maxDuration=2000000&minDuration=100000"},
		{"a minimum under a microsecond rounds up", datasources.TraceQuery{MinDuration: 1500 * time.Nanosecond}, "minDuration=2"},
		{"a maximum alone needs a minimum", datasources.TraceQuery{MaxDuration: time.Millisecond}, "maxDuration=1000&minDuration=1"},
		{"start and end", datasources.TraceQuery{Start: end.Add(-30 * time.Minute), End: end},
			"endTs=" + ms(end) + "&lookback=1800000"},
		{"a range ending mid-millisecond covers it", datasources.TraceQuery{Start: end.Add(-time.Second), End: end.Add(time.Microsecond)},
			"endTs=" + itoa(end.UnixMilli()+1) + "&lookback=1001"},
		{"an end alone: Zipkin's default lookback", datasources.TraceQuery{End: end}, "endTs=" + ms(end)},
		{"a start alone ends now", datasources.TraceQuery{Start: now.Add(-time.Hour)}, "endTs=" + ms(now) + "&lookback=3600000"},
		{"limit", datasources.TraceQuery{Limit: 20}, "limit=20"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v, err := searchParams(tc.q, func() time.Time { return now })
			if err != nil {
				t.Fatal(err)
			}
			if got := v.Encode(); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

func TestSearchParamsRefused(t *testing.T) {
	now := time.UnixMilli(1_000_000_000_000)
	tag := func(k, v string) datasources.TraceQuery {
		return datasources.TraceQuery{Attributes: []datasources.Attribute{{Key: k, Value: v}}}
	}
	cases := []struct {
		name string
		q    datasources.TraceQuery
		msg  string
	}{
		{"a value holding the separator", tag("note", "cats and dogs"), `holding " and "`},
		{"a key holding =", tag("a=b", "c"), `name holds "="`},
		{"an empty key", tag(" ", "c"), "needs a tag name"},
		{"spaces Zipkin would trim", tag("env", " prod"), "ignores spaces"},
		{"an end before the start", datasources.TraceQuery{Start: now, End: now.Add(-time.Minute)}, "start is not before its end"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := searchParams(tc.q, func() time.Time { return now })
			wantKind(t, err, datasources.ErrorBadQuery, tc.msg)
		})
	}
}

// TestDecodeSearch summarises testdata/traces.json, a /api/v2/traces answer.
func TestDecodeSearch(t *testing.T) {
	got, err := DecodeSearch([]byte(testdata(t, "traces.json")))
	if err != nil {
		t.Fatal(err)
	}
	want := []datasources.TraceSummary{
		{
			// The root is the span without a parent, though listed second;
			// the shared RPC counts as two spans, as the trace page shows.
			TraceID: "00000000000000005af7183fb1d4cf5f", RootService: "frontend", RootName: "get /",
			StartNs: 1556604172354000 * 1000, Duration: 5 * time.Millisecond, Spans: 3, Errors: 1,
			Services: []string{"backend", "frontend"},
		},
		{
			// Every span has a parent (the root was not reported): the
			// earliest span whose parent is missing is the root.
			TraceID: "4e441824ec2b6a44ffdc9bb9a6453df3", RootService: "orders", RootName: "send order",
			StartNs: 1556604100000000 * 1000, Duration: 3 * time.Millisecond, Spans: 2,
			Services: []string{"mailer", "orders"},
		},
	}
	// Each keeps its root for sampling.OfTrace (datasources' own tests
	// say which spans).
	for i := range got {
		if len(got[i].Sampling) == 0 || got[i].Sampling[0].Name != got[i].RootName {
			t.Errorf("trace %d: sampling spans %+v, want its root first", i, got[i].Sampling)
		}
		got[i].Sampling = nil
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
	if _, err := DecodeSearch([]byte(`[{"traceId":"1"}]`)); err == nil {
		t.Error("a list of spans, not of traces, decoded")
	}
}

func TestSearchSends(t *testing.T) {
	c, f := newFake(t, map[string]reply{"/api/v2/traces": jsonReply(testdata(t, "traces.json"))})
	res, err := c.Search(context.Background(), datasources.TraceQuery{Service: "frontend", ErrorsOnly: true, Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	const sent = "/api/v2/traces?annotationQuery=error&limit=5&serviceName=frontend"
	if res.Sent != sent || f.paths()[0] != sent {
		t.Errorf("Sent %q, asked %v, want %q", res.Sent, f.paths(), sent)
	}
	if len(res.Traces) != 2 {
		t.Errorf("%d traces", len(res.Traces))
	}
}

func ms(t time.Time) string { return itoa(t.UnixMilli()) }

func itoa(v int64) string { return strconv.FormatInt(v, 10) }

func TestSummarizeRoot(t *testing.T) {
	span := func(id, parent, name string, start int64) datasources.Span {
		return datasources.Span{SpanID: id, ParentSpanID: parent, Name: name, StartNs: start, EndNs: start + 10}
	}
	cases := []struct {
		name  string
		spans []datasources.Span
		root  string
	}{
		{"the span without a parent, though not the earliest", []datasources.Span{span("2", "1", "child", 5), span("1", "", "root", 10)}, "root"},
		{"of several, the earliest", []datasources.Span{span("1", "", "late", 20), span("2", "", "early", 10)}, "early"},
		{"no root reported: the earliest orphan", []datasources.Span{span("3", "2", "grandchild", 5), span("2", "9", "orphan", 10)}, "orphan"},
		{"parents in a loop: the earliest", []datasources.Span{span("1", "2", "b", 20), span("2", "1", "a", 10)}, "a"},
	}
	for _, tc := range cases {
		tr := &datasources.Trace{ID: "t", Spans: tc.spans}
		if got := tr.Summary().RootName; got != tc.root {
			t.Errorf("%s: root %q, want %q", tc.name, got, tc.root)
		}
	}
	if got := (&datasources.Trace{}).Summary(); got.Spans != 0 || got.RootName != "" {
		t.Errorf("an empty trace: %+v", got)
	}
}
