package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestJaegerTraceJourney: the same search journey against the real
// Jaeger. Choose Jaeger, search error traces of payments (the form is sent
// as Jaeger's parameters, shown, with no TraceQL box), open one: the page
// says it came from Jaeger, and the failing charge's exception is there.
func TestJaegerTraceJourney(t *testing.T) {
	a := demoApp(t)
	b := newBrowser(t)
	b.searchErrors(t, a.URL, "jaeger", "payments")
	results := `section.panel-done[data-panel="Results"]`
	for deadline := time.Now().Add(60 * time.Second); ; {
		if err := chromedp.Do(b.ctx, chromedp.WaitVisible(chromedp.CSS(results))); err != nil {
			t.Fatal(err)
		}
		n, _ := chromedp.Run(b.ctx, chromedp.Evaluate[int](`document.querySelectorAll("section.panel-done[data-panel=Results] tbody tr").length`))
		if n > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no error trace of payments in Jaeger within 60s")
		}
		time.Sleep(time.Second)
		if err := chromedp.Do(b.ctx, chromedp.Reload()); err != nil {
			t.Fatal(err)
		}
	}
	sent, _ := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(results+` .sent`)))
	if !strings.Contains(sent, "Sent to Jaeger: /api/traces?") || !strings.Contains(sent, "service=payments") {
		t.Errorf("the request sent: %q", sent)
	}
	if n, _ := chromedp.Run(b.ctx, chromedp.Evaluate[int](`document.querySelectorAll("#traceql").length`)); n != 0 {
		t.Error("a TraceQL box on a Jaeger search")
	}

	if err := chromedp.Do(b.ctx,
		chromedp.Click(chromedp.CSS(results+` tbody tr td a`)),
		chromedp.WaitVisible(chromedp.ID("waterfall")),
	); err != nil {
		t.Fatal(err)
	}
	facts, _ := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(`.trace-facts`)))
	if !strings.Contains(facts, "Jaeger") {
		t.Errorf("the trace page does not say it came from Jaeger: %q", facts)
	}
	b.selectFailingCharge(t)
	if err := chromedp.Do(b.ctx, chromedp.WaitVisible(chromedp.CSS(`#span-details .event.exception`))); err != nil {
		t.Fatal(err)
	}
	exc, _ := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(`#span-details .event.exception`)))
	if !strings.Contains(exc, "payment provider did not answer within 800ms") {
		t.Errorf("exception shown: %q", exc)
	}
	screenshot(t, b, "jaeger-trace")
	b.assertClean(t)
}
