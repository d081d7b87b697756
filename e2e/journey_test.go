package e2e

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestWholeJourney is Ariadne's promise, as an on-call engineer lives it:
// a latency graph of failing payments → an exemplar → its trace → pin the
// failing span → "Logs for this trace" → pin its error line → add a note →
// share → open the share link in a fresh browser while Tempo and Loki are
// down, and still see the span and the line.
func TestWholeJourney(t *testing.T) {
	a := demoApp(t)
	b := newBrowser(t)
	title := "Checkout 504s " + time.Now().Format("15:04:05.000")

	// 1. The graph of failing charges, with exemplars on it. Failures are
	// a few percent of requests: reload until one is drawn.
	q := `histogram_quantile(0.99, sum by (le, service) (rate(http_server_request_duration_seconds_bucket{service="payments", status="504"}[1m])))`
	graph := a.URL + "/graph?" + url.Values{"q": {q}, "from": {"now-15m"}, "to": {"now"}}.Encode()
	marker := `svg g.exemplars a.ex`
	for deadline := time.Now().Add(90 * time.Second); ; {
		if err := chromedp.Do(b.ctx, chromedp.Navigate(graph), chromedp.WaitVisible(chromedp.CSS(`section.panel-done`))); err != nil {
			t.Fatal(err)
		}
		n, err := chromedp.Run(b.ctx, chromedp.Evaluate[int](`document.querySelectorAll("`+marker+`").length`))
		if err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no exemplar of a failing charge within 90s")
		}
		time.Sleep(2 * time.Second)
	}
	traceID, err := chromedp.Run(b.ctx, chromedp.AttributeValue(chromedp.CSS(marker), "data-trace-id"))
	if err != nil || !traceID.Exists {
		t.Fatalf("marker without a trace ID: %v", err)
	}

	// 2. The exemplar opens its trace (a link: no JavaScript needed).
	if err := chromedp.Do(b.ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector("`+marker+`").dispatchEvent(new MouseEvent("click", {bubbles: true}))`)); err != nil {
		t.Fatal(err)
	}
	b.waitPath(t, "/traces/"+traceID.Value)
	if err := chromedp.Do(b.ctx, chromedp.WaitVisible(chromedp.ID("waterfall"))); err != nil {
		t.Fatal(err)
	}

	// 3. Select the failing payments span and pin it to a new investigation.
	b.selectFailingCharge(t)
	if err := chromedp.Do(b.ctx,
		chromedp.WaitVisible(chromedp.CSS(`#span-details details.pin > summary`)),
		chromedp.Click(chromedp.CSS(`#span-details details.pin > summary`)),
		chromedp.SendKeys(chromedp.CSS(`#span-details form.pin-form input[name="new_title"]`), title),
		chromedp.Click(chromedp.CSS(`#span-details form.pin-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.banner.ok`)),
	); err != nil {
		t.Fatal(err)
	}
	notice, _ := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(`.banner.ok`)))
	if !strings.Contains(notice, title) {
		t.Errorf("after pinning: %q", notice)
	}

	// 4. Logs for this trace, then pin its error line from payments.
	if err := chromedp.Do(b.ctx, chromedp.Click(chromedp.CSS(`.trace-links a.button`))); err != nil {
		t.Fatal(err)
	}
	b.waitPath(t, "/logs")
	if err := chromedp.Do(b.ctx, chromedp.WaitVisible(chromedp.CSS(`form#pin-lines`))); err != nil {
		t.Fatal(err)
	}
	// The line's Pin button comes with its expanded view, fetched as the
	// line opens.
	opened, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`(() => {
		const sel = document.querySelector("#pin-lines select");
		const opt = Array.from(sel.options).find(o => o.textContent === `+jsString(title)+`);
		if (!opt) return false;
		sel.value = opt.value;
		const row = Array.from(document.querySelectorAll("details.logline.lvl-error"))
			.find(r => r.querySelector(".svc").textContent === "payments");
		if (!row) return false;
		row.id = "to-pin";
		row.querySelector("summary").click();
		return true;
	})()`))
	if err != nil || !opened {
		t.Fatalf("no payments error line to pin for trace %s (%v)", traceID.Value, err)
	}
	if err := chromedp.Do(b.ctx, chromedp.WaitVisible(chromedp.CSS(`#to-pin button.pin-line`))); err != nil {
		t.Fatal(err)
	}
	line, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`(() => {
		const row = document.getElementById("to-pin");
		row.querySelector("button.pin-line").click();
		return (row.querySelector("pre.raw") || row.querySelector(".msg")).textContent.trim(); // the line as written
	})()`))
	if err != nil || line == "" {
		t.Fatalf("the payments error line's text (%v)", err)
	}
	if err := chromedp.Do(b.ctx, chromedp.WaitVisible(chromedp.CSS(`.banner.ok`))); err != nil {
		t.Fatal(err)
	}

	// 5. The investigation: add a note, then share it. Each step waits for
	// what the next page shows, never for something the last page had.
	if err := chromedp.Do(b.ctx,
		chromedp.Navigate(a.URL+"/investigations?"+url.Values{"q": {title}}.Encode()),
		chromedp.WaitVisible(chromedp.CSS(`main a[href^="/investigations/"]`)),
	); err != nil {
		t.Fatal(err)
	}
	inv, err := chromedp.Run(b.ctx, chromedp.AttributeValue(chromedp.CSS(`main a[href^="/investigations/"]`), "href"))
	if err != nil || !inv.Exists {
		t.Fatalf("no investigation titled %q (%v)", title, err)
	}
	note := "The payment provider timed out: **504** at the gateway."
	if err := chromedp.Do(b.ctx,
		chromedp.Navigate(a.URL+inv.Value),
		chromedp.WaitVisible(chromedp.ID("note-new")),
		chromedp.SendKeys(chromedp.ID("note-new"), note),
		chromedp.Click(chromedp.CSS(`form[action$="/notes"] button[type="submit"]`)),
	); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		has, _ := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`document.body.innerText.includes("The payment provider timed out: 504 at the gateway.")`))
		if has {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the note did not appear on the investigation")
		}
	}
	screenshot(t, b, "investigation")
	if err := chromedp.Do(b.ctx,
		chromedp.Click(chromedp.CSS(`form[action$="/shares"] button`)),
		chromedp.WaitVisible(chromedp.ID("share-url")),
	); err != nil {
		t.Fatal(err)
	}
	share, err := chromedp.Run(b.ctx, chromedp.Value(chromedp.ID("share-url")))
	if err != nil || !strings.Contains(share, "/s/") {
		t.Fatalf("share link %q (%v)", share, err)
	}
	// A Copy button beside it, with JavaScript (#20 item 9).
	if shown, _ := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`document.querySelector("button.copy").checkVisibility()`)); !shown {
		t.Error("no Copy button for the share link")
	}
	b.assertClean(t)

	// 6. Tempo and Loki go away; a fresh browser opens the link.
	a.World.StopTestBackends()
	t.Cleanup(func() {
		if err := a.World.StartTestBackends(); err != nil {
			t.Errorf("restarting the test backends: %v", err)
		}
	})
	if _, err := a.Tempo.Trace(t.Context(), traceID.Value, time.Time{}, time.Time{}); err == nil {
		t.Fatal("Tempo still answers after StopTestBackends")
	}
	fresh := newBrowser(t)
	if err := chromedp.Do(fresh.ctx, chromedp.Navigate(share), chromedp.WaitVisible(chromedp.CSS(`main`))); err != nil {
		t.Fatal(err)
	}
	page, err := chromedp.Run(fresh.ctx, chromedp.Text(chromedp.CSS(`main`)))
	if err != nil {
		t.Fatal(err)
	}
	screenshot(t, fresh, "shared")
	page = strings.Join(strings.Fields(page), " ")
	for _, want := range []string{title, "POST /charge", "payment provider", "The payment provider timed out: 504 at the gateway."} {
		if !strings.Contains(page, want) {
			t.Errorf("the shared page lacks %q:\n%.3000s", want, page)
		}
	}
	if !strings.Contains(page, strings.Join(strings.Fields(line), " ")[:40]) {
		t.Errorf("the shared page lacks the pinned line %q", line)
	}
	fresh.assertClean(t)
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`, "\n", `\n`).Replace(s) + "'"
}
