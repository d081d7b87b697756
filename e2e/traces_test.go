package e2e

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/ariadne-dev/ariadne/views"
)

// TestTraceJourney: search for error traces of payments, open one, fold
// and unfold a subtree, select the failing span and read its exception,
// then follow "Logs for this trace" to the logs of that very trace.
func TestTraceJourney(t *testing.T) {
	a := demoApp(t)
	b := newBrowser(t)

	// The search form, filled in as a user would; the first page had a
	// Results panel too, so this waits for the submitted one.
	b.searchErrors(t, a.URL, "tempo", "payments")
	if err := chromedp.Do(b.ctx, chromedp.WaitVisible(chromedp.CSS(`section.panel-done[data-panel="Results"]`))); err != nil {
		t.Fatal(err)
	}
	query, err := chromedp.Run(b.ctx, chromedp.Value(chromedp.ID("traceql")))
	if err != nil {
		t.Fatal(err)
	}
	if query != `{ resource.service.name = "payments" && status = error }` {
		t.Errorf("the form compiled to %q", query)
	}
	// Failures are a few percent of requests: reload until one is stored.
	deadline := time.Now().Add(60 * time.Second)
	for {
		n, err := chromedp.Run(b.ctx, chromedp.Evaluate[int](`document.querySelectorAll("section.panel-done[data-panel=Results] tbody tr").length`))
		if err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no error trace of payments within 60s")
		}
		time.Sleep(time.Second)
		if err := chromedp.Do(b.ctx, chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`section.panel-done[data-panel="Results"]`))); err != nil {
			t.Fatal(err)
		}
	}

	if err := chromedp.Do(b.ctx,
		chromedp.Click(chromedp.CSS(`section.panel-done[data-panel=Results] tbody tr td a`)),
		chromedp.WaitVisible(chromedp.ID("waterfall")),
	); err != nil {
		t.Fatal(err)
	}
	traceID, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.getElementById("waterfall").dataset.trace`))
	if err != nil || len(traceID) != 32 {
		t.Fatalf("trace page without an ID: %q %v", traceID, err)
	}

	// Fold the root's subtree: its children go; unfold: back, and the URL
	// keeps the fold. A trace found while its last spans are still in
	// flight may have a second root (a span whose parent has not arrived):
	// it stays.
	rowCount := `document.querySelectorAll("#wf-rows > .row:not(.more)").length`
	otherRoots := `document.querySelectorAll('#wf-rows > .row[data-d="0"]').length - 1`
	all, _ := chromedp.Run(b.ctx, chromedp.Evaluate[int](rowCount))
	others, _ := chromedp.Run(b.ctx, chromedp.Evaluate[int](otherRoots))
	waitRows := func(want string) int {
		t.Helper()
		var n int
		for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
			n, _ = chromedp.Run(b.ctx, chromedp.Evaluate[int](rowCount))
			if (want == "fewer" && n < all) || (want == "all" && n == all) {
				break
			}
		}
		return n
	}
	if err := chromedp.Do(b.ctx, chromedp.Click(chromedp.CSS(`#wf-rows > .row[data-d="0"] a.tg`))); err != nil {
		t.Fatal(err)
	}
	folded := waitRows("fewer")
	b.waitSearch(t, "fold=")
	if err := chromedp.Do(b.ctx, chromedp.Click(chromedp.CSS(`#wf-rows > .row[data-d="0"] a.tg`))); err != nil {
		t.Fatal(err)
	}
	unfolded := waitRows("all")
	if all < 5 || folded != 1+others || unfolded != all {
		t.Errorf("rows: %d, folded %d (other roots %d), unfolded %d", all, folded, others, unfolded)
	}

	// The keyboard: j moves down the rows, Enter selects, ← folds.
	if err := chromedp.Do(b.ctx, chromedp.KeyEvent("j"), chromedp.KeyEvent("j"), chromedp.KeyEvent("\r"),
		chromedp.WaitVisible(chromedp.ID("span-details"))); err != nil {
		t.Fatal(err)
	}
	second, _ := chromedp.Run(b.ctx, chromedp.Evaluate[bool](
		`document.querySelectorAll("#waterfall .row")[1].classList.contains("selected")`))
	if !second {
		t.Error("j, j, Enter did not select the second row")
	}

	// Select the failing payments span and read its exception.
	b.selectFailingCharge(t)
	if err := chromedp.Do(b.ctx, chromedp.WaitVisible(chromedp.CSS(`#span-details .event.exception`))); err != nil {
		t.Fatal(err)
	}
	exc, _ := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(`#span-details .event.exception`)))
	if !strings.Contains(exc, "payment provider did not answer within 800ms") || !strings.Contains(exc, "goroutine") {
		t.Errorf("exception shown: %q", exc)
	}
	if loc, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`location.search`)); !strings.Contains(loc, "span=") {
		t.Errorf("selecting a span did not put it in the URL: %q", loc)
	}

	// Logs for this trace.
	if err := chromedp.Do(b.ctx, chromedp.Click(chromedp.CSS(`.trace-links a.button`))); err != nil {
		t.Fatal(err)
	}
	b.waitPath(t, "/logs")
	search, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`location.search`))
	q, _ := url.ParseQuery(strings.TrimPrefix(search, "?"))
	if q.Get("trace_id") != traceID || q.Get("from") == "" || q.Get("to") == "" {
		t.Errorf("logs URL %q, want trace_id=%s with a window", search, traceID)
	}
}

