package handlers

import (
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"

	"github.com/ariadne-dev/ariadne/correlation/links"
	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/datasources/loki"
	"github.com/ariadne-dev/ariadne/datasources/lokitest"
	"github.com/ariadne-dev/ariadne/datasources/tempotest"
	"github.com/ariadne-dev/ariadne/views"
)

// logBase is where the test lines sit: ten minutes before fixtureNow, on
// a whole second so times read well in assertions.
var logBase = fixtureNow.Add(-10 * time.Minute)

type logsFixture struct {
	loki  *lokitest.Server
	tempo *tempotest.Server
	app   *testApp
}

// newLogsApp starts lokitest (and tempotest) and Ariadne over them.
func newLogsApp(t *testing.T, opt Options, lokiOpts ...lokitest.Option) *logsFixture {
	t.Helper()
	b := newTestBackends(t, backendOptions{loki: lokiOpts})
	opt.Loki, opt.Tempo = b.lokiClient, b.tempoClient
	return &logsFixture{loki: b.loki, tempo: b.tempo, app: newApp(t, opt)}
}

func (f *logsFixture) push(t *testing.T, service, level string, entries ...lokitest.Entry) {
	t.Helper()
	if err := f.loki.Push(map[string]string{"service_name": service, "level": level}, entries...); err != nil {
		t.Fatal(err)
	}
}

// jsonLine is a demo-style log line.
func jsonLine(service, level, msg, trace, span string) string {
	return fmt.Sprintf(`{"time":"x","level":%q,"msg":%q,"service":%q,"trace_id":%q,"span_id":%q}`, level, msg, service, trace, span)
}

func window() string {
	return "from=" + url.QueryEscape(logBase.Add(-time.Minute).Format(time.RFC3339)) + "&to=" + url.QueryEscape(logBase.Add(5*time.Minute).Format(time.RFC3339))
}

func panelOf(d *goquery.Document, title string) *goquery.Selection {
	return d.Find(`section.panel-done[data-panel="` + title + `"]`)
}

