package handlers

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/ariadne-dev/ariadne/datasources/lokitest"
)

// traceAtLogBase is the test trace moved to logBase, with a line for the
// gateway, the failing payments span and the inventory span.
func traceAtLogBase(t *testing.T, f *logsFixture) {
	t.Helper()
	td := checkoutTrace()
	shift := uint64(logBase.Sub(traceBase)) // negative: wraps, and adding it wraps back
	for _, rs := range td.ResourceSpans {
		for _, s := range rs.ScopeSpans[0].Spans {
			s.StartTimeUnixNano += shift
			s.EndTimeUnixNano += shift
		}
	}
	f.tempo.Ingest(td)
	f.push(t, "gateway", "info", lokitest.Entry{Time: logBase.Add(time.Millisecond), Line: jsonLine("gateway", "info", "checkout started", traceHex, "00000000000000a1")})
	f.push(t, "payments", "error", lokitest.Entry{Time: logBase.Add(89 * time.Millisecond), Line: jsonLine("payments", "error", "charge failed: provider did not answer", traceHex, "00000000000000b2")})
	f.push(t, "payments", "info", lokitest.Entry{Time: logBase.Add(21 * time.Millisecond), Line: jsonLine("payments", "info", "charging card", traceHex, "00000000000000b2")})
}

func TestTracePageLogs(t *testing.T) {
	f := newLogsApp(t, Options{})
	traceAtLogBase(t, f)
	w := f.app.get(t, "/traces/"+traceHex+"?span=00000000000000b2")
	if w.Code != http.StatusOK {
		t.Fatalf("status %d", w.Code)
	}
	d := doc(t, w)
	// The waterfall comes before the Logs section in the document.
	body := w.Body.String()
	if strings.Index(body, `id="waterfall"`) > strings.Index(body, `id="trace-logs"`) {
		t.Error("the Logs section comes before the waterfall")
	}
	logs := d.Find(`#trace-logs section.panel-done[data-panel="Logs"]`)
	var got []string
	logs.Find(".logline").Each(func(_ int, s *goquery.Selection) {
		got = append(got, s.Find(".off").Text()+" "+s.Find(".svc").Text()+" "+s.AttrOr("data-span", ""))
	})
	want := []string{"+1.00 ms gateway 00000000000000a1", "+21.0 ms payments 00000000000000b2", "+89.0 ms payments 00000000000000b2"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("trace logs:\n%v\nwant\n%v", got, want)
	}
	if st := logs.Find(".state").Text(); st != "3 lines" {
		t.Errorf("state %q", st)
	}
	// The selected span holds a place its lines fill (trace.js).
	if n := d.Find(`#span-details .span-logs[data-span="00000000000000b2"]`).Length(); n != 1 {
		t.Errorf("%d span-logs holders", n)
	}

	// The span fragment, as the script fetches it, has the lines inline.
	fd := doc(t, f.app.get(t, "/traces/"+traceHex+"/spans/00000000000000b2"))
	var inline []string
	fd.Find(".span-logs .logline .msg").Each(func(_ int, s *goquery.Selection) { inline = append(inline, s.Text()) })
	if len(inline) != 2 || !strings.Contains(inline[1], "charge failed: provider did not answer") {
		t.Errorf("inline lines of the failing span: %q", inline)
	}
	if fd.Find(".span-logs .logline.lvl-error").Length() != 1 {
		t.Error("the error line is not marked as an error")
	}
}

func TestTracePageLogsEmptyAndLokiDown(t *testing.T) {
	f := newLogsApp(t, Options{})
	traceAtLogBase(t, f)
	f.loki.Close()
	start := time.Now()
	w := f.app.get(t, "/traces/"+traceHex)
	if w.Code != http.StatusOK || time.Since(start) > 5*time.Second {
		t.Fatalf("status %d after %s: Loki down must not fail the trace page", w.Code, time.Since(start))
	}
	d := doc(t, w)
	if d.Find("#waterfall .row").Length() != 4 {
		t.Error("no waterfall")
	}
	if e := d.Find("#trace-logs .error-text").Text(); e != "Loki is unreachable." {
		t.Errorf("logs panel error %q", e)
	}
}

func TestTraceNotFoundFromExemplar(t *testing.T) {
	f := newLogsApp(t, Options{})
	from, to := logBase.Add(-15*time.Minute).Format(time.RFC3339), logBase.Add(15*time.Minute).Format(time.RFC3339)
	w := f.app.get(t, "/traces/"+traceHex+"?"+url.Values{"from": {from}, "to": {to}}.Encode())
	if w.Code != http.StatusNotFound {
		t.Fatalf("status %d", w.Code)
	}
	d := doc(t, w)
	hints := d.Find("main li").First().Text()
	if !strings.Contains(hints, "The link came with a time window") || !strings.Contains(hints, "sampled out") {
		t.Errorf("first hint %q", hints)
	}
	var links []string
	d.Find("main a.button").Each(func(_ int, s *goquery.Selection) { links = append(links, s.Text()+" "+s.AttrOr("href", "")) })
	wantLogs := "/logs?" + url.Values{"trace_id": {traceHex}, "from": {from}, "to": {to}}.Encode()
	if len(links) != 2 || links[0] != "Search all of Tempo's retention /traces/"+traceHex || links[1] != "Logs with this trace ID in that window "+wantLogs {
		t.Errorf("links %q", links)
	}
}

// The span's inline lines and its "Logs for this span" link search one
// window: a line 45 s after the span ends is in both or in neither.
func TestSpanLogsLinkAgreesWithInlineLines(t *testing.T) {
	f := newLogsApp(t, Options{})
	traceAtLogBase(t, f)
	late := logBase.Add(90*time.Millisecond + 45*time.Second)
	f.push(t, "payments", "warn", lokitest.Entry{Time: late, Line: jsonLine("payments", "warn", "retry budget exhausted", traceHex, "00000000000000b2")})

	msgs := func(d *goquery.Document) []string {
		var out []string
		d.Find(".logline .msg").Each(func(_ int, s *goquery.Selection) { out = append(out, strings.TrimSpace(s.Text())) })
		return out
	}
	fd := doc(t, f.app.get(t, "/traces/"+traceHex+"/spans/00000000000000b2"))
	inline := msgs(fd)
	link, ok := fd.Find(`a:contains("Logs for this span")`).Attr("href")
	if !ok {
		t.Fatal(`no "Logs for this span" link`)
	}
	w := f.app.get(t, link)
	if w.Code != http.StatusOK {
		t.Fatalf("%s: status %d", link, w.Code)
	}
	linked := msgs(doc(t, w))
	if len(inline) != 3 || strings.Join(inline, "|") != strings.Join(linked, "|") {
		t.Errorf("inline lines %q\nlink %s shows %q", inline, link, linked)
	}
}