// TestLargeTraceFirstPaint pushes a 10,000-span trace and reports how long
// headless Chromium takes to first paint its page. The figure is logged,
// not asserted: timing belongs in reports, behaviour in assertions.
func TestLargeTraceFirstPaint(t *testing.T) {
	a := demoApp(t)
	_, id := pushTrace(t, a, 10000)

	b := newBrowser(t)
	if err := chromedp.Do(b.ctx, chromedp.Navigate(a.URL+"/traces/"+id), chromedp.WaitVisible(chromedp.ID("waterfall"))); err != nil {
		t.Fatal(err)
	}
	rows, err := chromedp.Run(b.ctx, chromedp.Evaluate[int](`document.querySelectorAll("#waterfall .row:not(.more)").length`))
	if err != nil {
		t.Fatal(err)
	}
	// One window of rows; the others come as the user scrolls.
	if rows != views.RowWindow {
		t.Errorf("%d rows rendered, want one window of %d", rows, views.RowWindow)
	}
	timing, err := chromedp.Run(b.ctx, chromedp.Evaluate[map[string]float64](`(() => {
		const nav = performance.getEntriesByType("navigation")[0];
		const fcp = performance.getEntriesByName("first-contentful-paint")[0];
		return {ttfb: nav.responseStart, response: nav.responseEnd, dcl: nav.domContentLoadedEventEnd,
			load: nav.loadEventEnd, fcp: fcp ? fcp.startTime : -1, bytes: nav.transferSize};
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("10,000-span trace page in Chromium: first byte %.0f ms, first contentful paint %.0f ms, HTML complete %.0f ms, DOM ready %.0f ms, load %.0f ms, %.1f MB transferred (gzip)",
		timing["ttfb"], timing["fcp"], timing["response"], timing["dcl"], timing["load"], timing["bytes"]/1e6)
	if timing["fcp"] <= 0 {
		t.Error(fmt.Sprintf("no first-contentful-paint entry: %v", timing))
	}
	b.assertClean(t)
}

// TestDeepLinkedSpanIsNotHidden: a span opened by its link (from a log
// line, a pin, or a click without JavaScript) lands below the waterfall's
// sticky header, not under it (#20 item 6).
func TestDeepLinkedSpanIsNotHidden(t *testing.T) {
	a := demoApp(t)
	id := failingTrace(t, a)
	b := newBrowser(t)
	if err := chromedp.Do(b.ctx, chromedp.Navigate(a.URL+"/traces/"+id), chromedp.WaitVisible(chromedp.ID("waterfall"))); err != nil {
		t.Fatal(err)
	}
	// The last row, so the page must scroll to show it.
	last, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`(() => { const r = Array.from(document.querySelectorAll("#waterfall .row:not(.more)")).pop();
		return (r.id || r.parentElement.id).slice(2); })()`))
	if err != nil || last == "" {
		t.Fatalf("no last row: %v", err)
	}
	if err := chromedp.Do(b.ctx, chromedp.EmulateViewport(1400, 360), chromedp.Navigate(a.URL+"/traces/"+id+"?span="+last+"#s-"+last),
		chromedp.WaitVisible(chromedp.ID("waterfall"))); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond) // the scroll to the fragment
	gap, err := chromedp.Run(b.ctx, chromedp.Evaluate[float64](`(() => {
		const el = document.getElementById("s-`+last+`");
		const row = el.matches(".row") ? el : el.querySelector("summary");
		return row.getBoundingClientRect().top - document.querySelector("#waterfall .wf-head").getBoundingClientRect().bottom; })()`))
	if err != nil {
		t.Fatal(err)
	}
	if gap < 0 {
		t.Errorf("the linked row starts %.0f px under the sticky header", -gap)
	}
}

// TestHintsOnlyWithJavaScript: the graph's "drag to zoom" hint names what
// its script does, so it shows only where the script runs (#20 item 11).
func TestHintsOnlyWithJavaScript(t *testing.T) {
	a := demoApp(t)
	b := newBrowser(t)
	page := a.URL + "/graph?q=up&from=now-15m&to=now"
	visible := `(() => { const k = document.querySelector(".graph-controls .keys"); return !!k && k.checkVisibility(); })()`
	if err := chromedp.Do(b.ctx, chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS(`section.panel-done`))); err != nil {
		t.Fatal(err)
	}
	if shown, _ := chromedp.Run(b.ctx, chromedp.Evaluate[bool](visible)); !shown {
		t.Error("the hint is hidden with JavaScript on")
	}
	if _, err := chromedp.Call(b.ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(b.ctx, chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS(`section.panel-done`))); err != nil {
		t.Fatal(err)
	}
	if shown, _ := chromedp.Run(b.ctx, chromedp.Evaluate[bool](visible)); shown {
		t.Error("the drag-to-zoom hint shows without JavaScript")
	}
}

// TestTraceKeys: on a trace page e goes to the failed span and selects it,
// its exception shows above its log lines, Esc closes the details, ? shows
// the keys (#20 item 8).
func TestTraceKeys(t *testing.T) {
	a := demoApp(t)
	id := failingTrace(t, a)
	b := newBrowser(t)
	if err := chromedp.Do(b.ctx, chromedp.Navigate(a.URL+"/traces/"+id), chromedp.WaitVisible(chromedp.ID("waterfall")),
		chromedp.KeyEvent("e"), chromedp.WaitVisible(chromedp.ID("span-details"))); err != nil {
		t.Fatal(err)
	}
	failed, _ := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`document.querySelector("#waterfall .row.selected").classList.contains("error")`))
	if !failed {
		t.Error("e did not select a failed span")
	}
	b.selectFailingCharge(t) // the span with an exception and log lines
	if err := chromedp.Do(b.ctx, chromedp.WaitVisible(chromedp.CSS(`#span-details .event.exception`)),
		chromedp.WaitVisible(chromedp.CSS(`#span-details .span-logs`))); err != nil {
		t.Fatal(err)
	}
	order, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`(() => {
		const d = document.getElementById("span-details"), ev = d.querySelector(".event"), logs = d.querySelector(".span-logs");
		if (!ev || !logs) return "missing";
		return (ev.compareDocumentPosition(logs) & Node.DOCUMENT_POSITION_FOLLOWING) ? "events first" : "logs first"; })()`))
	if order != "events first" {
		t.Errorf("span panel order: %s, want the exception above the log lines", order)
	}
	// Keys as the page receives them ("?" is Shift+/ on a keyboard, which
	// chromedp would send as "/", the trace box's key).
	press := func(key string) {
		t.Helper()
		if _, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`document.dispatchEvent(new KeyboardEvent("keydown", {key: "`+key+`", bubbles: true, cancelable: true}))`)); err != nil {
			t.Fatal(err)
		}
	}
	press("?")
	if err := chromedp.Do(b.ctx, chromedp.WaitVisible(chromedp.ID("trace-keys"))); err != nil {
		t.Fatal(err)
	}
	press("Escape")
	if err := chromedp.Do(b.ctx, chromedp.WaitNotVisible(chromedp.ID("trace-keys"))); err != nil {
		t.Fatal(err)
	}
	press("Escape")
	time.Sleep(200 * time.Millisecond)
	if n, _ := chromedp.Run(b.ctx, chromedp.Evaluate[int](`document.querySelectorAll("#span-details").length`)); n != 0 {
		t.Error("Esc did not close the details")
	}
	if loc, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`location.search`)); strings.Contains(loc, "span=") {
		t.Errorf("closed details leave span= in the URL: %q", loc)
	}
	b.assertClean(t)
}

