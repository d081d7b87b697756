package handlers

import (
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	resourcepb "go.opentelemetry.io/proto/otlp/resource/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"

	"github.com/PuerkitoBio/goquery"
	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/datasources/tempo"
	"github.com/ariadne-dev/ariadne/datasources/tempotest"
	"github.com/ariadne-dev/ariadne/views"
)

const traceHex = "4bf92f3577b34da6a3ce929d0e0e4736"

func hexBytes(s string) []byte {
	b, _ := hex.DecodeString(s)
	return b
}

func str(k, v string) *commonpb.KeyValue {
	return &commonpb.KeyValue{Key: k, Value: &commonpb.AnyValue{Value: &commonpb.AnyValue_StringValue{StringValue: v}}}
}

// traceBase is where the test trace starts: five minutes before fixtureNow.
var traceBase = fixtureNow.Add(-5 * time.Minute)

// pbSpan is a span of the test trace; times in ms after traceBase.
func pbSpan(id, parent, name string, startMs, endMs uint64, attrs ...*commonpb.KeyValue) *tracepb.Span {
	base := uint64(traceBase.UnixNano())
	s := &tracepb.Span{TraceId: hexBytes(traceHex), SpanId: hexBytes(id), Name: name,
		StartTimeUnixNano: base + startMs*1e6, EndTimeUnixNano: base + endMs*1e6, Attributes: attrs, Kind: tracepb.Span_SPAN_KIND_SERVER}
	if parent != "" {
		s.ParentSpanId = hexBytes(parent)
	}
	return s
}

func resourceSpans(service string, spans ...*tracepb.Span) *tracepb.ResourceSpans {
	return &tracepb.ResourceSpans{Resource: &resourcepb.Resource{Attributes: []*commonpb.KeyValue{str("service.name", service)}},
		ScopeSpans: []*tracepb.ScopeSpans{{Spans: spans}}}
}

// checkoutTrace: gateway → payments (failing, with an exception) and a
// skewed inventory span, plus an orphan whose parent never arrived.
func checkoutTrace() *tracepb.TracesData {
	fail := pbSpan("00000000000000b2", "00000000000000a1", "POST /charge", 20, 90, str("http.request.method", "POST"), str("http.route", "/charge"), str("http.response.status_code", "504"))
	fail.Status = &tracepb.Status{Code: tracepb.Status_STATUS_CODE_ERROR, Message: "payment provider did not answer"}
	fail.Events = []*tracepb.Span_Event{{Name: "exception", TimeUnixNano: fail.EndTimeUnixNano,
		Attributes: []*commonpb.KeyValue{str("exception.type", "*errors.errorString"), str("exception.message", "payment provider did not answer within 800ms"), str("exception.stacktrace", "goroutine 1 [running]:\nmain.charge()")}}}
	return &tracepb.TracesData{ResourceSpans: []*tracepb.ResourceSpans{
		resourceSpans("gateway", pbSpan("00000000000000a1", "", "POST /api/checkout", 0, 100, str("http.request.method", "POST"), str("http.route", "/api/checkout"), str("http.response.status_code", "502"))),
		resourceSpans("payments", fail),
		resourceSpans("inventory", pbSpan("00000000000000c3", "00000000000000a1", `SELECT <script>alert(1)</script>`, 0, 10, str("db.system", "postgresql"), str("db.query.text", "SELECT quantity FROM inventory FOR UPDATE"))),
		resourceSpans("orphans", pbSpan("00000000000000d4", "00000000000000ff", "late span", 50, 60)),
	}}
}

func newTraceApp(t *testing.T, td ...*tracepb.TracesData) *testApp {
	t.Helper()
	b := newTestBackends(t, backendOptions{tempo: []tempotest.Option{tempotest.WithMaxBytesPerTrace(256 << 20)}})
	for _, d := range td {
		b.tempo.Ingest(d)
	}
	return newApp(t, Options{Tempo: b.tempoClient}) // no Loki: the trace page alone
}

