package handlers

import (
	"context"
	"encoding/hex"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	resourcepb "go.opentelemetry.io/proto/otlp/resource/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"

	"github.com/ariadne-dev/ariadne/correlation/links"
	"github.com/ariadne-dev/ariadne/correlation/query"
	"github.com/ariadne-dev/ariadne/datasources/lokitest"
	"github.com/ariadne-dev/ariadne/store"
)

// A trace with a 64-bit ID (Zipkin/B3, older Jaeger): its lines carry the
// 16-character form or the padded 32-character one, in the text or as
// structured metadata. Lines of other traces share characters with it:
// one whose 128-bit ID ends with the same 16 hex, one whose begins with
// them.
const (
	t64Low   = "a3ce929d0e0e4736"
	t64ID    = "0000000000000000" + t64Low
	t64Other = "4bf92f3577b34da6" + t64Low
	t64After = t64Low + "0123456789abcdef"
	t64Root  = "00000000000000a1" // gateway
	t64Pay   = "00000000000000b2" // payments
)

// t64Line is one pushed line; name is a word only its text holds.
type t64Line struct {
	name, service, level string
	at                   time.Duration // after the trace starts
	line                 string
	meta                 map[string]string
	span                 string // the span ID it carries
	trace                string // the trace it belongs to, padded
}

func t64Lines() []t64Line {
	return []t64Line{
		{"checkout-started", "gateway", "info", 1 * time.Millisecond,
			"level=info msg=checkout-started traceID=" + t64Low + " span_id=" + t64Root, nil, t64Root, t64ID},
		{"charging-card", "payments", "info", 21 * time.Millisecond,
			`{"level":"info","msg":"charging-card","trace_id":"` + t64ID + `","span_id":"` + t64Pay + `"}`, nil, t64Pay, t64ID},
		{"card-declined", "payments", "warn", 40 * time.Millisecond,
			`{"level":"warn","msg":"card-declined","trace_id":"` + t64Low + `","span_id":"` + t64Pay + `"}`, nil, t64Pay, t64ID},
		{"provider-called", "payments", "info", 30 * time.Millisecond,
			"level=info msg=provider-called traceID=" + t64ID + " span_id=" + t64Pay, nil, t64Pay, t64ID},
		{"charge-failed", "payments", "error", 89 * time.Millisecond,
			"level=error msg=charge-failed", map[string]string{"trace_id": t64Low, "span_id": t64Pay}, t64Pay, t64ID},
		{"checkout-failed", "gateway", "error", 95 * time.Millisecond,
			"level=error msg=checkout-failed", map[string]string{"trace_id": t64ID, "span_id": t64Root}, t64Root, t64ID},

		// Other traces, in the same window and spans of the same IDs.
		{"other-charge", "payments", "info", 25 * time.Millisecond,
			`{"level":"info","msg":"other-charge","trace_id":"` + t64Other + `","span_id":"` + t64Pay + `"}`,
			map[string]string{"trace_id": t64Other, "span_id": t64Pay}, t64Pay, t64Other},
		{"other-checkout", "gateway", "info", 2 * time.Millisecond,
			"level=info msg=other-checkout traceID=" + t64Other + " span_id=" + t64Root, nil, t64Root, t64Other},
		{"other-prefix", "gateway", "info", 3 * time.Millisecond,
			"level=info msg=other-prefix traceID=" + t64After + " span_id=" + t64Root,
			map[string]string{"trace_id": t64After}, t64Root, t64After},
	}
}

type t64Fixture struct {
	*logsFixture
	start time.Time // the trace's start: ten minutes ago, on a whole second
	lines []t64Line
}

