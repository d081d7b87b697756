package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// pushLine sends one line to the world's Loki through its push API, as
// any agent would.
func pushLine(t *testing.T, a *app, labels map[string]string, line string) {
	t.Helper()
	pushLoki(t, a, []any{map[string]any{"stream": labels, "values": [][]string{{strconv.FormatInt(time.Now().UnixNano(), 10), line}}}})
}

// pushLoki sends streams (Loki's push API's JSON) to the world's Loki.
func pushLoki(t *testing.T, a *app, streams []any) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"streams": streams})
	resp, err := http.Post(a.World.LokiURL+"/loki/api/v1/push", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("push: status %d", resp.StatusCode)
	}
}

// TestLiveTail (#19 Done when): on /logs with a query, Live shows a line
// pushed to Loki within 2 s, at the top, with its level and trace link;
// Pause holds new lines until Resume; the rate indicator counts them.
func TestLiveTail(t *testing.T) {
	a := demoApp(t)
	b := newBrowser(t)
	labels := map[string]string{"service_name": "e2e-live", "level": "error"}
	q := `{service_name="e2e-live"}`
	if err := chromedp.Do(b.ctx,
		chromedp.Navigate(a.URL+"/logs?q="+url.QueryEscape(q)),
		chromedp.WaitVisible(chromedp.CSS(`#live button.live-start`)),
		chromedp.Click(chromedp.CSS(`#live button.live-start`)),
	); err != nil {
		t.Fatal(err)
	}
	b.waitFor(t, `document.querySelector("#live .live-status").textContent === "Following"`)

	const trace = "4bf92f3577b34da6a3ce929d0e0e4736"
	marker := fmt.Sprintf("live line %d", time.Now().UnixNano())
	pushed := time.Now()
	pushLine(t, a, labels, fmt.Sprintf(`{"level":"error","msg":%q,"service":"e2e-live","trace_id":%q}`, marker, trace))
	seen := false
	for time.Since(pushed) < 2*time.Second {
		top, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`(document.querySelector("#live .live-lines .logline") || {}).textContent || ""`))
		if err == nil && strings.Contains(top, marker) {
			seen = true
			break
		}
		time.Sleep(25 * time.Millisecond)
	}
	if !seen {
		t.Fatalf("the pushed line did not appear in Live within 2 s")
	}
	t.Logf("appeared %s after the push", time.Since(pushed).Round(time.Millisecond))
	level, _ := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(`#live .live-lines .logline .lvl`)))
	href, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.querySelector("#live .live-lines .logline a.tlink").getAttribute("href")`))
	if level != "error" || !strings.Contains(href, "/traces/"+trace) {
		t.Errorf("the live row: level %q, trace link %q", level, href)
	}
	b.waitFor(t, `/^[1-9][0-9.]* lines\/s$|^0\.[1-9] lines\/s$/.test(document.querySelector("#live .live-rate").textContent)`)

	// Paused, a new line waits; resumed, it goes on top.
	held := marker + " held"
	if err := chromedp.Do(b.ctx, chromedp.Click(chromedp.CSS(`#live button.live-pause`))); err != nil {
		t.Fatal(err)
	}
	pushLine(t, a, labels, held)
	b.waitFor(t, `document.querySelector("#live .live-status").textContent.startsWith("Paused: 1")`)
	if top, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.querySelector("#live .live-lines .logline").textContent`)); strings.Contains(top, held) {
		t.Fatal("a line was shown while paused")
	}
	if err := chromedp.Do(b.ctx, chromedp.Click(chromedp.CSS(`#live button.live-pause`))); err != nil {
		t.Fatal(err)
	}
	b.waitFor(t, `document.querySelector("#live .live-lines .logline").textContent.includes(`+strconv.Quote(held)+`)`)
	screenshot(t, b, "logs-live")
	b.assertClean(t)
}
