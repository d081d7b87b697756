package e2e

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/ariadne-dev/ariadne/handlers"
	"github.com/ariadne-dev/ariadne/store/storetest"
)

// TestSmokeHome loads / in Chromium: the navigation is there, every
// backend panel arrived, and the page met no console error and no CSP
// violation.
func TestSmokeHome(t *testing.T) {
	pool := storetest.NewPool(t)
	h := handlers.New(handlers.Options{DB: pool, DefaultUser: "local"})
	t.Cleanup(h.Close)
	srv := httptest.NewServer(h.Router())
	t.Cleanup(srv.Close)

	b := newBrowser(t)
	if err := chromedp.Do(b.ctx,
		chromedp.Navigate(srv.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS(`section.panel-done[data-panel="Postgres"]`)),
	); err != nil {
		t.Fatal(err)
	}
	nav, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS("nav.nav")))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Graph", "Traces", "Logs", "Investigations"} {
		if !strings.Contains(nav, want) {
			t.Errorf("navigation %q lacks %q", nav, want)
		}
	}
	state, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(`section.panel-done[data-panel="Postgres"] .state`)))
	if err != nil {
		t.Fatal(err)
	}
	if state != "up" {
		t.Errorf("Postgres panel state = %q, want up", state)
	}
	// The loading placeholder of a finished panel is hidden by CSS alone.
	hidden, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](
		`getComputedStyle(document.querySelector("section.panel-loading.slot-1")).display === "none"`))
	if err != nil {
		t.Fatal(err)
	}
	if !hidden {
		t.Error("the Postgres placeholder is still shown after its panel arrived")
	}
	b.assertClean(t)

	// The global box opens a trace from a traceparent.
	if err := chromedp.Do(b.ctx,
		chromedp.SendKeys(chromedp.ID("trace-box"), "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01"),
		chromedp.Submit(chromedp.ID("trace-box")),
	); err != nil {
		t.Fatal(err)
	}
	b.waitPath(t, "/traces/4bf92f3577b34da6a3ce929d0e0e4736")
}