func TestLogsPage(t *testing.T) {
	f := newLogsApp(t, Options{})
	f.push(t, "gateway", "info", lokitest.Entry{Time: logBase, Line: jsonLine("gateway", "info", "checkout started", traceHex, "00000000000000a1")})
	f.push(t, "payments", "error", lokitest.Entry{Time: logBase.Add(20 * time.Millisecond), Line: jsonLine("payments", "error", "charge failed", traceHex, "00000000000000b2")})
	f.push(t, "orders", "info", lokitest.Entry{Time: logBase.Add(2 * time.Minute), Line: `level=info msg="order loaded" order.id=42`})

	q := `{service_name=~".+"}`
	w := f.app.get(t, "/logs?q="+url.QueryEscape(q)+"&"+window())
	if w.Code != http.StatusOK {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	d := doc(t, w)
	if got := d.Find("textarea#logq").Text(); got != q {
		t.Errorf("query box keeps %q, want %q", got, q)
	}
	rows := panelOf(d, "Lines").Find(".logline")
	if rows.Length() != 3 {
		t.Fatalf("%d lines, want 3", rows.Length())
	}
	// Newest first by default.
	first := rows.First()
	if svc := first.Find(".svc").Text(); svc != "orders" {
		t.Errorf("first line from %q, want orders (newest first)", svc)
	}
	pay := rows.Eq(1)
	if !pay.HasClass("lvl-error") || pay.Find(".lvl").Text() != "error" || pay.Find(".svc").Text() != "payments" {
		t.Errorf("payments line: class %q level %q service %q", pay.AttrOr("class", ""), pay.Find(".lvl").Text(), pay.Find(".svc").Text())
	}
	// The link carries a window around the line, so Tempo looks only there.
	if href := pay.Find("summary a.tlink").AttrOr("href", ""); href != links.ExemplarTrace(traceHex, logBase.Add(20*time.Millisecond)) || !strings.Contains(href, "from=") {
		t.Errorf("trace link %q", href)
	}
	if got := pay.Find(".t").Text(); got != logBase.Add(20*time.Millisecond).Format("15:04:05.000") {
		t.Errorf("time %q (UTC without a tz cookie)", got)
	}
	// Expanded: parsed fields (JSON and logfmt), stream labels, fetched
	// when the line is opened (the page links to them).
	first, pay = f.openLine(t, first), f.openLine(t, pay)
	fields := pay.Find("table.fields").First().Text()
	for _, want := range []string{"msgcharge failed", "span_id00000000000000b2"} {
		if !strings.Contains(strings.Join(strings.Fields(fields), ""), strings.ReplaceAll(want, " ", "")) {
			t.Errorf("fields %q lack %q", fields, want)
		}
	}
	if got := first.Find("table.fields").First().Find("tr").Length(); got != 3 {
		t.Errorf("logfmt line parsed into %d fields, want 3", got)
	}
	if !strings.Contains(pay.Find("table.fields").Eq(1).Text(), "service_namepayments") {
		t.Errorf("stream labels: %q", pay.Find("table.fields").Eq(1).Text())
	}
	// A field's value is a button of the page's query form that narrows
	// the query; pressing it (the form's GET, with where=) is answered with
	// the narrowed page, from its first page, its window kept.
	msg := pay.Find(`table.fields button[name="where"]`).FilterFunction(func(_ int, b *goquery.Selection) bool { return b.Text() == "charge failed" })
	form := msg.AttrOr("form", "")
	if msg.Length() != 1 || d.Find("form#"+form+`[action="/logs"][method="get"]`).Length() != 1 {
		t.Fatalf("field button %d, its form %q", msg.Length(), form)
	}
	submit := url.Values{"q": {q}, "limit": {"100"}, "direction": {"backward"}, "from": {"now-15m"}, "to": {"now"}, "cursor": {"abc"}, "where": {msg.AttrOr("value", "")}}
	nw := f.app.get(t, "/logs?"+submit.Encode())
	next, _ := url.Parse(nw.Header().Get("Location"))
	if nw.Code != http.StatusSeeOther || next.Path != "/logs" || next.Query().Get("q") != q+` | json | msg="charge failed"` ||
		next.Query().Get("from") != "now-15m" || next.Query().Has("cursor") || next.Query().Has("where") || next.Query().Get("limit") != "100" {
		t.Errorf("narrowing: %d to %v", nw.Code, next)
	}
	// The histogram: two error/info bars, each a zoom link.
	vol := panelOf(d, "Log volume")
	if vol.Find(".vbar").Length() < 2 || vol.Find("rect.lvl-error").Length() != 1 {
		t.Errorf("volume: %d bars, %d error parts", vol.Find(".vbar").Length(), vol.Find("rect.lvl-error").Length())
	}
	zoom, _ := url.Parse(vol.Find(".vbar").First().AttrOr("href", ""))
	if zoom.Path != "/logs" || zoom.Query().Get("q") != q || zoom.Query().Get("from") == "" {
		t.Errorf("zoom link %v", zoom)
	}
	if st := vol.Find(".state").Text(); st != "3 lines" {
		t.Errorf("volume state %q", st)
	}
}

// openLine fetches a line's tables as logs.js does when the line is
// opened: the fragment of the page its link leads to.
func (f *logsFixture) openLine(t *testing.T, row *goquery.Selection) *goquery.Selection {
	t.Helper()
	page := row.Find(".logbody > .line-more > a").AttrOr("href", "")
	src := links.LogLineBody(page)
	if src == "" {
		t.Fatalf("a line's tables at %q, its page %q", src, page)
	}
	w := f.app.get(t, src)
	if w.Code != http.StatusOK {
		t.Fatalf("%s: %d %s", src, w.Code, w.Body)
	}
	return doc(t, w).Selection
}

// TestLogLinePage: a line's page (where its link leads without
// JavaScript) shows it opened with its tables, and its field values
// narrow the query it was listed by, over a window around it; a line
// Loki no longer has is a 404 that says so, a bad address a 400.
func TestLogLinePage(t *testing.T) {
	f := newLogsApp(t, Options{})
	f.push(t, "payments", "error", lokitest.Entry{Time: logBase, Line: jsonLine("payments", "error", "charge failed", traceHex, "00000000000000b2")},
		lokitest.Entry{Time: logBase, Line: jsonLine("payments", "error", "same nanosecond", traceHex, "00000000000000b3")})
	q := `{service_name="payments"} | json`
	d := doc(t, f.app.get(t, "/logs?q="+url.QueryEscape(q)+"&"+window()))
	row := panelOf(d, "Lines").Find(".logline").FilterFunction(func(_ int, r *goquery.Selection) bool {
		return strings.Contains(r.Find(".msg").Text(), "same nanosecond")
	})
	href := row.Find(".line-more a").AttrOr("href", "")
	if href == "" {
		t.Fatalf("no link to the line among %q", panelOf(d, "Lines").Text())
	}
	w := f.app.get(t, href)
	if w.Code != http.StatusOK {
		t.Fatalf("%s: %d %s", href, w.Code, w.Body)
	}
	p := doc(t, w)
	line := p.Find("details.logline[open]")
	if line.Length() != 1 || !strings.Contains(line.Find("table.fields").First().Text(), "same nanosecond") || strings.Contains(line.Text(), "charge failed") {
		t.Fatalf("the line's page shows %q", line.Text())
	}
	btn := line.Find(`table.fields button[name="where"]`).First()
	form := p.Find("form#" + btn.AttrOr("form", "") + `[action="/logs"]`)
	if form.Find(`input[name="q"]`).AttrOr("value", "") != q || form.Find(`input[name="from"]`).AttrOr("value", "") == "" {
		t.Errorf("the page's field buttons narrow %q over %q", form.Find(`input[name="q"]`).AttrOr("value", ""), form.Find(`input[name="from"]`).AttrOr("value", ""))
	}
	msg := line.Find(`table.fields button[name="where"]`).FilterFunction(func(_ int, b *goquery.Selection) bool { return b.Text() == "same nanosecond" })
	submit := url.Values{"q": {q}, "from": {form.Find(`input[name="from"]`).AttrOr("value", "")}, "where": {msg.AttrOr("value", "")}}
	next, _ := url.Parse(f.app.get(t, "/logs?"+submit.Encode()).Header().Get("Location"))
	if got := next.Query().Get("q"); got != q+` | msg="same nanosecond"` {
		t.Errorf("a parsed field narrows %q to %q", q, got)
	}
	u, _ := url.Parse(href)
	gone := u.Query()
	gone.Set("h", "nosuchline")
	if w := f.app.get(t, links.LogLinePath+"?"+gone.Encode()); w.Code != http.StatusNotFound || !strings.Contains(w.Body.String(), "no longer has this line") {
		t.Errorf("a line Loki does not have: %d", w.Code)
	}
	bad := u.Query()
	bad.Set("ts", "soon")
	if w := f.app.get(t, links.LogLineBodyPath+"?"+bad.Encode()); w.Code != http.StatusBadRequest {
		t.Errorf("a bad time: %d", w.Code)
	}
}

func TestLogsByTraceID(t *testing.T) {
	f := newLogsApp(t, Options{})
	other := "0af7651916cd43dd8448eb211c80319c"
	f.push(t, "gateway", "info",
		lokitest.Entry{Time: logBase, Line: jsonLine("gateway", "info", "checkout started", traceHex, "00000000000000a1")},
		lokitest.Entry{Time: logBase.Add(90 * time.Millisecond), Line: jsonLine("gateway", "error", "checkout failed", traceHex, "00000000000000a1")},
		lokitest.Entry{Time: logBase.Add(50 * time.Millisecond), Line: jsonLine("gateway", "info", "someone else", other, "00000000000000e1")})
	f.push(t, "payments", "error", lokitest.Entry{Time: logBase.Add(60 * time.Millisecond), Line: jsonLine("payments", "error", "charge failed", traceHex, "00000000000000b2")})
	f.push(t, "inventory", "info", lokitest.Entry{Time: logBase.Add(5 * time.Millisecond), Line: jsonLine("inventory", "info", "stock reserved", traceHex, "00000000000000c3")})
	// Tempo knows the trace: its window is used when the link gives none.
	td := checkoutTrace()
	for _, rs := range td.ResourceSpans {
		for _, s := range rs.ScopeSpans[0].Spans {
			shift := uint64(logBase.Sub(traceBase))
			s.StartTimeUnixNano += shift
			s.EndTimeUnixNano += shift
		}
	}
	f.tempo.Ingest(td)

	w := f.app.get(t, "/logs?trace_id="+strings.ToUpper(traceHex))
	if w.Code != http.StatusOK {
		t.Fatalf("status %d", w.Code)
	}
	d := doc(t, w)
	want := `{service_name=~".+"} |= "` + traceHex + `"`
	if got := d.Find("textarea#logq").Text(); got != want {
		t.Errorf("built query %q, want %q", got, want)
	}
	if note := d.Find(".logq-note").Text(); !strings.Contains(note, "trace's own, from Tempo") {
		t.Errorf("note %q", note)
	}
	if from := d.Find("#range-from").AttrOr("value", ""); from != logBase.Add(-time.Minute).Format(time.RFC3339) {
		t.Errorf("window from %q, want the trace start minus a minute", from)
	}
	var story []string
	panelOf(d, "Lines").Find(".logline").Each(func(_ int, s *goquery.Selection) {
		story = append(story, s.Find(".svc").Text()+": "+strings.Fields(s.Find(".msg").Text())[0])
	})
	// Each reads message first (#20 item 4), not as raw JSON.
	wantStory := []string{`gateway: checkout`, `inventory: stock`, `payments: charge`, `gateway: checkout`}
	if strings.Join(story, "\n") != strings.Join(wantStory, "\n") {
		t.Errorf("the trace's lines, oldest first, interleaved across services:\n%s\nwant\n%s", strings.Join(story, "\n"), strings.Join(wantStory, "\n"))
	}

	// q wins: the user's refinement is kept, trace_id only sets the window.
	refined := `{service_name="payments"} |= "` + traceHex + `"`
	d = doc(t, f.app.get(t, "/logs?trace_id="+traceHex+"&q="+url.QueryEscape(refined)))
	if got := d.Find("textarea#logq").Text(); got != refined {
		t.Errorf("q lost: %q", got)
	}
	if n := panelOf(d, "Lines").Find(".logline").Length(); n != 1 {
		t.Errorf("refined query: %d lines, want 1", n)
	}

	// A span narrows to its lines.
	d = doc(t, f.app.get(t, "/logs?trace_id="+traceHex+"&span_id=b2&"+window()))
	if n := panelOf(d, "Lines").Find(".logline").Length(); n != 1 || !strings.Contains(d.Find("textarea#logq").Text(), `|= "00000000000000b2"`) {
		t.Errorf("span: %d lines, query %q", n, d.Find("textarea#logq").Text())
	}
}

func TestLogsInvalidTraceID(t *testing.T) {
	f := newLogsApp(t, Options{})
	for _, bad := range []string{`4bf9") or {job=~".+`, "xyz", traceHex + "00"} {
		w := f.app.get(t, "/logs?trace_id="+url.QueryEscape(bad))
		if w.Code != http.StatusBadRequest {
			t.Errorf("%q: status %d, want 400", bad, w.Code)
			continue
		}
		d := doc(t, w)
		msg := d.Find(".logq .error-text").Text()
		if !strings.Contains(msg, "1 to 32 hexadecimal characters") || !strings.Contains(msg, bad) {
			t.Errorf("%q: message %q", bad, msg)
		}
		if v := d.Find(`.logq input[name="trace_id"]`).AttrOr("value", ""); v != bad {
			t.Errorf("%q: kept %q", bad, v)
		}
		if d.Find("section[data-panel], section.panel-loading").Length() != 0 {
			t.Errorf("%q: Loki was queried with an invalid ID", bad)
		}
	}
}

func TestLogsErrors(t *testing.T) {
	f := newLogsApp(t, Options{}, lokitest.WithMaxEntriesLimit(50))
	f.push(t, "orders", "info", lokitest.Entry{Time: logBase, Line: "x"})
	tests := []struct {
		name, query, limit string
		want               []string
	}{
		{"bad LogQL shows Loki's message", `{service_name="orders"`, "", []string{"Loki could not parse the query: parse error"}},
		{"a limit says which and how to narrow", `{service_name="orders"}`, "100", []string{"max entries limit per query exceeded", "max_entries_limit_per_query", "fewer lines"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := f.app.get(t, "/logs?q="+url.QueryEscape(tt.query)+"&limit="+tt.limit+"&"+window())
			if w.Code != http.StatusOK {
				t.Fatalf("status %d, want 200 for a panel failure", w.Code)
			}
			d := doc(t, w)
			if got := d.Find("textarea#logq").Text(); got != tt.query {
				t.Errorf("query not kept: %q", got)
			}
			msg := panelOf(d, "Lines").Find(".error-text").Text()
			for _, want := range tt.want {
				if !strings.Contains(msg, want) {
					t.Errorf("message %q lacks %q", msg, want)
				}
			}
		})
	}
}

func TestLogsLokiDownOrSlow(t *testing.T) {
	dead := closingServer(t)
	hang := make(chan struct{})
	slow := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-hang:
		case <-r.Context().Done():
		}
	})}
	sl, _ := net.Listen("tcp", "127.0.0.1:0")
	go slow.Serve(sl)
	t.Cleanup(func() { close(hang); slow.Close() })

	for name, tc := range map[string]struct{ url, want string }{
		"down": {dead, "Loki is unreachable."},
		"slow": {"http://" + sl.Addr().String(), "did not answer within 300ms"},
	} {
		t.Run(name, func(t *testing.T) {
			lc, _ := loki.New(datasources.Config{URL: tc.url, Timeout: 10 * time.Second})
			a := newApp(t, Options{Loki: lc, PanelTimeout: 300 * time.Millisecond})
			start := time.Now()
			w := a.get(t, "/logs?q="+url.QueryEscape(`{service_name="x"}`))
			if took := time.Since(start); took > 3*time.Second {
				t.Errorf("took %s", took)
			}
			d := doc(t, w)
			if w.Code != 200 || !strings.Contains(panelOf(d, "Lines").Find(".error-text").Text(), tc.want) {
				t.Errorf("status %d, Lines panel %q, want %q", w.Code, panelOf(d, "Lines").Text(), tc.want)
			}
		})
	}
}

