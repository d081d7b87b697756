package views

import (
	"hash/fnv"
	"html"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/ariadne-dev/ariadne/correlation/links"
	"github.com/ariadne-dev/ariadne/correlation/logline"
	"github.com/ariadne-dev/ariadne/datasources"
)

func TestBuildLogRows(t *testing.T) {
	d := logline.MustDefaultDeriver()
	at := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC).UnixNano()
	pay := map[string]string{"service_name": "payments", "level": "error"}
	gw := map[string]string{"service_name": "gateway", "level": "info"}
	lines := []datasources.LogLine{
		{TimeNs: at, Labels: gw, Stream: `{level="info", service_name="gateway"}`, Line: `{"msg":"checkout","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","span_id":"00000000000000a1"}`},
		{TimeNs: at + 5e6, Labels: pay, Stream: `{level="error", service_name="payments"}`, Line: "level=crit msg=\"charge failed\" traceID=a3ce929d0e0e4736 \x1b[31mred\x1b[0m"},
		{TimeNs: at + 9e6, Labels: gw, Stream: `{level="info", service_name="gateway"}`, Line: "plain text " + strings.Repeat("x", PreviewBytes)},
		// A line from elsewhere (a snapshot, a test) names no stream.
		{TimeNs: at + 12e6, Labels: map[string]string{"service_name": "orders"}, Line: "no stream"},
	}
	rows := BuildLogRows(lines, LogRowsInput{Zone: time.UTC, BaseNs: at, Deriver: d})
	type row struct{ svc, class, level, offset, ctx, traces, span string }
	var got []row
	for _, r := range rows {
		var tr []string
		for _, l := range r.Traces {
			tr = append(tr, l.Label)
		}
		got = append(got, row{r.Service, r.SvcClass, r.LevelClass, r.Offset, r.ContextURL, strings.Join(tr, ","), r.SpanID})
	}
	want := []row{
		{"gateway", ServiceClass("gateway"), "lvl-info", "+0 ns", "/logs/context?h=", "4bf92f3577b34da6a3ce929d0e0e4736", "00000000000000a1"},
		{"payments", ServiceClass("payments"), "lvl-error", "+5.00 ms", "/logs/context?h=", "0000000000000000a3ce929d0e0e4736", ""},
		{"gateway", ServiceClass("gateway"), "lvl-info", "+9.00 ms", "/logs/context?h=", "", ""},
		{"orders", ServiceClass("orders"), "", "+12.0 ms", "/logs/context?h=", "", ""},
	}
	for i := range want {
		g := got[i]
		g.ctx = g.ctx[:min(len(g.ctx), len("/logs/context?h="))]
		if g != want[i] {
			t.Errorf("row %d: %+v\nwant    %+v", i, g, want[i])
		}
	}
	// Each row keeps its own stream's labels and context, cached or not.
	if !strings.Contains(rows[1].ContextURL, "payments") || !strings.Contains(rows[2].ContextURL, "gateway") || !strings.Contains(rows[3].ContextURL, "orders") {
		t.Errorf("context URLs %q %q %q", rows[1].ContextURL, rows[2].ContextURL, rows[3].ContextURL)
	}
	if len(rows[3].Labels) != 1 || rows[3].Labels[0].Value != "orders" {
		t.Errorf("labels of the stream-less line: %+v", rows[3].Labels)
	}
	// Control characters are shown, not obeyed; a long line is cut.
	if strings.ContainsRune(rows[1].Preview, '\x1b') || !strings.Contains(rows[1].Preview, "red") {
		t.Errorf("preview %q", rows[1].Preview)
	}
	if len(rows[2].Preview) != PreviewBytes || rows[2].RestSize != "11 bytes" {
		t.Errorf("long line: %d bytes shown, rest %q", len(rows[2].Preview), rows[2].RestSize)
	}
}

func TestLevelClass(t *testing.T) {
	for level, want := range map[string]string{"error": "lvl-error", "warn": "lvl-warn", "info": "lvl-info", "debug": "lvl-debug", "trace": "lvl-debug", "audit": ""} {
		if got := LevelClass(logline.NormalizeLevel(level)); got != want {
			t.Errorf("LevelClass(%q) = %q, want %q", level, got, want)
		}
	}
}

