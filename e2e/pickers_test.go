package e2e

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/ariadne-dev/ariadne/correlation/query"
)

// clickPick clicks, in picker sel, the link whose text is text (a label
// name or value), as a user does; it fails when there is none.
func (b *browser) clickPick(t *testing.T, sel, class, text string) {
	t.Helper()
	var ok bool
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline) && !ok; time.Sleep(50 * time.Millisecond) {
		ok, _ = chromedp.Run(b.ctx, chromedp.Evaluate[bool](`(() => {
			const a = Array.from(document.querySelectorAll(`+jsString(sel+" a."+class)+`)).find(a => a.textContent.trim() === `+jsString(text)+`);
			if (!a) return false;
			a.click();
			return true; })()`))
	}
	if !ok {
		t.Fatalf("no %s %q in %s", class, text, sel)
	}
}

// firstValue is the text of the first value a picker lists, once it lists one.
func (b *browser) firstValue(t *testing.T, sel string) string {
	t.Helper()
	if err := chromedp.Do(b.ctx, chromedp.WaitVisible(chromedp.CSS(sel+" a.pick-value"))); err != nil {
		t.Fatal(err)
	}
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.querySelector(`+jsString(sel+" a.pick-value")+`).textContent.trim()`))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// waitEval waits until the JavaScript expression js is true.
func (b *browser) waitEval(t *testing.T, what, js string) {
	t.Helper()
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if ok, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](js)); err == nil && ok {
			return
		}
	}
	got, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`location.href`))
	t.Fatalf("%s: not after 15s (at %s)", what, got)
}

// TestLabelPickers: on /graph a label and a value picked in the picker
// narrow the query in its box (in place with JavaScript, by links
// without), and the graph runs it; the latency builder writes its query
// without JavaScript; on /logs a stream label's value narrows the LogQL
// (#20 item 2).
func TestLabelPickers(t *testing.T) {
	a := demoApp(t)
	latency := query.LatencyQuery(query.Latency{})
	graph := a.URL + "/graph?" + url.Values{"q": {latency}, "from": {"now-15m"}, "to": {"now"}}.Encode()
	const gp = "#picker-promql"
	waitForChart(t, graph) // a fresh world needs a few scrapes

	t.Run("graph with JavaScript", func(t *testing.T) {
		b := newBrowser(t)
		if err := chromedp.Do(b.ctx, chromedp.Navigate(graph), chromedp.WaitVisible(chromedp.CSS(`section.panel-done svg.chart`))); err != nil {
			t.Fatal(err)
		}
		// A mark that lasts as long as the document: a reload drops it.
		if _, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`window.__sameDocument = true`)); err != nil {
			t.Fatal(err)
		}
		if err := chromedp.Do(b.ctx, chromedp.Click(chromedp.CSS(gp+" a.picker-open")), chromedp.WaitVisible(chromedp.CSS(gp+" a.pick-name"))); err != nil {
			t.Fatal(err)
		}
		b.clickPick(t, gp, "pick-name", "route")
		route := b.firstValue(t, gp)
		b.clickPick(t, gp, "pick-value", route)
		want := `route="` + route + `"`
		b.waitEval(t, "the box holds the matcher", `document.getElementById("query-q").value.includes(`+jsString(want)+`)`)
		if same, _ := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`window.__sameDocument === true`)); !same {
			t.Error("the page reloaded: with JavaScript the picker edits the box in place")
		}
		box := query.AddPromMatcher(latency, "route", route)
		b.waitEval(t, "the box holds the narrowed query", `document.getElementById("query-q").value === `+jsString(box))
		screenshot(t, b, "graph-picker")
		// Run it: the graph is drawn for the narrowed query.
		if err := chromedp.Do(b.ctx, chromedp.Click(chromedp.ID("query-q")),
			chromedp.KeyEvent("\r", chromedp.KeyModifiers(chromedp.ModifierCtrl))); err != nil {
			t.Fatal(err)
		}
		b.waitEval(t, "the graph of the narrowed query", `(() => { const p = document.querySelector("section.panel-done");
			return !!p && p.getAttribute("data-panel") === `+jsString(box)+` && !!p.querySelector("svg.chart"); })()`)
		b.assertClean(t)
	})

	t.Run("graph without JavaScript", func(t *testing.T) {
		b := newBrowser(t)
		if _, err := chromedp.Call(b.ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
			t.Fatal(err)
		}
		if err := chromedp.Do(b.ctx, chromedp.Navigate(graph), chromedp.WaitVisible(chromedp.CSS(gp+" a.picker-open")),
			chromedp.Click(chromedp.CSS(gp+" a.picker-open"))); err != nil {
			t.Fatal(err)
		}
		b.waitSearch(t, "labels=1")
		b.clickPick(t, gp, "pick-name", "service")
		b.waitSearch(t, "pick=service")
		svc := b.firstValue(t, gp)
		b.clickPick(t, gp, "pick-value", svc)
		want := query.AddPromMatcher(latency, "service", svc)
		b.waitEval(t, "the page of the narrowed query", `new URLSearchParams(location.search).get("q") === `+jsString(want))
		b.waitEval(t, "its graph", `(() => { const p = document.querySelector("section.panel-done");
			return !!p && p.getAttribute("data-panel") === `+jsString(want)+` && !!p.querySelector("svg.chart"); })()`)
		// Read through the page (a one-off read of the node can fail while
		// the streamed panels are still arriving, and would read as "").
		b.waitEval(t, "the box keeps the narrowed query", `document.getElementById("query-q").value === `+jsString(want))

		// The latency builder is a GET form: a service chosen, it writes
		// the latency query by route for that service.
		const lb = "details.latency-builder"
		if err := chromedp.Do(b.ctx, chromedp.Click(chromedp.CSS(lb+" > summary")),
			chromedp.SetValue(chromedp.CSS(lb+` select[name="service"]`), "orders"),
			chromedp.Click(chromedp.CSS(lb+` button[type="submit"]`))); err != nil {
			t.Fatal(err)
		}
		want = query.LatencyQuery(query.Latency{Service: "orders"})
		b.waitEval(t, "the builder's query", `new URLSearchParams(location.search).get("q") === `+jsString(want))
		b.waitEval(t, "its graph", `(() => { const p = document.querySelector("section.panel-done");
			return !!p && p.getAttribute("data-panel") === `+jsString(want)+` && !!p.querySelector("svg.chart"); })()`)
		screenshot(t, b, "graph-builder")
	})

	logs := a.URL + "/logs?" + url.Values{"q": {`{service_name=~".+"}`}, "from": {"now-15m"}, "to": {"now"}}.Encode()
	const lp = "#picker-logql"
	for _, js := range []bool{true, false} {
		name := "logs with JavaScript"
		if !js {
			name = "logs without JavaScript"
		}
		t.Run(name, func(t *testing.T) {
			b := newBrowser(t)
			if !js {
				if _, err := chromedp.Call(b.ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
					t.Fatal(err)
				}
			}
			if err := chromedp.Do(b.ctx, chromedp.Navigate(logs), chromedp.WaitVisible(chromedp.CSS(`section.panel-done[data-panel="Lines"]`)),
				chromedp.Click(chromedp.CSS(lp+" a.picker-open")), chromedp.WaitVisible(chromedp.CSS(lp+" a.pick-name"))); err != nil {
				t.Fatal(err)
			}
			b.clickPick(t, lp, "pick-name", "service_name")
			b.clickPick(t, lp, "pick-value", "payments")
			want := `{service_name="payments"}`
			if js {
				b.waitEval(t, "the box holds the matcher", `document.getElementById("logq").value === `+jsString(want))
				if err := chromedp.Do(b.ctx, chromedp.Click(chromedp.ID("logq")),
					chromedp.KeyEvent("\r", chromedp.KeyModifiers(chromedp.ModifierCtrl))); err != nil {
					t.Fatal(err)
				}
			}
			b.waitEval(t, "the page of the narrowed query", `new URLSearchParams(location.search).get("q") === `+jsString(want))
			b.waitEval(t, "payments' lines", `(() => { const ls = document.querySelectorAll("section.panel-done[data-panel=Lines] .logline .svc");
				return ls.length > 0 && Array.from(ls).every(s => s.textContent === "payments"); })()`)
			if js {
				screenshot(t, b, "logs-picker")
				b.assertClean(t)
			}
		})
	}
}

// waitForChart reloads a graph page (server side) until its first panel
// draws a chart: a fresh world's rates need a few scrapes first.
func waitForChart(t *testing.T, page string) {
	t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, page, nil)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			d, derr := goquery.NewDocumentFromReader(resp.Body)
			resp.Body.Close()
			if derr == nil && d.Find("section.panel-done svg.chart").Length() > 0 {
				cancel()
				return
			}
		}
		cancel()
		if time.Now().After(deadline) {
			t.Fatalf("no chart on %s after 90 s", page)
		}
		time.Sleep(2 * time.Second)
	}
}
