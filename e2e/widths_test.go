package e2e

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestPagesAtEveryWidth: the trace, logs, graph and investigation pages
// on a laptop (1400 px) and a phone (390 px) fit their width (no sideways
// scroll: wide content scrolls inside its own panel), keep their key
// parts on screen, and on a phone keep tap targets tappable. With
// ARIADNE_SCREENSHOTS=1 each page is saved light and dark at both widths
// for a person to look at (#20 item 3).
func TestPagesAtEveryWidth(t *testing.T) {
	a := demoApp(t)
	id := failingTrace(t, a)
	b := newBrowser(t)

	// An investigation to look at: the failing span pinned, as a user does.
	if err := chromedp.Do(b.ctx, chromedp.Navigate(a.URL+"/traces/"+id), chromedp.WaitVisible(chromedp.ID("waterfall"))); err != nil {
		t.Fatal(err)
	}
	b.selectFailingCharge(t)
	if err := chromedp.Do(b.ctx,
		chromedp.WaitVisible(chromedp.CSS(`#span-details details.pin > summary`)),
		chromedp.Click(chromedp.CSS(`#span-details details.pin > summary`)),
		chromedp.SendKeys(chromedp.CSS(`#span-details form.pin-form input[name="new_title"]`), "Widths "+id[:8]),
		chromedp.Click(chromedp.CSS(`#span-details form.pin-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.banner.ok a`)),
	); err != nil {
		t.Fatal(err)
	}
	inv, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.querySelector(".banner.ok a").getAttribute("href")`))
	if err != nil || !strings.HasPrefix(inv, "/investigations/") {
		t.Fatalf("no link to the new investigation: %q %v", inv, err)
	}

	q := "sum by (service) (rate(http_server_request_duration_seconds_count[1m]))"
	pages := []struct{ name, path, ready string }{
		{"trace", "/traces/" + id, `#waterfall`},
		{"logs", "/logs?trace_id=" + id, `section.panel-done[data-panel="Lines"]`},
		{"graph", "/graph?from=now-15m&to=now&q=" + url.QueryEscape(q), `svg.chart`},
		{"investigation", inv, `.timeline .item`},
	}
	for _, width := range []int64{1400, phoneWidth} {
		opts := []chromedp.EmulateViewportOption{}
		if width == phoneWidth {
			opts = append(opts, chromedp.EmulateMobile, chromedp.EmulateScale(3))
		}
		if err := chromedp.Do(b.ctx, chromedp.EmulateViewport(width, 900, opts...)); err != nil {
			t.Fatal(err)
		}
		for _, p := range pages {
			name := fmt.Sprintf("%s-%d", p.name, width)
			if err := chromedp.Do(b.ctx, chromedp.Navigate(a.URL+p.path), chromedp.WaitVisible(chromedp.CSS(p.ready))); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if p.name == "trace" {
				b.selectFailingCharge(t)
				if err := chromedp.Do(b.ctx, chromedp.WaitVisible(chromedp.CSS(`#span-details .event.exception`))); err != nil {
					t.Fatalf("%s: %v", name, err)
				}
			}
			screenshot(t, b, name)
			if w, _ := chromedp.Run(b.ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > int(width)+1 {
				t.Errorf("%s: the page is %d px wide: it scrolls sideways", name, w)
			}
			// Nothing the page is for may sit off its right edge.
			off, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`(() => {
				const bad = Array.from(document.querySelectorAll("main h1, main h2, .banner, form button, .item h3, .trace-facts dd"))
					.find(e => e.checkVisibility() && e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest(".chart-box, .waterfall, .loglines, table"));
				return bad ? bad.outerHTML.slice(0, 120) : ""; })()`))
			if off != "" {
				t.Errorf("%s: cut off at the right edge: %s", name, off)
			}
		}
	}

	// On a phone the graph's exemplars are tap targets, not 2 px dots.
	if err := chromedp.Do(b.ctx, chromedp.Navigate(a.URL+pages[2].path), chromedp.WaitVisible(chromedp.CSS(`svg.chart`))); err != nil {
		t.Fatal(err)
	}
	if size, _ := chromedp.Run(b.ctx, chromedp.Evaluate[float64](`(() => {
		const c = Array.from(document.querySelectorAll("svg.chart .ex circle")).map(e => e.getBoundingClientRect().width);
		return c.length ? Math.min(...c) : -1; })()`)); size >= 0 && size < 12 {
		t.Errorf("exemplar markers are %.1f px across on a phone, want at least 12", size)
	}
}

// TestLogWrapToggle: "Wrap lines" shows long lines whole in place, keeps
// the choice in the URL, and works as a plain link without JavaScript
// (#20 item 4).
func TestLogWrapToggle(t *testing.T) {
	a := demoApp(t)
	id := failingTrace(t, a)
	b := newBrowser(t)
	if err := chromedp.Do(b.ctx, chromedp.EmulateViewport(700, 900), chromedp.Navigate(a.URL+"/logs?trace_id="+id),
		chromedp.WaitVisible(chromedp.CSS(`a.wrap-toggle`))); err != nil {
		t.Fatal(err)
	}
	height := `Math.max(...Array.from(document.querySelectorAll(".loglines .logline .msg")).map(m => m.getBoundingClientRect().height))`
	before, _ := chromedp.Run(b.ctx, chromedp.Evaluate[float64](height))
	if err := chromedp.Do(b.ctx, chromedp.Click(chromedp.CSS(`a.wrap-toggle`)), chromedp.WaitVisible(chromedp.CSS(`.loglines.wrap`))); err != nil {
		t.Fatal(err)
	}
	after, _ := chromedp.Run(b.ctx, chromedp.Evaluate[float64](height))
	if after <= before {
		t.Errorf("wrapping left the longest line %.0f px high (was %.0f): it is still cut", after, before)
	}
	b.waitSearch(t, "wrap=1")
	if err := chromedp.Do(b.ctx, chromedp.Navigate(a.URL+"/logs?pretty=1&trace_id="+id), chromedp.WaitVisible(chromedp.CSS(`.loglines`))); err != nil {
		t.Fatal(err)
	}
	if n, _ := chromedp.Run(b.ctx, chromedp.Evaluate[int](`document.querySelectorAll(".logline pre.pretty").length`)); n == 0 {
		t.Error("Indent JSON shows no indented line")
	}
	b.assertClean(t)
}