// A service's colour is its name's, the same on every page and whatever
// else the page shows; the demo's five services get five colours.
func TestServiceColoursFollowTheName(t *testing.T) {
	if ServiceClasses([]string{"payments", "gateway"})["payments"] != ServiceClasses([]string{"orders", "inventory", "payments"})["payments"] {
		t.Error("payments changes colour with the page's other services")
	}
	seen := map[string]string{}
	for _, s := range []string{"gateway", "orders", "inventory", "payments", "payment-provider"} {
		c := ServiceClass(s)
		if other, ok := seen[c]; ok {
			t.Errorf("%s and %s share %s", s, other, c)
		}
		seen[c] = s
	}
}

// A structured line reads message first, then what failed, then its other
// fields, without level, time, service or IDs (shown elsewhere on the
// row); on the logs page each parsed field's value narrows the query to
// it (#20 item 4).
func TestStructuredLinesReadMessageFirst(t *testing.T) {
	lines := []datasources.LogLine{
		{TimeNs: 1, Line: `{"time":"2026-01-01T00:00:00Z","level":"error","msg":"payment provider timed out","error":"deadline exceeded","order.id":"ord-1","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736"}`},
		{TimeNs: 2, Line: `level=warn msg="acquirer slow" wait_ms=812`},
		{TimeNs: 3, Line: `plain text, no fields`},
	}
	rows := BuildLogRows(lines, LogRowsInput{Zone: time.UTC, Deriver: logline.MustDefaultDeriver(), Query: `{service_name="payments"}`, Narrow: true})
	if rows[0].Message != "payment provider timed out — deadline exceeded" || restText(rows[0]) != "order.id=ord-1" {
		t.Errorf("JSON: %q / %q", rows[0].Message, restText(rows[0]))
	}
	if rows[1].Message != "acquirer slow" || restText(rows[1]) != "wait_ms=812" {
		t.Errorf("logfmt: %q / %q", rows[1].Message, restText(rows[1]))
	}
	if rows[2].Message != "" {
		t.Errorf("plain text got a message %q", rows[2].Message)
	}
	// Each field's value narrows the query, by the line's own parser.
	narrowed := func(r LogRow, key string) string {
		for _, f := range r.Fields {
			if f.Key == key {
				q, _ := Narrowed(`{service_name="payments"}`, f.Narrow+":"+f.Key+"="+f.Value)
				return q
			}
		}
		return "no field " + key
	}
	if got := narrowed(rows[0], "order.id"); got != `{service_name="payments"} | json | order_id="ord-1"` {
		t.Errorf("JSON field narrows to %q", got)
	}
	if got := narrowed(rows[1], "wait_ms"); got != `{service_name="payments"} | logfmt | wait_ms="812"` {
		t.Errorf("logfmt field narrows to %q", got)
	}
}

func TestNarrowed(t *testing.T) {
	const q = `{service_name="payments"}`
	for _, tc := range []struct {
		q, where, want string
		ok             bool
	}{
		{q, "json:status=502", q + ` | json | status="502"`, true},
		{q, `logfmt:msg=say "hi" = bye`, q + ` | logfmt | msg="say \"hi\" = bye"`, true},
		{q, "json:k=", q + ` | json | k=""`, true},
		{q, "xml:k=v", q, false},
		{q, "json:=v", q, false},
		{q, "json", q, false},
		{`sum(rate({a="b"}[1m]))`, "json:k=v", `sum(rate({a="b"}[1m]))`, false},
	} {
		got, ok := Narrowed(tc.q, tc.where)
		if got != tc.want || ok != tc.ok {
			t.Errorf("Narrowed(%q, %q) = %q, %v; want %q, %v", tc.q, tc.where, got, ok, tc.want, tc.ok)
		}
	}
	rows := BuildLogRows([]datasources.LogLine{{TimeNs: 1, Line: `{"a=b":"c","d":"e"}`}}, LogRowsInput{Zone: time.UTC, Deriver: logline.MustDefaultDeriver(), Query: q, Narrow: true})
	if f := rows[0].Fields; len(f) != 2 || f[0].Narrow != "" || f[1].Narrow != "json" {
		t.Errorf("fields %+v: a key holding = has no button, the other one has", f)
	}
}