func TestTracePage(t *testing.T) {
	td := checkoutTrace()
	td.ResourceSpans[2].ScopeSpans[0].Spans[0].StartTimeUnixNano -= 5e6 // skew
	a := newTraceApp(t, td)
	w := a.get(t, "/traces/"+strings.ToUpper(traceHex))
	if w.Code != http.StatusOK {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	d := doc(t, w)
	if got := d.Find("h1").Text(); got != "gateway: POST /api/checkout → 502" {
		t.Errorf("title %q", got)
	}
	if got := d.Find(".waterfall .row:not(.more)").Length(); got != 4 {
		t.Errorf("%d rows, want 4", got)
	}
	facts := d.Find(".trace-facts").Text()
	for _, want := range []string{"Spans4", "Errors1", "Services4", "Duration105 ms", "5 min ago"} {
		if !strings.Contains(strings.Join(strings.Fields(facts), ""), strings.ReplaceAll(want, " ", "")) {
			t.Errorf("facts %q lack %q", strings.Join(strings.Fields(facts), " "), want)
		}
	}
	failing := d.Find("#s-00000000000000b2")
	if !failing.HasClass("error") || !strings.Contains(failing.Text(), "POST /charge → 504") {
		t.Errorf("failing span row: class %q text %q", failing.AttrOr("class", ""), failing.Text())
	}
	if !d.Find("#s-00000000000000d4").Find(".orphan").Is("*") {
		t.Error("the orphan span is not marked 'missing parent'")
	}
	if strings.Contains(w.Body.String(), "<script>alert(1)") {
		t.Error("a span name was rendered as HTML")
	}
	if skew := d.Find("#s-00000000000000c3 .skew").AttrOr("title", ""); skew != "starts 5.00 ms before its parent" {
		t.Errorf("skew note %q", skew)
	}
	if !strings.Contains(d.Find(".banner.warn").Text(), "1 span(s) start before or end after their parent") {
		t.Errorf("no skew banner: %q", d.Find(".banner.warn").Text())
	}
	// The trace's own time ± 1 min, whole seconds rounded outwards: it
	// ends at 10:00:00.1, so the window ends at 10:01:01, not before.
	logs, _ := d.Find(".trace-links a").First().Attr("href")
	if logs != "/logs?from=2026-11-26T09%3A58%3A59Z&to=2026-11-26T10%3A01%3A01Z&trace_id="+traceHex {
		t.Errorf("logs link %q", logs)
	}
	// The service graph shows who called whom, with the failure.
	if g := d.Find(".service-graph").Text(); !strings.Contains(g, "1 call, 1 failed") {
		t.Errorf("service graph %q", g)
	}
}

func TestTracePageSkewAdjusted(t *testing.T) {
	td := checkoutTrace()
	td.ResourceSpans[2].ScopeSpans[0].Spans[0].StartTimeUnixNano -= 5e6
	a := newTraceApp(t, td)
	d := doc(t, a.get(t, "/traces/"+traceHex+"?skew=adjust&span=00000000000000c3"))
	if got := d.Find("#span-details .warn-text").Text(); got != "starts 5.00 ms before its parent; shown shifted by 5.00 ms" {
		t.Errorf("adjusted skew note %q", got)
	}
	if link := d.Find(".banner.warn a").AttrOr("href", ""); strings.Contains(link, "skew=") {
		t.Errorf("the raw-times link keeps skew: %q", link)
	}
}

func TestTracePageSpanDetails(t *testing.T) {
	a := newTraceApp(t, checkoutTrace())
	for _, path := range []string{"/traces/" + traceHex + "?span=00000000000000b2", "/traces/" + traceHex + "/spans/00000000000000b2"} {
		w := a.get(t, path)
		if w.Code != 200 {
			t.Fatalf("%s: %d", path, w.Code)
		}
		det := doc(t, w).Find("#span-details")
		text := det.Text()
		for _, want := range []string{"POST /charge → 504", "payment provider did not answer", "*errors.errorString: payment provider did not answer within 800ms", "goroutine 1 [running]:", "Logs for this span"} {
			if !strings.Contains(text, want) {
				t.Errorf("%s: details lack %q", path, want)
			}
		}
		if href := det.Find(`a[href^="/logs"]`).AttrOr("href", ""); !strings.Contains(href, "span_id=00000000000000b2") {
			t.Errorf("span logs link %q", href)
		}
	}
	// The database span shows its statement.
	d := doc(t, a.get(t, "/traces/"+traceHex+"?span=00000000000000c3"))
	if got := d.Find("pre.statement").Text(); got != "SELECT quantity FROM inventory FOR UPDATE" {
		t.Errorf("statement %q", got)
	}
	if w := a.get(t, "/traces/"+traceHex+"/spans/0000000000000999"); w.Code != 404 {
		t.Errorf("unknown span: %d", w.Code)
	}
}

// TestTracePageFind: Find searches attribute values and status messages
// on the server, on the page (?find=, no JavaScript) and as the fragment
// the page's script fetches; hostile text stays text.
func TestTracePageFind(t *testing.T) {
	a := newTraceApp(t, checkoutTrace())
	for _, path := range []string{"/traces/" + traceHex + "?find=postgres", "/traces/" + traceHex + "/find?find=postgres"} {
		d := doc(t, a.get(t, path))
		items := d.Find("#find-results li")
		if items.Length() != 1 || !strings.Contains(items.Text(), "db.system") || d.Find("#find-results").AttrOr("data-ids", "") != "00000000000000c3" {
			t.Errorf("%s: matches %q", path, items.Text())
		}
	}
	d := doc(t, a.get(t, "/traces/"+traceHex+"?find=did+not+answer"))
	if d.Find("#waterfall .row.found").Length() != 1 || d.Find(`#span-find`).AttrOr("value", "") != "did not answer" {
		t.Errorf("the matching row is not marked, or the form lost the query")
	}
	w := a.get(t, "/traces/"+traceHex+"/find?find=%3Cscript%3E")
	if w.Code != 200 || strings.Contains(w.Body.String(), "<script>") || !strings.Contains(w.Body.String(), "1 span matches") {
		t.Errorf("find <script>: %d %s", w.Code, w.Body.String())
	}
	if w := a.get(t, "/traces/not-an-id/find?find=x"); w.Code != 400 {
		t.Errorf("invalid ID: %d", w.Code)
	}
}

func TestTracePageProblems(t *testing.T) {
	a := newTraceApp(t)
	w := a.get(t, "/traces/not-a-trace")
	if w.Code != 400 || !strings.Contains(w.Body.String(), "1 to 32 hexadecimal characters") {
		t.Errorf("invalid ID: %d", w.Code)
	}
	w = a.get(t, "/traces/"+traceHex)
	d := doc(t, w)
	if w.Code != 404 || !strings.Contains(d.Text(), "outside Tempo's retention") || d.Find("code").Text() != traceHex {
		t.Errorf("not found: %d %q", w.Code, d.Find("main").Text())
	}
	// Tempo unreachable: a page that says so, with status 502.
	down, _ := tempo.New(datasources.Config{URL: "http://127.0.0.1:1", Timeout: time.Second})
	b := newApp(t, Options{Tempo: down})
	w = b.get(t, "/traces/"+traceHex)
	if w.Code != http.StatusBadGateway || !strings.Contains(doc(t, w).Find("main").Text(), "Tempo is unreachable") {
		t.Errorf("tempo down: %d %s", w.Code, doc(t, w).Find("main").Text())
	}
	// Not configured: says so.
	c := newApp(t, Options{})
	if w := c.get(t, "/traces/"+traceHex); w.Code != 503 || !strings.Contains(w.Body.String(), "TEMPO_URL") {
		t.Errorf("not configured: %d", w.Code)
	}
}

// TestTracePageWindowsHugeTraces: a 30,000-span trace shows one window
// of rows and a link on; every span is reachable through the windows (the
// script's fragments, served from the trace the page was rendered from),
// and ?depth= folds levels without hiding spans for good (#15: such a
// trace used to fold to its root, and every way in returned that page).
func TestTracePageWindowsHugeTraces(t *testing.T) {
	td := tempotest.GenerateTrace(30000, 7)
	a := newTraceApp(t, td)
	id := hex.EncodeToString(td.ResourceSpans[0].ScopeSpans[0].Spans[0].TraceId)
	w := a.get(t, "/traces/"+id)
	if w.Code != 200 {
		t.Fatalf("status %d", w.Code)
	}
	d := doc(t, w)
	if n := d.Find("#wf-rows > .row:not(.more)").Length(); n != views.RowWindow {
		t.Fatalf("%d rows on the page, want one window of %d", n, views.RowWindow)
	}
	next := d.Find("#wf-rows > .row.more.next a").AttrOr("href", "")
	if !strings.Contains(next, "row="+strconv.Itoa(views.RowWindow)) {
		t.Fatalf("next window link %q", next)
	}
	if got := doc(t, a.get(t, next)).Find("#wf-rows > .row:not(.more)").First().AttrOr("id", ""); got == "" || d.Find("#"+got).Length() != 0 {
		t.Errorf("the next window starts with %q, already on the first page", got)
	}
	seen := map[string]bool{}
	for row := 0; ; row += views.RowWindow {
		f := doc(t, a.get(t, "/traces/"+id+"/rows?row="+strconv.Itoa(row)))
		f.Find(".row:not(.more)").Each(func(_ int, r *goquery.Selection) { seen[r.AttrOr("id", "")] = true })
		if f.Find(".row.more.next").Length() == 0 || row > 40000 {
			break
		}
	}
	if len(seen) != 30000 {
		t.Errorf("%d of 30,000 spans reachable through the windows", len(seen))
	}
	// Depth 1: the roots alone, each saying how much it folds.
	d1 := doc(t, a.get(t, "/traces/"+id+"?depth=1"))
	if n := d1.Find("#wf-rows > .row:not(.more)").Length(); n < 1 || n > 10 || !strings.Contains(d1.Find(".row.closed .kids").First().Text(), "+") {
		t.Errorf("depth 1: %d rows", n)
	}
	// (Without its #fragment, which a browser does not send.)
	unfold, _, _ := strings.Cut(d1.Find(".row.closed a.tg").First().AttrOr("href", ""), "#")
	if n := doc(t, a.get(t, unfold)).Find("#wf-rows > .row:not(.more)").Length(); n < 2 {
		t.Errorf("unfolding %s: %d rows", unfold, n)
	}
	if w := a.get(t, "/traces/not-an-id/rows"); w.Code != 400 {
		t.Errorf("rows of an invalid ID: %d", w.Code)
	}
}