// TestLogsUntrustedLines: each hostile line renders as inert text.
func TestLogsUntrustedLines(t *testing.T) {
	f := newLogsApp(t, Options{})
	huge := strings.Repeat("A", 1<<20)
	hostile := []string{
		`<script>alert("xss")</script>`,
		`"><img src=x onerror=alert(1)>`,
		"\x1b[31mRED\x1b[0m \x1b]0;title\x07done",
		"bad \xff\xfe bytes",
		huge,
	}
	for i, line := range hostile {
		f.push(t, "evil", "info", lokitest.Entry{Time: logBase.Add(time.Duration(i) * time.Second), Line: line})
	}
	w := f.app.get(t, "/logs?q="+url.QueryEscape(`{service_name="evil"}`)+"&direction=forward&"+window())
	body := w.Body.String()
	for _, bad := range []string{`<script>alert`, `<img src=x`, "\x1b", "\xff"} {
		if strings.Contains(body, bad) {
			t.Errorf("the page contains %q raw", bad)
		}
	}
	if !utf8.ValidString(body) {
		t.Error("the page is not valid UTF-8")
	}
	d := doc(t, w)
	rows := panelOf(d, "Lines").Find(".logline")
	if rows.Length() != 5 {
		t.Fatalf("%d rows, want 5", rows.Length())
	}
	msg := func(i int) string { return strings.TrimSpace(rows.Eq(i).Find(".msg").Contents().First().Text()) }
	for i, want := range []string{`<script>alert("xss")</script>`, `"><img src=x onerror=alert(1)>`, "RED done", "bad \uFFFD\uFFFD bytes"} {
		if got := msg(i); got != want {
			t.Errorf("line %d shows %q, want the text %q", i, got, want)
		}
	}
	if d.Find("script:not([src])").Length() != 0 || d.Find("img").Length() != 0 {
		t.Error("a line became an element")
	}
	big := rows.Eq(4)
	if n := len(msg(4)); n != views.PreviewBytes {
		t.Errorf("1 MB line preview is %d bytes, want %d", n, views.PreviewBytes)
	}
	if s := big.Find(".cut").Text(); s != "… (1022.0 KB more)" {
		t.Errorf("the cut preview says %q", s)
	}
	// Opened, the line shows the rest behind "show all".
	open := f.openLine(t, big)
	if s := open.Find(".showall summary").Text(); s != "show all (1022.0 KB more)" {
		t.Errorf("show all: %q", s)
	}
	if n := len(open.Find("pre.rest").Text()); n != 1<<20-views.PreviewBytes {
		t.Errorf("the rest holds %d bytes", n)
	}
	if open.Find("script:not([src])").Length() != 0 || open.Find("img").Length() != 0 {
		t.Error("an opened line became an element")
	}
}