// TestPrettyJSON: "Indent JSON" indents object lines, leaves other lines
// (and broken or huge JSON) as they came, and keeps control characters
// visible (#20 item 4).
func TestPrettyJSON(t *testing.T) {
	tests := []struct{ line, want string }{
		{`{"level":"error","msg":"card declined","n":2}`, "{\n  \"level\": \"error\",\n  \"msg\": \"card declined\",\n  \"n\": 2\n}"},
		{`level=error msg="card declined"`, ""},
		{`{"msg": "cut off`, ""},
		{`[1,2]`, ""},
		{`{"big":"` + strings.Repeat("x", PrettyBytes) + `"}`, ""},
	}
	for _, tt := range tests {
		if got := prettyJSON(tt.line); got != tt.want {
			t.Errorf("prettyJSON(%.40q) = %q, want %q", tt.line, got, tt.want)
		}
	}
	rows := BuildLogRows([]datasources.LogLine{{TimeNs: 1, Line: "{\"msg\":\"a\u202eb\"}"}}, LogRowsInput{Zone: time.UTC, Pretty: true, Deriver: logline.MustDefaultDeriver()})
	if !strings.Contains(rows[0].Pretty, `\u202e`) && !strings.Contains(rows[0].Pretty, "U+202E") {
		t.Errorf("an invisible character is obeyed in the indented line: %q", rows[0].Pretty)
	}
	if rows := BuildLogRows([]datasources.LogLine{{TimeNs: 1, Line: `{"msg":"a"}`}}, LogRowsInput{Zone: time.UTC, Deriver: logline.MustDefaultDeriver()}); rows[0].Pretty != "" {
		t.Error("lines are indented without being asked")
	}
}

