package e2e

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// failingTrace waits for the demo to store a failed checkout and returns
// its trace ID.
func failingTrace(t *testing.T, a *app) string {
	t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		res, err := a.Tempo.Search(ctx, `{ resource.service.name = "payments" && status = error }`, time.Now().Add(-15*time.Minute), time.Now(), 5, 3)
		cancel()
		if err == nil {
			for _, tr := range res.Traces {
				// Logs are batched: give them a moment to reach Loki.
				if time.Since(time.Unix(0, tr.StartNs)) > 3*time.Second {
					return tr.TraceID
				}
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no failed checkout within 90s (%v)", err)
		}
		time.Sleep(time.Second)
	}
}

// TestLogsJourney: from a failed checkout's trace page follow "Logs for
// this trace", read that request's lines from several services in time
// order, follow a line's trace link back to the same trace, and there
// select the failing span to see its error line inline.
func TestLogsJourney(t *testing.T) {
	a := demoApp(t)
	id := failingTrace(t, a)
	b := newBrowser(t)

	if err := chromedp.Do(b.ctx,
		chromedp.Navigate(a.URL+"/traces/"+id),
		chromedp.WaitVisible(chromedp.ID("waterfall")),
		chromedp.Click(chromedp.CSS(`.trace-links a.button`)),
		chromedp.WaitVisible(chromedp.CSS(`section.panel-done[data-panel="Lines"]`)),
	); err != nil {
		t.Fatal(err)
	}
	b.waitPath(t, "/logs")
	box, _ := chromedp.Run(b.ctx, chromedp.Value(chromedp.ID("logq")))
	if !strings.Contains(box, id) {
		t.Errorf("the query box shows %q, not a query for %s", box, id)
	}
	type line struct{ Service, Time, Text, Trace string }
	lines, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]line](`Array.from(document.querySelectorAll("section.panel-done[data-panel=Lines] .logline")).map(l => ({
		Service: l.querySelector(".svc").textContent, Time: l.querySelector(".t").title, Text: l.textContent, Trace: Array.from(l.querySelectorAll("summary a.tlink")).map(a => a.getAttribute("href")).join(" ")}))`)) // the summary and its trace links
	if err != nil {
		t.Fatal(err)
	}
	services := map[string]bool{}
	var times []string
	for _, l := range lines {
		services[l.Service] = true
		times = append(times, l.Time)
		if !strings.Contains(l.Trace, "/traces/"+id) {
			t.Errorf("a line of another trace: %q links %q", l.Text, l.Trace)
		}
	}
	if len(services) < 3 {
		t.Errorf("lines from %d services (%v), want at least 3", len(services), services)
	}
	if !slices.IsSorted(times) {
		t.Errorf("lines not in time order: %v", times)
	}
	screenshot(t, b, "logs-trace")

	// A line's trace link leads back to the same trace.
	if err := chromedp.Do(b.ctx, chromedp.Click(chromedp.CSS(`section.panel-done[data-panel="Lines"] .logline summary a.tlink`)),
		chromedp.WaitVisible(chromedp.ID("waterfall"))); err != nil {
		t.Fatal(err)
	}
	b.waitPath(t, "/traces/"+id)

	// The Logs section arrives after the waterfall and counts lines on rows.
	if err := chromedp.Do(b.ctx, chromedp.WaitVisible(chromedp.CSS(`#trace-logs section.panel-done[data-panel="Logs"] .logline`))); err != nil {
		t.Fatal(err)
	}
	counts, _ := chromedp.Run(b.ctx, chromedp.Evaluate[int](`document.querySelectorAll("#waterfall .logcount").length`))
	if counts < 3 {
		t.Errorf("%d span rows show a log count, want at least 3", counts)
	}
	// Select the failing payments span: its error line shows inline.
	b.selectFailingCharge(t)
	if err := chromedp.Do(b.ctx, chromedp.WaitVisible(chromedp.CSS(`#span-details .span-logs .logline.lvl-error`))); err != nil {
		t.Fatal(err)
	}
	inline, _ := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(`#span-details .span-logs .logline.lvl-error .msg`)))
	if !strings.Contains(inline, "payment provider timed out") {
		t.Errorf("inline error line: %q", inline)
	}
	screenshot(t, b, "trace-logs")
	b.assertClean(t)
}
