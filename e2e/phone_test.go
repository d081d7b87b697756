package e2e

import (
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// phoneWidth is an iPhone's CSS width, the narrow end of what on-call
// engineers read Ariadne on.
const phoneWidth = 390

// TestPhoneJourney: at 390 px a failing trace's page fits the screen (no
// sideways scroll), the failing span's details come under the waterfall,
// not over it, with its exception and its error log line readable, and
// the logs page gives the message a line of its own (#20 item 3).
func TestPhoneJourney(t *testing.T) {
	a := demoApp(t)
	id := failingTrace(t, a)
	b := newBrowser(t)
	if err := chromedp.Do(b.ctx, chromedp.EmulateViewport(phoneWidth, 844, chromedp.EmulateMobile, chromedp.EmulateScale(3)),
		chromedp.Navigate(a.URL+"/traces/"+id), chromedp.WaitVisible(chromedp.ID("waterfall"))); err != nil {
		t.Fatal(err)
	}
	b.selectFailingCharge(t)
	if err := chromedp.Do(b.ctx, chromedp.WaitVisible(chromedp.CSS(`#span-details .event.exception`))); err != nil {
		t.Fatal(err)
	}
	screenshot(t, b, "phone-trace")
	fits, _ := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth <= window.innerWidth + 1`))
	if !fits {
		w, _ := chromedp.Run(b.ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
		t.Errorf("the trace page is %d px wide at %d px: it scrolls sideways", w, phoneWidth)
	}
	below, _ := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`document.getElementById("span-details").getBoundingClientRect().top >= document.getElementById("waterfall").getBoundingClientRect().bottom - 1`))
	if !below {
		t.Error("the span details cover the waterfall instead of following it")
	}
	exc, _ := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(`#span-details .event.exception`)))
	if !strings.Contains(exc, "payment provider did not answer within 800ms") {
		t.Errorf("exception %q", exc)
	}
	readable, _ := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`(() => {
		const l = Array.from(document.querySelectorAll("#span-details .logline")).find(l => l.textContent.includes("payment provider timed out"));
		const m = l && l.querySelector(".msg");
		return !!m && m.getBoundingClientRect().width >= 200; })()`))
	if !readable {
		t.Error("the span's error log line has no room to be read")
	}

	if err := chromedp.Do(b.ctx, chromedp.Navigate(a.URL+"/logs?trace_id="+id), chromedp.WaitVisible(chromedp.CSS(`section.panel-done[data-panel="Lines"]`))); err != nil {
		t.Fatal(err)
	}
	screenshot(t, b, "phone-logs")
	width, _ := chromedp.Run(b.ctx, chromedp.Evaluate[float64](`Math.min(...Array.from(document.querySelectorAll("#logs-lines .logline .msg, .logline .msg")).slice(0, 5).map(m => m.getBoundingClientRect().width))`))
	if width < 250 {
		t.Errorf("log messages are %.0f px wide at %d px, want a line of their own", width, phoneWidth)
	}

	// The graph: its text and markers at a size a phone can read and tap,
	// the page itself not scrolling sideways.
	q := "sum by (service) (rate(http_server_request_duration_seconds_count[1m]))"
	if err := chromedp.Do(b.ctx, chromedp.Navigate(a.URL+"/graph?from=now-15m&to=now&q="+url.QueryEscape(q)),
		chromedp.WaitVisible(chromedp.CSS(`svg.chart`))); err != nil {
		t.Fatal(err)
	}
	screenshot(t, b, "phone-graph")
	text, _ := chromedp.Run(b.ctx, chromedp.Evaluate[float64](`Math.min(...Array.from(document.querySelectorAll("svg.chart text")).map(e => e.getBoundingClientRect().height))`))
	if text < 8 {
		t.Errorf("chart text is %.1f px high at %d px, want at least 8", text, phoneWidth)
	}
	if fits, _ := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth <= window.innerWidth + 1`)); !fits {
		t.Error("the graph page scrolls sideways (the chart should scroll in its panel)")
	}
}