// newT64App starts Loki and Tempo holding the trace and the lines, and
// Ariadne with tmpl as its trace log query. Times are relative to now:
// lokitest keeps recent lines, and no test may depend on today's date.
func newT64App(t *testing.T, tmpl string) *t64Fixture {
	t.Helper()
	f := &t64Fixture{logsFixture: newLogsApp(t, Options{TraceLogQuery: tmpl}),
		start: logBase, lines: t64Lines()}
	f.tempo.Ingest(t64Trace(f.start))
	for _, l := range f.lines {
		f.push(t, l.service, l.level, lokitest.Entry{Time: f.start.Add(l.at), Line: l.line, Metadata: l.meta})
	}
	return f
}

// t64Trace: gateway's root span (100 ms) and payments' child (20-90 ms).
func t64Trace(start time.Time) *tracepb.TracesData {
	id, _ := hex.DecodeString(t64ID)
	span := func(sid, parent, name string, from, to time.Duration) *tracepb.Span {
		s, _ := hex.DecodeString(sid)
		p, _ := hex.DecodeString(parent)
		return &tracepb.Span{TraceId: id, SpanId: s, ParentSpanId: p, Name: name, Kind: tracepb.Span_SPAN_KIND_SERVER,
			StartTimeUnixNano: uint64(start.Add(from).UnixNano()), EndTimeUnixNano: uint64(start.Add(to).UnixNano())}
	}
	rs := func(service string, s *tracepb.Span) *tracepb.ResourceSpans {
		return &tracepb.ResourceSpans{
			Resource: &resourcepb.Resource{Attributes: []*commonpb.KeyValue{{Key: "service.name",
				Value: &commonpb.AnyValue{Value: &commonpb.AnyValue_StringValue{StringValue: service}}}}},
			ScopeSpans: []*tracepb.ScopeSpans{{Spans: []*tracepb.Span{s}}}}
	}
	return &tracepb.TracesData{ResourceSpans: []*tracepb.ResourceSpans{
		rs("gateway", span(t64Root, "", "POST /api/checkout", 0, 100*time.Millisecond)),
		rs("payments", span(t64Pay, t64Root, "POST /charge", 20*time.Millisecond, 90*time.Millisecond)),
	}}
}

// want is what a user sees of the named lines, in time order: name, span
// (data-span) and trace link of each.
func (f *t64Fixture) want(names ...string) []string {
	var ls []t64Line
	for _, l := range f.lines {
		if slices.Contains(names, l.name) {
			ls = append(ls, l)
		}
	}
	sort.SliceStable(ls, func(i, j int) bool { return ls[i].at < ls[j].at })
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = l.name + " span=" + l.span + " trace=" + links.ExemplarTrace(l.trace, f.start.Add(l.at))
	}
	return out
}

// rows is the same for the lines a page lists under sel.
func (f *t64Fixture) rows(t *testing.T, sel *goquery.Selection) []string {
	t.Helper()
	var out []string
	sel.Find(".logline").Each(func(_ int, s *goquery.Selection) {
		// A structured line's summary shows its message; another, the
		// line as written.
		text, msg := s.Find(".msg").Text(), s.Find(".msg .m").Text()
		name := "?"
		for _, l := range f.lines {
			if msg == l.name || strings.Contains(text, "msg="+l.name) || strings.Contains(text, `"msg":"`+l.name+`"`) {
				name = l.name
			}
		}
		var links []string
		s.Find("summary a.tlink").Each(func(_ int, a *goquery.Selection) { links = append(links, a.AttrOr("href", "")) })
		out = append(out, name+" span="+s.AttrOr("data-span", "")+" trace="+strings.Join(links, ","))
	})
	return out
}

