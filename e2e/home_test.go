package e2e

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// TestHomeOnDemoWorld: on the demo world every backend panel says "up".
func TestHomeOnDemoWorld(t *testing.T) {
	a := demoApp(t)
	b := newBrowser(t)
	if err := chromedp.Do(b.ctx, chromedp.Navigate(a.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS(`section.panel-done[data-panel="Tempo"]`))); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"Postgres", "Prometheus", "Loki", "Tempo", "Jaeger"} {
		state, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(`section.panel-done[data-panel="`+name+`"] .state`)))
		if err != nil {
			t.Fatal(err)
		}
		if state != "up" {
			t.Errorf("%s panel: %q, want up", name, state)
		}
	}
	b.assertClean(t)
}