// Every text and attribute of a row is escaped: a line, a label or a
// field cannot add markup or leave its attribute.
func TestLogRowEscapesEverything(t *testing.T) {
	const evil = `<img src=x onerror=alert(1)> "quoted" 'single' & amp`
	r := LogRow{ID: "l-0", Time: evil, TimeTitle: evil, Level: evil, LevelClass: "lvl-error", Service: evil, SvcClass: evil,
		Preview: evil, Rest: evil, RestSize: evil, Offset: evil, SpanID: evil, SpanURL: "/traces/x?a=" + evil, ContextURL: "/logs/context?" + evil,
		Traces: []Link{{Label: evil, URL: "/traces/" + evil}}, PinRef: evil,
		Fields: []KV{{Key: evil, Value: evil, URL: "/logs?q=" + evil}}, Labels: []KV{{Key: evil, Value: evil}}, Metadata: []KV{{Key: evil, Value: evil}}}
	var b strings.Builder
	if err := logRows([]LogRow{r, {ID: "l-1", Message: evil, MessageRest: []logline.Field{{Key: evil, Value: evil}, {Key: "k", Value: evil}}, Preview: evil}}).Render(t.Context(), &b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if strings.Contains(out, "<img") {
		t.Fatalf("unescaped: %s", out)
	}
	d, err := goquery.NewDocumentFromReader(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if n := d.Find("details.logline").Length(); n != 2 {
		t.Fatalf("%d rows", n)
	}
	first := d.Find("details.logline").First()
	for sel, want := range map[string]string{"time.t": evil, ".lvl": evil, ".svc": evil, ".off": evil, "pre.rest": evil,
		"table.fields th": evil + evil + evil, "a.tlink": "trace " + shortID(evil)} {
		if got := first.Find(sel).Text(); got != want {
			t.Errorf("%s: %q, want %q", sel, got, want)
		}
	}
	for sel, attr := range map[string]string{"time.t": "title", "a.tlink": "href", "button.pin-line": "value", "table.fields a": "href"} {
		if v, _ := first.Find(sel).Attr(attr); !strings.Contains(v, evil) {
			t.Errorf("%s[%s] = %q, want it to hold the text whole", sel, attr, v)
		}
	}
	if v, _ := first.Attr("data-span"); v != evil {
		t.Errorf("data-span %q", v)
	}
	if got := d.Find("details.logline").Eq(1).Find(".m").Text(); got != evil {
		t.Errorf("message %q", got)
	}
	if got := d.Find("details.logline").Eq(1).Find(".kvs").Text(); got != evil+"="+evil+" k="+evil {
		t.Errorf("the message's other fields %q", got)
	}
}

func TestAppendText(t *testing.T) {
	for s, want := range map[string]string{"": "", `{"a":'b'}`: `{"a":'b'}`, "<b>&amp;</b>": "&lt;b&gt;&amp;amp;&lt;/b&gt;"} {
		if got := string(appendText(nil, s)); got != want {
			t.Errorf("%q: %q, want %q", s, got, want)
		}
	}
}

func TestAppendEscapedIsHTMLEscape(t *testing.T) {
	for _, s := range []string{"", "plain", `<>&"'`, "a<b>c&d\"e'f", "ünïcødé <x>", "&amp;"} {
		if got := string(appendEscaped(nil, s)); got != html.EscapeString(s) {
			t.Errorf("%q: %q, want %q", s, got, html.EscapeString(s))
		}
	}
}

// FuzzAppendHTML: every string (of four to seven bytes, read as one
// word; longer, its words of eight and the bytes after them) comes out as
// html.EscapeString writes it, and as text only & < > are escaped.
func FuzzAppendHTML(f *testing.F) {
	for _, s := range []string{"", "<", "ab>", "a<bc", "abc'", "abcdef\"", strings.Repeat("a", 31) + "&", `{"msg":"a <b> & 'c'","url":"/x?a=1&b=2"}` + strings.Repeat(`"'&<>`, 9)} {
		f.Add(s)
	}
	text := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")
	f.Fuzz(func(t *testing.T, s string) {
		for _, s := range []string{s, s + strings.Repeat("x", 32)} {
			if got, want := string(appendEscaped([]byte("pre"), s)), "pre"+html.EscapeString(s); got != want {
				t.Fatalf("appendEscaped(%q) = %q, want %q", s, got, want)
			}
			if got, want := string(appendText(nil, s)), text.Replace(s); got != want {
				t.Fatalf("appendText(%q) = %q, want %q", s, got, want)
			}
		}
	})
}

// A line is found again by the mark in its links (LineHash), and by the
// FNV-1a mark of the links saved before LineHash was xxHash64: context
// links kept in investigations still find their line. Another line's
// mark does not.
func TestLineMarkedOldAndNew(t *testing.T) {
	lines := []string{"", "a", `{"msg":"checkout","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736"}`, "ünï\x00\xff"}
	for i, s := range lines {
		f := fnv.New64a()
		f.Write([]byte(s))
		old := strconv.FormatUint(f.Sum64(), 36)
		if !LineMarked(s, LineHash(s)) || !LineMarked(s, old) {
			t.Errorf("%q: not found by its mark %s or its old mark %s", s, LineHash(s), old)
		}
		if other := lines[(i+1)%len(lines)]; LineMarked(other, LineHash(s)) || LineMarked(other, old) {
			t.Errorf("%q is found by the mark of %q", other, s)
		}
	}
	if LineHash("a") == strconv.FormatUint(fnv1a("a"), 36) {
		t.Error("LineHash is still FNV-1a")
	}
}

// TestLazyRowsLinkTheirExpandedView: on the logs page (Lazy) a line of a
// known stream links to its expanded view (the line whole, its links, its
// tables) instead of carrying it, and its summary still reads message
// first with its trace link; a line of no stream or labels cannot be
// found again and keeps them. A line Loki parsed (a query with | json) reads message
// first too. Built in full, the same lines' fields narrow the query,
// Loki's parsed labels too.
func TestLazyRowsLinkTheirExpandedView(t *testing.T) {
	at := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC).UnixNano()
	q := `{service_name="gateway"} | json`
	lines := []datasources.LogLine{
		{TimeNs: at, Labels: map[string]string{"service_name": "gateway"}, Stream: `{service_name="gateway"}`,
			Line: `{"msg":"checkout","user":"u-1"}`, StructuredMetadata: map[string]string{"trace_id": "4bf92f3577b34da6a3ce929d0e0e4736"}},
		{TimeNs: at + 1, Labels: map[string]string{"service_name": "gateway"}, Stream: `{service_name="gateway"}`,
			Line: `{"msg":"parsed by Loki"}`, Parsed: map[string]string{"msg": "parsed by Loki"}},
		{TimeNs: at + 2, Line: `{"msg":"no stream"}`}, // from a snapshot: no labels
	}
	lazy := BuildLogRows(lines, LogRowsInput{Zone: time.UTC, Query: q, Narrow: true, Lazy: true, Deriver: logline.MustDefaultDeriver()})
	if want := links.LogLine(q, lines[0].Stream, at, LineHash(lines[0].Line)); lazy[0].LineURL != want {
		t.Errorf("lazy row links %q, want %q", lazy[0].LineURL, want)
	}
	if r := lazy[0]; r.Fields != nil || r.Labels != nil || r.Metadata != nil || r.Message != "checkout" || restText(r) != "user=u-1" {
		t.Errorf("lazy row: fields %v labels %v metadata %v, message %q %q", r.Fields, r.Labels, r.Metadata, r.Message, restText(r))
	}
	if m := lazy[1].Message; m != "parsed by Loki" {
		t.Errorf("a line Loki parsed reads %q first, want its message", m)
	}
	if r := lazy[2]; r.LineURL != "" || len(r.Fields) != 1 {
		t.Errorf("a line of no stream: %q, %d fields", r.LineURL, len(r.Fields))
	}
	html := rowHTML(t, lazy[0])
	// The summary whole (message, fields, the trace link); of the
	// expanded view only the link to it.
	if !strings.Contains(html, `<div class="logbody"><p class="line-more"><a href="`+strings.ReplaceAll(lazy[0].LineURL, "&", "&amp;")+`">`) ||
		!strings.Contains(html, `<a class="tlink mono" href="`+strings.ReplaceAll(links.ExemplarTrace("4bf92f3577b34da6a3ce929d0e0e4736", time.Unix(0, at)), "&", "&amp;")+`"`) ||
		strings.Contains(html, "<table") || strings.Contains(html, `<pre class="raw">`) || strings.Contains(html, "show context") {
		t.Errorf("lazy row's markup: %s", html)
	}
	if r := lazy[0]; r.ContextURL != "" || r.SpanURL != "" {
		t.Errorf("lazy row built its expanded view's links: %q %q", r.ContextURL, r.SpanURL)
	}

	full := BuildLogRows(lines, LogRowsInput{Zone: time.UTC, Query: q, Narrow: true, Deriver: logline.MustDefaultDeriver()})
	for i, r := range full[:2] {
		if r.LineURL != "" || len(r.Fields) == 0 || r.Fields[0].Narrow != "json" {
			t.Errorf("full row %d: %q, fields %+v", i, r.LineURL, r.Fields)
		}
	}
	if m := full[0].Metadata; len(m) != 1 || m[0].Key != "trace_id" {
		t.Errorf("full row's metadata %v", m)
	}
}

func rowHTML(t *testing.T, r LogRow) string {
	t.Helper()
	return string(appendLogRow(nil, &r))
}

// TestAppendHTMLEveryByte: every byte value, alone and amid text, is
// escaped as html.EscapeString escapes it in attributes, and only & < >
// in text.
func TestAppendHTMLEveryByte(t *testing.T) {
	for c := range 256 {
		s := "ab" + string([]byte{byte(c)}) + "cd"
		if got, want := string(appendEscaped(nil, s)), html.EscapeString(s); got != want {
			t.Errorf("attribute %q: %q, want %q", s, got, want)
		}
		want := s
		switch c {
		case '&', '<', '>':
			want = html.EscapeString(s)
		}
		if got := string(appendText(nil, s)); got != want {
			t.Errorf("text %q: %q, want %q", s, got, want)
		}
	}
}

// A page big enough to be built on every core reads as one built alone:
// rows in line order, each numbered by its place on the page.
func TestBigPageRowsAreInOrder(t *testing.T) {
	d := logline.MustDefaultDeriver()
	at := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC).UnixNano()
	n := parallelLines*2 + 7
	lines := make([]datasources.LogLine, n)
	for i := range lines {
		svc := "svc-" + strconv.Itoa(i%5)
		lines[i] = datasources.LogLine{TimeNs: at + int64(i)*1e6, Labels: map[string]string{"service_name": svc},
			Stream: `{service_name="` + svc + `"}`, Line: "msg=m" + strconv.Itoa(i) + " trace_id=" + strings.Repeat("ab", 15) + strconv.Itoa(10+i%90)}
	}
	rows := BuildLogRows(lines, LogRowsInput{Zone: time.UTC, Deriver: d})
	for i, r := range rows {
		alone := BuildLogRows(lines[i:i+1], LogRowsInput{Zone: time.UTC, Deriver: d})[0]
		alone.ID = "l-" + strconv.Itoa(i)
		if r.ID != alone.ID || r.Message != alone.Message || r.Service != alone.Service || r.ContextURL != alone.ContextURL ||
			len(r.Traces) != 1 || r.Traces[0] != alone.Traces[0] {
			t.Fatalf("row %d: %+v\nalone:  %+v", i, r, alone)
		}
	}
}

