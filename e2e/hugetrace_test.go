package e2e

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"io"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	collectorpb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	resourcepb "go.opentelemetry.io/proto/otlp/resource/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/proto"

	"github.com/ariadne-dev/ariadne/datasources/tempotest"
	"github.com/ariadne-dev/ariadne/views"
)

// rowsProbe records when the first waterfall row reaches the DOM, for the
// figures below; injected through the DevTools protocol.
const rowsProbe = `new MutationObserver(function (_, obs) {
  if (document.querySelector("#waterfall .row")) { window.__firstRow = performance.now(); obs.disconnect(); }
}).observe(document, {childList: true, subtree: true});`

// pushTrace sends a generated trace of n spans to the world's Tempo and
// returns it and its ID. One trace per size is pushed per test run: the
// 100,000-span one serves every test that needs it.
func pushTrace(t *testing.T, a *app, n int) (*tracepb.TracesData, string) {
	t.Helper()
	pushedMu.Lock()
	defer pushedMu.Unlock()
	if p, ok := pushed[n]; ok {
		return p.td, p.id
	}
	td := tempotest.GenerateTrace(n, time.Now().UnixNano()%1000)
	// In batches of at most 100,000 spans, as an exporter sends them (one
	// request of a million would pass any sane request limit).
	for _, batch := range batches(td, 100_000) {
		body, err := proto.Marshal(batch)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.Post(a.World.TempoOTLPURL+"/v1/traces", "application/x-protobuf", bytes.NewReader(body))
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("push: %v %v", resp, err)
		}
		resp.Body.Close()
	}
	id := hex.EncodeToString(td.ResourceSpans[0].ScopeSpans[0].Spans[0].TraceId)
	// Wait until Tempo serves it whole: a page opened sooner could be a
	// 404 or a partial trace, not what the figures are about.
	for deadline := time.Now().Add(90 * time.Second); ; time.Sleep(500 * time.Millisecond) {
		req, _ := http.NewRequest(http.MethodGet, a.World.TempoURL+"/api/v2/traces/"+id, nil)
		req.Header.Set("Accept", "application/protobuf") // as Ariadne asks
		r, err := http.DefaultClient.Do(req)
		if err == nil {
			io.Copy(io.Discard, r.Body)
			r.Body.Close()
			if r.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("Tempo does not serve the %d-span trace %s after 90 s (last: %v %v)", n, id, r, err)
		}
	}
	pushed[n] = pushedTrace{td, id}
	return td, id
}

// batches splits td's spans into export requests of at most size spans,
// each span under its own resource and scope.
func batches(td *tracepb.TracesData, size int) []*collectorpb.ExportTraceServiceRequest {
	var out []*collectorpb.ExportTraceServiceRequest
	cur, count := &collectorpb.ExportTraceServiceRequest{}, 0
	for _, rs := range td.ResourceSpans {
		for _, ss := range rs.ScopeSpans {
			for spans := ss.Spans; len(spans) > 0; {
				k := min(len(spans), size-count)
				cur.ResourceSpans = append(cur.ResourceSpans, &tracepb.ResourceSpans{Resource: rs.Resource, SchemaUrl: rs.SchemaUrl,
					ScopeSpans: []*tracepb.ScopeSpans{{Scope: ss.Scope, SchemaUrl: ss.SchemaUrl, Spans: spans[:k]}}})
				spans, count = spans[k:], count+k
				if count == size {
					out, cur, count = append(out, cur), &collectorpb.ExportTraceServiceRequest{}, 0
				}
			}
		}
	}
	if count > 0 {
		out = append(out, cur)
	}
	return out
}

// mustShowTrace fails at once, with what the page says, when the loaded
// page is not a trace (a 404 or a backend error) instead of waiting on it.
func (b *browser) mustShowTrace(t *testing.T) {
	t.Helper()
	ok, _ := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`!!document.getElementById("wf-rows")`))
	if !ok {
		main, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`(document.querySelector("main") || document.body).innerText.slice(0, 400)`))
		t.Fatalf("not a trace page: %q", main)
	}
}

