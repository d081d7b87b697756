package e2e

import (
	"fmt"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestLogsPageFigures logs the Chromium figures of a full logs page
// (1,000 structured lines, the page's largest): bytes of HTML,
// DOMContentLoaded, load, DOM elements, and a click on a line → its
// fields painted. Figures, not assertions on time (#15's closing note
// compares them); it asserts what a user relies on at any size: every
// line is listed, and an opened line shows its fields as buttons that
// narrow the query.
func TestLogsPageFigures(t *testing.T) {
	a := demoApp(t)
	const n = 1000
	svc := "e2e-figures-" + strconv.FormatInt(time.Now().UnixNano()%1e6, 10)
	now := time.Now()
	values := make([][]any, n)
	for i := range values {
		line := fmt.Sprintf(`{"level":"info","msg":"request handled","method":"GET","path":"/api/cart/%d","status":200,"duration_ms":%d,"trace_id":"%032x","user":"u-%d"}`, i, i%700, i+1, i%97)
		values[i] = []any{strconv.FormatInt(now.Add(-time.Duration(n-i)*time.Millisecond).UnixNano(), 10), line,
			map[string]string{"trace_id": fmt.Sprintf("%032x", i+1), "span_id": fmt.Sprintf("%016x", i+1)}}
	}
	pushLoki(t, a, []any{map[string]any{"stream": map[string]string{"service_name": svc, "namespace": "e2e"}, "values": values}})
	q := `{service_name="` + svc + `"} | json`
	page := a.URL + "/logs?limit=" + strconv.Itoa(n) + "&q=" + url.QueryEscape(q)

	b := newBrowser(t)
	if err := chromedp.Do(b.ctx, chromedp.EmulateViewport(1400, 900), chromedp.Navigate(page)); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`new Promise(r => document.readyState === "complete" ? r(true) : addEventListener("load", () => r(true)))`, chromedp.EvalAwaitPromise)); err != nil {
		t.Fatal(err)
	}
	nav, err := chromedp.Run(b.ctx, chromedp.Evaluate[map[string]float64](`(() => {
		const n = performance.getEntriesByType("navigation")[0];
		return {ttfb: n.responseStart, end: n.responseEnd, dcl: n.domContentLoadedEventEnd, load: n.loadEventEnd, bytes: n.decodedBodySize,
			elements: document.getElementsByTagName("*").length, lines: document.querySelectorAll(".loglines .logline").length};
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if int(nav["lines"]) != n {
		t.Fatalf("%v lines listed, want %d", nav["lines"], n)
	}
	// Open a line half way down: its fields are painted, each value a
	// button of the query form.
	click, err := chromedp.Run(b.ctx, chromedp.Evaluate[float64](`new Promise(res => {
		const line = document.querySelectorAll(".loglines .logline")[500];
		line.scrollIntoView();
		const t0 = performance.now();
		const painted = () => line.querySelector("table.fields");
		const done = () => requestAnimationFrame(() => requestAnimationFrame(() => res(performance.now() - t0)));
		if (painted()) { line.open = true; done(); return; }
		const obs = new MutationObserver(() => { if (painted()) { obs.disconnect(); done(); } });
		obs.observe(line, {childList: true, subtree: true});
		line.querySelector("summary").click();
	})`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d lines: %.0f KB of HTML, first byte %.0f ms, last byte %.0f ms, DOMContentLoaded %.0f ms, load %.0f ms, %.0f DOM elements, click → fields painted %.0f ms",
		n, nav["bytes"]/1024, nav["ttfb"], nav["end"], nav["dcl"], nav["load"], nav["elements"], click)
	b.waitFor(t, `[...document.querySelectorAll(".loglines .logline")[500].querySelectorAll("table.fields button[name=where]")].some(x => x.value.startsWith("json:path=/api/cart/"))`)
}