func TestLineStampIsTheTimeFormatted(t *testing.T) {
	zone := time.FixedZone("CET", 3600)
	base := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC).UnixNano()
	var st lineStamp
	for _, z := range []*time.Location{time.UTC, zone} {
		for _, d := range []int64{0, 1, 999_999_999, 1e9, 1e9 + 5e6, 3e9, 3e9 - 1, 3600e9} {
			ns := base + d
			if got, want := st.title(ns, z), time.Unix(0, ns).In(z).Format(timeTitleLayout); got != want {
				t.Errorf("%d in %v: %q, want %q", d, z, got, want)
			}
		}
	}
}

// The logs page's rows, built as they are written (builtLogRows), are
// the rows BuildLogRows makes, written: on a page of one share and on a
// page of one per core, lazy or whole, with pin buttons, a line of no
// stream among them, and two trace links on a line.
func TestRowsBuiltAsWrittenAreTheBuiltRows(t *testing.T) {
	at := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC).UnixNano()
	pin := func(l *datasources.LogLine) string { return "t=" + strconv.FormatInt(l.TimeNs, 10) }
	for _, n := range []int{3, parallelLines + 7} {
		lines := make([]datasources.LogLine, n)
		for i := range lines {
			svc := []string{"gateway", "payments"}[i%2]
			lines[i] = datasources.LogLine{TimeNs: at - int64(i)*1e6 - int64(i)*7, Labels: map[string]string{"service_name": svc},
				Stream: `{service_name="` + svc + `"}`,
				Line:   `{"msg":"m` + strconv.Itoa(i) + `","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","span_id":"00f067aa0ba902b7"} trace_id=0af7651916cd43dd8448eb211c80319c`}
		}
		lines[1].Stream, lines[1].Labels = "", nil
		// A zone whose name needs escaping, as the time's title writes it.
		for _, lazy := range []bool{true, false} {
			zone := map[bool]*time.Location{true: time.UTC, false: time.FixedZone(`<"z">&`, 5400)}[lazy]
			in := LogRowsInput{Zone: zone, Query: `{service_name=~".+"} | json`, Narrow: true, Lazy: lazy,
				Deriver: logline.MustDefaultDeriver(), PinRef: pin}
			var built, want strings.Builder
			if err := builtLogRows(lines, in).Render(t.Context(), &built); err != nil {
				t.Fatal(err)
			}
			rows := BuildLogRows(lines, in)
			if err := logRows(rows).Render(t.Context(), &want); err != nil {
				t.Fatal(err)
			}
			if built.String() != want.String() {
				t.Fatalf("%d lines, lazy %v: rows built as written differ from the built rows", n, lazy)
			}
			if c := strings.Count(want.String(), `class="tlink mono"`); c != 2*n {
				t.Errorf("%d lines, lazy %v: %d trace links, want %d", n, lazy, c, 2*n)
			}
			if c := strings.Count(want.String(), `name="pin_ref"`); (c == 1) != lazy || !lazy && c != n {
				t.Errorf("%d lines, lazy %v: %d pin buttons", n, lazy, c)
			}
		}
	}
}