func TestLogs64BitTraceID(t *testing.T) {
	tests := []struct {
		name, tmpl string
		query      string   // the LogQL the logs page shows
		found      []string // the trace's lines the template can see
	}{
		{"default: the ID in the text", "",
			`{service_name=~".+"} |= "a3ce929d0e0e4736" |~ "(^|[^0-9a-fA-F])(0000000000000000)?a3ce929d0e0e4736([^0-9a-fA-F]|$)"`,
			[]string{"checkout-started", "charging-card", "provider-called", "card-declined"}},
		{"label: the ID as structured metadata", query.LabelTraceLogQuery,
			`{service_name=~".+"} | trace_id=~"(0000000000000000)?a3ce929d0e0e4736"`,
			[]string{"charge-failed", "checkout-failed"}},
		{"custom: a key in the text", `{service_name=~".+"} |= "traceID=${trace_id}"`,
			`{service_name=~".+"} |= "a3ce929d0e0e4736" |~ "traceID=(0000000000000000)?a3ce929d0e0e4736([^0-9a-fA-F]|$)"`,
			[]string{"checkout-started", "provider-called"}},
		{"custom: a parsed JSON field or metadata", `{service_name=~".+"} | json | trace_id="${trace_id}"`,
			`{service_name=~".+"} | json | trace_id=~"(0000000000000000)?a3ce929d0e0e4736"`,
			[]string{"charging-card", "card-declined", "charge-failed", "checkout-failed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newT64App(t, tt.tmpl)
			want := f.want(tt.found...)
			check := func(page string, got, want []string) {
				t.Helper()
				if strings.Join(got, "\n") != strings.Join(want, "\n") {
					t.Errorf("%s lists:\n%s\nwant:\n%s", page, strings.Join(got, "\n"), strings.Join(want, "\n"))
				}
			}

			// /logs by the 16-character ID: the window is the trace's, from Tempo.
			d := doc(t, f.app.get(t, "/logs?trace_id="+t64Low))
			built := d.Find("textarea#logq").Text()
			if built != tt.query {
				t.Errorf("built query\n%s\nwant\n%s", built, tt.query)
			}
			check("/logs?trace_id=<16 hex>", f.rows(t, panelOf(d, "Lines")), want)

			// The padded ID is the same trace, and so the same query.
			win := url.Values{"from": {f.start.Add(-time.Minute).Format(time.RFC3339)}, "to": {f.start.Add(time.Minute).Format(time.RFC3339)}}
			d = doc(t, f.app.get(t, "/logs?trace_id="+strings.ToUpper(t64ID)+"&"+win.Encode()))
			if got := d.Find("textarea#logq").Text(); got != tt.query {
				t.Errorf("built query for the padded ID\n%s\nwant\n%s", got, tt.query)
			}
			check("/logs?trace_id=<32 hex>", f.rows(t, panelOf(d, "Lines")), want)

			// The trace page's Logs panel, opened by either form; per-span
			// counts come from each row's data-span.
			for _, id := range []string{t64Low, t64ID} {
				w := f.app.get(t, "/traces/"+id)
				if w.Code != http.StatusOK {
					t.Fatalf("/traces/%s: status %d", id, w.Code)
				}
				logs := doc(t, w).Find(`#trace-logs section.panel-done[data-panel="Logs"]`)
				check("/traces/"+id+" Logs panel", f.rows(t, logs), want)
				if st := logs.Find(".state").Text(); st != strconv.Itoa(len(tt.found))+" lines" {
					t.Errorf("/traces/%s Logs panel state %q", id, st)
				}
			}

			// Each span's lines, inline in its details.
			for _, span := range []string{t64Root, t64Pay} {
				var names []string
				for _, l := range f.lines {
					if l.span == span && slices.Contains(tt.found, l.name) {
						names = append(names, l.name)
					}
				}
				fd := doc(t, f.app.get(t, "/traces/"+t64ID+"/spans/"+span))
				check("span "+span+"'s inline lines", f.rows(t, fd.Find(".span-logs")), f.want(names...))
			}

			// A pin of the page's query (what its "Pin query" form posts)
			// freezes the same lines.
			p := &store.Pin{Kind: store.KindLogQuery}
			if err := f.app.h.snapshot(context.Background(), p, url.Values{"q": {built}, "from": win["from"], "to": win["to"]}); err != nil {
				t.Fatal(err)
			}
			var pinned []string
			for i := len(p.Snapshot.Lines) - 1; i >= 0; i-- { // newest first in the snapshot
				l := p.Snapshot.Lines[i]
				for _, fl := range f.lines {
					if l.Line == fl.line {
						pinned = append(pinned, fl.name)
					}
				}
			}
			var wantNames []string
			for _, w := range want {
				wantNames = append(wantNames, strings.Fields(w)[0])
			}
			if strings.Join(pinned, " ") != strings.Join(wantNames, " ") {
				t.Errorf("pinned %q, want %q", pinned, wantNames)
			}
		})
	}
}