func TestLogsContext(t *testing.T) {
	f := newLogsApp(t, Options{})
	var es []lokitest.Entry
	for i := range 30 {
		es = append(es, lokitest.Entry{Time: logBase.Add(time.Duration(i) * time.Second), Line: fmt.Sprintf("line %02d", i)})
	}
	// Two lines share line 15's nanosecond.
	es = append(es, lokitest.Entry{Time: logBase.Add(15 * time.Second), Line: "line 15b"})
	f.push(t, "orders", "info", es...)
	f.push(t, "gateway", "info", lokitest.Entry{Time: logBase.Add(15 * time.Second), Line: "other stream"})

	d := doc(t, f.app.get(t, "/logs?q="+url.QueryEscape(`{service_name="orders"}`)+"&limit=100&"+window()))
	var ctxURL string
	panelOf(d, "Lines").Find(".logline").Each(func(_ int, s *goquery.Selection) {
		if strings.TrimSpace(s.Find(".msg").Text()) == "line 15" {
			// In the line's expanded view, fetched when it is opened.
			ctxURL = f.openLine(t, s).Find("a:contains('show context')").AttrOr("href", "")
		}
	})
	if ctxURL == "" {
		t.Fatal("no show context link on line 15")
	}
	w := f.app.get(t, ctxURL)
	if w.Code != 200 {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	cd := doc(t, w)
	var got []string
	cd.Find(".logline").Each(func(_ int, s *goquery.Selection) { got = append(got, strings.TrimSpace(s.Find(".msg").Text())) })
	var want []string
	for i := 5; i <= 25; i++ {
		want = append(want, fmt.Sprintf("line %02d", i))
		if i == 15 {
			want = append(want, "line 15b")
		}
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("context:\n%v\nwant\n%v", got, want)
	}
	if hl := strings.TrimSpace(cd.Find(".logline.hl .msg").Text()); hl != "line 15" {
		t.Errorf("highlighted %q", hl)
	}
}

func TestLogsEmptyTraceSaysWhy(t *testing.T) {
	f := newLogsApp(t, Options{})
	dashed := "4bf92f35-77b3-4da6-a3ce-929d0e0e4736"
	// The ID is written as a UUID, and kept as metadata under another name.
	f.push(t, "legacy", "info", lokitest.Entry{Time: logBase, Line: "request trace=" + dashed, Metadata: map[string]string{"traceId": traceHex}})
	f.push(t, "legacy", "info", lokitest.Entry{Time: logBase.Add(-30 * time.Minute), Line: "old " + traceHex})

	d := doc(t, f.app.get(t, "/logs?trace_id="+traceHex+"&"+window()))
	diag := panelOf(d, "Lines").Find(".diagnosis")
	if got := diag.Find("pre.tried").Text(); got != `{service_name=~".+"} |= "`+traceHex+`"` {
		t.Errorf("tried %q", got)
	}
	text := strings.Join(strings.Fields(diag.Text()), " ")
	for _, want := range []string{"Window too tight?: yes", "Trace ID written in another form?: yes", "Found with dashes: " + dashed} {
		if !strings.Contains(text, want) {
			t.Errorf("diagnosis lacks %q:\n%s", want, text)
		}
	}

	// The label form, with the metadata named traceId in Loki.
	g := newLogsApp(t, Options{TraceLogQuery: `{service_name=~".+"} | trace_id="${trace_id}"`})
	g.push(t, "legacy", "info", lokitest.Entry{Time: logBase, Line: "request", Metadata: map[string]string{"traceId": traceHex}})
	d = doc(t, g.app.get(t, "/logs?trace_id="+traceHex+"&"+window()))
	diag = panelOf(d, "Lines").Find(".diagnosis")
	text = strings.Join(strings.Fields(diag.Text()), " ")
	if !strings.Contains(text, "no line in these streams carries trace_id. Close names that exist: traceId") {
		t.Errorf("names check:\n%s", text)
	}
	use := diag.Find("a:contains('Use traceId')").AttrOr("href", "")
	u, _ := url.Parse(use)
	if q := u.Query().Get("q"); q != `{service_name=~".+"} | traceId="`+traceHex+`"` {
		t.Errorf("fix link query %q", q)
	}
	if n := panelOf(doc(t, g.app.get(t, use)), "Lines").Find(".logline").Length(); n != 1 {
		t.Errorf("following the fix finds %d lines, want 1", n)
	}
}

func TestLogsNoQueryShowsExamples(t *testing.T) {
	f := newLogsApp(t, Options{})
	w := f.app.get(t, "/logs")
	d := doc(t, w)
	if w.Code != 200 || d.Find(".logs-start a").Length() < 3 || d.Find("section.panel-loading").Length() != 0 {
		t.Errorf("status %d, %d examples", w.Code, d.Find(".logs-start a").Length())
	}
}