// tempoLimit is the world's Tempo per-trace limit: raised, as operators
// raise max_bytes_per_trace, so a 100,000-span trace arrives whole (and a
// million-span one with ARIADNE_E2E_1M).
func tempoLimit() int64 {
	if os.Getenv("ARIADNE_E2E_1M") != "" {
		return 1 << 30
	}
	return 128 << 20
}

type pushedTrace struct {
	td *tracepb.TracesData
	id string
}

var (
	pushedMu sync.Mutex
	pushed   = map[int]pushedTrace{}
)

// TestHugeTraceFigures logs, for 10,000- and 100,000-span traces, the
// Chromium figures the large-trace issue (#15) measures: first rows in the
// DOM, DOMContentLoaded, load, DOM elements, click on a span → details
// painted, key → next frame. Each size gets a fresh browser. Figures, not
// assertions on time: the ratios go in the closing note. It asserts what
// must hold at any size: the page loads and every span can be reached.
//
// ARIADNE_E2E_1M=1 adds a million-span trace (the world's Tempo then takes
// traces up to 1 GiB): a minute and gigabytes, so not in make test.
func TestHugeTraceFigures(t *testing.T) {
	a := demoApp(t)
	sizes := []int{10_000, 100_000}
	if os.Getenv("ARIADNE_E2E_1M") != "" {
		sizes = append(sizes, 1_000_000)
	}
	for _, n := range sizes {
		_, id := pushTrace(t, a, n)
		// Twice: the first page of a size is the first time this Ariadne
		// needs that much memory, which a new machine (a VM whose memory
		// was never touched) makes the host hand over page by page; the
		// second is the same trace opened again (while the recent-trace
		// cache still holds the first, so it too needs fresh memory).
		for _, when := range []string{"first open", "again"} {
			// A subtest each, so each browser is gone before the next.
			t.Run(strconv.Itoa(n)+" "+when, func(t *testing.T) { traceFigures(t, a, n, id, when) })
		}
	}
}