// TestTraceFindSearchesAttributes: Find searches span attributes and
// status on the server, as its placeholder says ("ord-" is an order ID
// attribute, not a span name): typed, it lists the matches, marks their
// rows and keeps the query in the URL; Enter selects the first; without
// JavaScript the same list comes from the form (#20 item 8).
func TestTraceFindSearchesAttributes(t *testing.T) {
	a := demoApp(t)
	id := failingTrace(t, a)
	b := newBrowser(t)
	if err := chromedp.Do(b.ctx, chromedp.Navigate(a.URL+"/traces/"+id), chromedp.WaitVisible(chromedp.ID("span-find")),
		chromedp.SendKeys(chromedp.ID("span-find"), "ord-"),
		chromedp.WaitVisible(chromedp.CSS(`#find-results li a`))); err != nil {
		t.Fatal(err)
	}
	got, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]string](`[document.querySelector("#find-results li").textContent,
		String(document.querySelectorAll("#waterfall .row.found").length), String(document.querySelectorAll("#find-results li").length)]`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(got[0], "order.id") || !strings.Contains(got[0], "ord-") || got[1] == "0" || got[1] != got[2] {
		t.Errorf("find ord-: first match %q, %s rows marked for %s matches", got[0], got[1], got[2])
	}
	b.waitSearch(t, "find=ord-")
	if err := chromedp.Do(b.ctx, chromedp.SendKeys(chromedp.ID("span-find"), "\r"), chromedp.WaitVisible(chromedp.ID("span-details"))); err != nil {
		t.Fatal(err)
	}
	if attrs, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.getElementById("span-details").textContent`)); !strings.Contains(attrs, "order.id") {
		t.Error("Enter did not select a matching span")
	}
	b.assertClean(t)

	if _, err := chromedp.Call(b.ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(b.ctx, chromedp.Navigate(a.URL+"/traces/"+id), chromedp.WaitVisible(chromedp.ID("span-find")),
		chromedp.SendKeys(chromedp.ID("span-find"), "error\r"), chromedp.WaitVisible(chromedp.CSS(`#find-results li a`))); err != nil {
		t.Fatal(err)
	}
	if txt, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.getElementById("find-results").textContent`)); !strings.Contains(txt, "status") {
		t.Errorf("without JavaScript, find error lists %q", txt)
	}
	screenshot(t, b, "trace-find")
}