// Every line links to the trace it belongs to, by its padded ID, and to
// its span, whatever form it carries the ID in: 16 or 32 characters, in
// logfmt, JSON or structured metadata. (The trace page's rows are checked
// above.)
func TestLogs64BitDerivedLinks(t *testing.T) {
	f := newT64App(t, "")
	q := url.Values{"q": {`{service_name=~".+"}`}, "from": {f.start.Add(-time.Minute).Format(time.RFC3339)}, "to": {f.start.Add(time.Minute).Format(time.RFC3339)}}
	got := f.rows(t, panelOf(doc(t, f.app.get(t, "/logs?"+q.Encode())), "Lines"))
	var names []string
	for _, l := range f.lines {
		names = append(names, l.name)
	}
	want := f.want(names...)
	// The page lists newest first.
	for i, j := 0, len(want)-1; i < j; i, j = i+1, j-1 {
		want[i], want[j] = want[j], want[i]
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("rows:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// An empty search for a 64-bit ID explains itself as for any ID: the
// label name check reads the new matcher and its fix keeps both forms,
// and the other forms are tried through the template.
func TestLogs64BitEmptySaysWhy(t *testing.T) {
	at := logBase
	win := "from=" + url.QueryEscape(at.Add(-time.Minute).Format(time.RFC3339)) + "&to=" + url.QueryEscape(at.Add(time.Minute).Format(time.RFC3339))

	// Metadata named traceId, holding the 16-character form.
	f := newLogsApp(t, Options{TraceLogQuery: query.LabelTraceLogQuery})
	f.push(t, "legacy", "info", lokitest.Entry{Time: at, Line: "request", Metadata: map[string]string{"traceId": t64Low}})
	d := doc(t, f.app.get(t, "/logs?trace_id="+t64Low+"&"+win))
	diag := panelOf(d, "Lines").Find(".diagnosis")
	if text := strings.Join(strings.Fields(diag.Text()), " "); !strings.Contains(text, "no line in these streams carries trace_id. Close names that exist: traceId") {
		t.Errorf("names check:\n%s", text)
	}
	use := diag.Find("a:contains('Use traceId')").AttrOr("href", "")
	u, _ := url.Parse(use)
	if q := u.Query().Get("q"); q != `{service_name=~".+"} | traceId=~"(0000000000000000)?`+t64Low+`"` {
		t.Errorf("fix link query %q", q)
	}
	if n := panelOf(doc(t, f.app.get(t, use)), "Lines").Find(".logline").Length(); n != 1 {
		t.Errorf("following the fix finds %d lines, want 1", n)
	}

	// The ID written as a UUID: found through the template; the 16-character
	// form is not offered, since the query already searched it.
	g := newLogsApp(t, Options{})
	dashed := "00000000-0000-0000-a3ce-929d0e0e4736"
	g.push(t, "legacy", "info", lokitest.Entry{Time: at, Line: "request trace=" + dashed})
	diag = panelOf(doc(t, g.app.get(t, "/logs?trace_id="+t64Low+"&"+win)), "Lines").Find(".diagnosis")
	text := strings.Join(strings.Fields(diag.Text()), " ")
	if !strings.Contains(text, "Found with dashes: "+dashed) || strings.Contains(text, "64-bit") {
		t.Errorf("forms check:\n%s", text)
	}
	found := diag.Find("a:contains('Found with dashes')").AttrOr("href", "")
	u, _ = url.Parse(found)
	if q := u.Query().Get("q"); q != `{service_name=~".+"} |= "`+dashed+`"` {
		t.Errorf("form link query %q", q)
	}
}