// restText is a row's MessageRest as its summary shows it.
func restText(r LogRow) string {
	var kvs []string
	for _, f := range r.MessageRest {
		kvs = append(kvs, f.Key+"="+f.Value)
	}
	return strings.Join(kvs, " ")
}

// fieldsOf is a line's fields from key, value pairs.
func fieldsOf(kv ...string) []logline.Field {
	var out []logline.Field
	for i := 0; i < len(kv); i += 2 {
		out = append(out, logline.Field{Key: kv[i], Value: kv[i+1]})
	}
	return out
}

// A structured line's summary: the message by the keys' preference (msg,
// then message, then event; a key with no value does not count), what
// failed after it, and the other fields sorted by key, whatever order
// they came in, less those the row shows elsewhere.
func TestSummaryMessageFirst(t *testing.T) {
	f := fieldsOf
	tests := []struct {
		fields    []logline.Field
		msg, rest string
		ok        bool
	}{
		{f("event", "e", "message", "m", "msg", "s", "a", "1"), "s", "a=1 event=e message=m", true},
		{f("msg", "", "message", "m"), "m", "msg=", true},
		{f("err", "x", "error", "boom", "msg", "failed"), "failed — boom", "err=x", true},
		{f("exception", "npe", "msg", "m", "level", "info", "trace_id", "t", "Time", "now", "k", "v"), "m — npe", "k=v", true},
		{f("message", "first", "message", "second"), "first", "", true},
		{f("a", "1", "error", "e"), "", "", false},
		{nil, "", "", false},
	}
	for _, tt := range tests {
		msg, rest, ok := summary(nil, tt.fields)
		if got := restText(LogRow{MessageRest: rest}); msg != tt.msg || got != tt.rest || ok != tt.ok {
			t.Errorf("%v: %q, %q, %v; want %q, %q, %v", tt.fields, msg, got, ok, tt.msg, tt.rest, tt.ok)
		}
	}
}