// traceFigures opens trace id (n spans) in a fresh browser and logs the
// figures of TestHugeTraceFigures.
func traceFigures(t *testing.T, a *app, n int, id, when string) {
	t.Helper()
	b := newBrowser(t)
	if _, err := chromedp.Call(b.ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: rowsProbe}); err != nil {
		t.Fatal(err)
	}
	// The figures are Ariadne's: the browser is started, and this
	// process (whose Tempo holds the pushed spans, gigabytes at 1M) has
	// collected its garbage, before the page is asked for, so neither
	// Chromium's start nor this process's collector runs beside it.
	if err := chromedp.Do(b.ctx, chromedp.EmulateViewport(1400, 900), chromedp.Navigate("about:blank")); err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	time.Sleep(time.Second)
	if err := chromedp.Do(b.ctx, chromedp.Navigate(a.URL+"/traces/"+id)); err != nil {
		t.Fatal(err)
	}
	b.mustShowTrace(t)
	// Wait for the load event, then read the navigation figures.
	if _, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`new Promise(r => document.readyState === "complete" ? r(true) : addEventListener("load", () => r(true)))`, chromedp.EvalAwaitPromise)); err != nil {
		t.Fatal(err)
	}
	nav, err := chromedp.Run(b.ctx, chromedp.Evaluate[map[string]float64](`(() => {
		const n = performance.getEntriesByType("navigation")[0];
		return {first: window.__firstRow || -1, ttfb: n.responseStart, end: n.responseEnd, dcl: n.domContentLoadedEventEnd, load: n.loadEventEnd,
			elements: document.getElementsByTagName("*").length, rows: document.querySelectorAll("#waterfall .row:not(.more)").length};
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	click, err := chromedp.Run(b.ctx, chromedp.Evaluate[float64](`new Promise(res => {
		const rows = document.querySelectorAll("#waterfall .row:not(.more) a.nm");
		const a = rows[Math.min(rows.length - 1, 40)];
		const t0 = performance.now();
		const done = () => requestAnimationFrame(() => requestAnimationFrame(() => res(performance.now() - t0)));
		const obs = new MutationObserver(() => { if (document.querySelector("#span-details")) { obs.disconnect(); done(); } });
		obs.observe(document.body, {childList: true, subtree: true});
		document.getElementById("span-details")?.remove();
		a.click();
	})`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	key, err := chromedp.Run(b.ctx, chromedp.Evaluate[float64](`new Promise(res => {
		const t0 = performance.now();
		document.dispatchEvent(new KeyboardEvent("keydown", {key: "j", bubbles: true, cancelable: true}));
		requestAnimationFrame(() => res(performance.now() - t0));
	})`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d spans, %s: first byte %.0f ms, first rows %.0f ms, last byte %.0f ms, DOMContentLoaded %.0f ms, load %.0f ms, %.0f DOM elements, %.0f rows in the DOM, click → details painted %.0f ms, key → next frame %.0f ms",
		n, when, nav["ttfb"], nav["first"], nav["end"], nav["dcl"], nav["load"], nav["elements"], nav["rows"], click, key)
	if nav["rows"] < 1 {
		t.Errorf("%d spans: no rows", n)
	}
}

// TestHugeTraceWindows: on a 100,000-span trace the page holds a bounded
// number of rows however far the user scrolls (windows load as the end
// nears; far ones are dropped); a span deep in the trace is found, opened
// and read; j/k move from it — all without reloading the page (#15).
func TestHugeTraceWindows(t *testing.T) {
	a := demoApp(t)
	td, id := pushTrace(t, a, 100_000)
	// The deepest-in-order span: the last generated, far past the first window.
	var deep string
	for _, rs := range td.ResourceSpans {
		for _, s := range rs.ScopeSpans[0].Spans {
			deep = hex.EncodeToString(s.SpanId)
		}
	}
	b := newBrowser(t)
	if err := chromedp.Do(b.ctx, chromedp.EmulateViewport(1400, 900), chromedp.Navigate(a.URL+"/traces/"+id)); err != nil {
		t.Fatal(err)
	}
	b.mustShowTrace(t)
	// A mark that a reload would lose.
	if _, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`window.__same = true`)); err != nil {
		t.Fatal(err)
	}
	most, end := 0, 0
	for i := 0; i < 12; i++ {
		got, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]int](`new Promise(res => {
			window.scrollTo(0, document.getElementById("wf-rows").getBoundingClientRect().bottom + scrollY - 200);
			setTimeout(() => res([document.querySelectorAll("#wf-rows > .row:not(.more)").length, +document.getElementById("wf-rows").dataset.end]), 700);
		})`, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatal(err)
		}
		most, end = max(most, got[0]), got[1]
	}
	if end <= 2000 || most > 4*views.RowWindow {
		t.Errorf("after scrolling: rows up to %d loaded, at most %d in the page (bound %d)", end, most, 4*views.RowWindow)
	}
	// The overview's last slice: its rows come into the page and onto the screen.
	last, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`(() => {
		const a = Array.from(document.querySelectorAll("svg.overview a")).pop();
		a.dispatchEvent(new MouseEvent("click", {bubbles: true, cancelable: true}));
		return new URL(a.getAttribute("href"), location.href).searchParams.get("at"); })()`))
	if err != nil || last == "" {
		t.Fatalf("no overview to click: %v", err)
	}
	b.waitFor(t, `(() => { const r = document.getElementById("s-`+last+`") || document.getElementById("g-`+last+`");
		return !!r && r.classList.contains("kb") && r.getBoundingClientRect().top >= 0 && r.getBoundingClientRect().bottom <= innerHeight; })()`)
	if err := chromedp.Do(b.ctx, chromedp.SendKeys(chromedp.ID("span-find"), deep+"\r"), chromedp.WaitVisible(chromedp.CSS(`#s-`+deep+`.selected`)),
		chromedp.WaitVisible(chromedp.CSS(`#span-details`))); err != nil {
		t.Fatal(err)
	}
	details, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.getElementById("span-details").textContent`))
	if !strings.Contains(details, deep) || !strings.Contains(details, "http.route") {
		t.Errorf("the found span's details lack its ID or attributes: %.200q", details)
	}
	press := func(key string) {
		if _, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`document.dispatchEvent(new KeyboardEvent("keydown", {key: "`+key+`", bubbles: true, cancelable: true}))`)); err != nil {
			t.Fatal(err)
		}
	}
	press("k")
	cur, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`(document.querySelector("#wf-rows .row.kb") || {}).id || ""`))
	press("j")
	back, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`(document.querySelector("#wf-rows .row.kb") || {}).id || ""`))
	if cur == "" || cur == "s-"+deep || back != "s-"+deep {
		t.Errorf("k then j from the found span: %q then %q", cur, back)
	}
	if same, _ := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`window.__same === true`)); !same {
		t.Error("the page reloaded")
	}
	b.assertClean(t)
}

// TestSiblingGroupExpands: a request making 60 alike SELECTs shows them
// as one row saying so; a click shows them span by span, without
// reloading the page, and "group" folds them back (#15).
func TestSiblingGroupExpands(t *testing.T) {
	a := demoApp(t)
	traceID := make([]byte, 16)
	binary.BigEndian.PutUint64(traceID[8:], uint64(time.Now().UnixNano()))
	traceID[0] = 0x5e
	base := uint64(time.Now().Add(-time.Minute).UnixNano())
	sid := func(i int) []byte { b := make([]byte, 8); binary.BigEndian.PutUint64(b, uint64(i+1)); return b }
	spans := []*tracepb.Span{{TraceId: traceID, SpanId: sid(0), Name: "GET /orders", StartTimeUnixNano: base, EndTimeUnixNano: base + 200e6}}
	for i := 1; i <= 60; i++ {
		spans = append(spans, &tracepb.Span{TraceId: traceID, SpanId: sid(i), ParentSpanId: sid(0), Name: "SELECT orders",
			StartTimeUnixNano: base + uint64(i)*2e6, EndTimeUnixNano: base + uint64(i)*2e6 + 1e6})
	}
	body, _ := proto.Marshal(&collectorpb.ExportTraceServiceRequest{ResourceSpans: []*tracepb.ResourceSpans{{
		Resource:   &resourcepb.Resource{Attributes: []*commonpb.KeyValue{{Key: "service.name", Value: &commonpb.AnyValue{Value: &commonpb.AnyValue_StringValue{StringValue: "orders"}}}}},
		ScopeSpans: []*tracepb.ScopeSpans{{Spans: spans}}}}})
	resp, err := http.Post(a.World.TempoOTLPURL+"/v1/traces", "application/x-protobuf", bytes.NewReader(body))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("push: %v %v", resp, err)
	}
	resp.Body.Close()
	b := newBrowser(t)
	if err := chromedp.Do(b.ctx, chromedp.Navigate(a.URL+"/traces/"+hex.EncodeToString(traceID)), chromedp.WaitVisible(chromedp.CSS(`#wf-rows .row.group`))); err != nil {
		t.Fatal(err)
	}
	group, _ := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(`#wf-rows .row.group`)))
	if !strings.Contains(group, "SELECT orders") || !strings.Contains(group, "× 60") || !strings.Contains(group, "p99") {
		t.Errorf("group row %q", group)
	}
	if _, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`window.__same = true`)); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(b.ctx, chromedp.Click(chromedp.CSS(`#wf-rows .row.group a.tg`))); err != nil {
		t.Fatal(err)
	}
	b.waitFor(t, `!!document.querySelector("#wf-rows a.regroup")`)
	n, _ := chromedp.Run(b.ctx, chromedp.Evaluate[int](`document.querySelectorAll("#wf-rows > .row:not(.more)").length`))
	if n != 61 {
		t.Errorf("expanded: %d rows, want 61", n)
	}
	b.waitSearch(t, "expand=")
	if err := chromedp.Do(b.ctx, chromedp.Click(chromedp.CSS(`#wf-rows a.regroup`))); err != nil {
		t.Fatal(err)
	}
	b.waitFor(t, `!!document.querySelector("#wf-rows .row.group")`)
	if same, _ := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`window.__same === true`)); !same {
		t.Error("the page reloaded")
	}
	b.assertClean(t)
}