// Lines of one shape share a layout (summaryShapes); each summary is
// still the line's own, as summary alone writes it, when the keys stay,
// change, or an empty message or error value moves what the row leads
// with.
func TestSummaryShapesAsSummary(t *testing.T) {
	f := fieldsOf
	lines := [][]logline.Field{
		f("msg", "one", "b", "1", "a", "2", "error", "e1"),
		f("msg", "two", "b", "3", "a", "4", "error", "e2"),
		f("msg", "three", "b", "5", "a", "6", "error", ""), // no error now
		f("msg", "four", "b", "7", "a", "8", "error", "e4"),
		f("msg", "", "b", "9", "a", "10", "message", "m5"), // the message moves
		f("msg", "six", "b", "11", "a", "12", "message", "m6"),
		f("msg", "", "b", "13", "a", "14", "message", "m7"),
		f("k", "v", "a", "1"), // no message
		f("k", "v", "a", "1"),
		f("msg", "nine", "z", "1", "z", "2", "a", "3"), // a key twice keeps its order
		f("msg", "ten", "z", "3", "z", "4", "a", "5"),
		f("msg", "eleven", "a", "6", "z", "7", "z", "8"), // same keys, another order
		nil,
	}
	var s summaryShapes
	for _, fields := range lines {
		gotMsg, gotRest, gotOK := s.summary(nil, fields)
		msg, rest, ok := summary(nil, fields)
		got, want := restText(LogRow{MessageRest: gotRest}), restText(LogRow{MessageRest: rest})
		if gotMsg != msg || got != want || gotOK != ok {
			t.Errorf("%v: %q, %q, %v; summary alone: %q, %q, %v", fields, gotMsg, got, gotOK, msg, want, ok)
		}
	}
}

func TestAppendDigits(t *testing.T) {
	for _, tc := range []struct {
		v, n int
		want string
	}{{0, 9, "000000000"}, {123456789, 9, "123456789"}, {5, 3, "005"}, {999, 3, "999"}, {1234, 3, "234"}, {42, 1, "2"}} {
		if got := string(appendDigits([]byte("x"), tc.v, tc.n)); got != "x"+tc.want {
			t.Errorf("appendDigits(%d, %d) = %q, want x%s", tc.v, tc.n, got, tc.want)
		}
	}
}

func FuzzAppendBase36(f *testing.F) {
	for _, u := range []uint64{0, 35, 36, 1<<64 - 1, 14695981039346656037} {
		f.Add(u)
	}
	f.Fuzz(func(t *testing.T, u uint64) {
		if got, want := string(appendBase36(nil, u)), strconv.FormatUint(u, 36); got != want {
			t.Fatalf("%d: %s, want %s", u, got, want)
		}
	})
}
