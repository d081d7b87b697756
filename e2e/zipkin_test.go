package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ariadne-dev/ariadne/datasources/zipkintest"
)

// TestZipkinTraceJourney: a B3-instrumented flow in Zipkin (a 64-bit
// trace ID; a client span and its shared server half with the same span
// ID), found through the search form with Zipkin chosen, opened from the
// results: both halves show, the page says Zipkin, and the 16-character ID
// in the global box opens the same trace.
func TestZipkinTraceJourney(t *testing.T) {
	a := demoApp(t)
	id := fmt.Sprintf("%016x", time.Now().UnixNano()) // 64-bit, unique per run
	at := zipkintest.Micros(time.Now().Add(-time.Minute))
	rec := &zipkintest.Endpoint{ServiceName: "reconciler"}
	ledger := &zipkintest.Endpoint{ServiceName: "ledger"}
	if err := a.Zipkin.Ingest(
		zipkintest.Span{TraceID: id, ID: "00000000000000a1", Name: "reconcile", Timestamp: at, Duration: 600_000, LocalEndpoint: rec},
		zipkintest.Span{TraceID: id, ID: "00000000000000b2", ParentID: "00000000000000a1", Name: "post /entries", Kind: zipkintest.KindClient,
			Timestamp: at + 10_000, Duration: 500_000, LocalEndpoint: rec, RemoteEndpoint: ledger, Tags: map[string]string{"error": "409 conflict"}},
		zipkintest.Span{TraceID: id, ID: "00000000000000b2", ParentID: "00000000000000a1", Name: "post /entries", Kind: zipkintest.KindServer, Shared: true,
			Timestamp: at + 20_000, Duration: 400_000, LocalEndpoint: ledger},
	); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t)
	b.searchErrors(t, a.URL, "zipkin", "reconciler")
	results := `section.panel-done[data-panel="Results"]`
	if err := chromedp.Do(b.ctx, chromedp.WaitVisible(chromedp.CSS(results))); err != nil {
		t.Fatal(err)
	}
	text, _ := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(results)))
	if !strings.Contains(text, "Sent to Zipkin: /api/v2/traces?") || !strings.Contains(text, id) {
		t.Fatalf("results: %q", text)
	}
	if err := chromedp.Do(b.ctx,
		chromedp.Click(chromedp.CSS(results+` tbody tr td a`)),
		chromedp.WaitVisible(chromedp.ID("waterfall")),
	); err != nil {
		t.Fatal(err)
	}
	facts, _ := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(`.trace-facts`)))
	if !strings.Contains(facts, "Zipkin") {
		t.Errorf("facts %q", facts)
	}
	rows, _ := chromedp.Run(b.ctx, chromedp.Evaluate[int](`document.querySelectorAll("#waterfall .row:not(.more)").length`))
	services, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`Array.from(document.querySelectorAll("#waterfall .row .svc")).map(s => s.textContent).join(",")`))
	if rows != 3 || !strings.Contains(services, "ledger") {
		t.Errorf("%d rows of %s, want 3: the shared span's client half (reconciler) and server half (ledger)", rows, services)
	}

	// The 16-character ID, as a B3 service logs it, in the global box.
	if err := chromedp.Do(b.ctx,
		chromedp.Navigate(a.URL+"/"),
		chromedp.WaitVisible(chromedp.ID("trace-box")),
		chromedp.SendKeys(chromedp.ID("trace-box"), id+"\r"),
		chromedp.WaitVisible(chromedp.ID("waterfall")),
	); err != nil {
		t.Fatal(err)
	}
	b.waitPath(t, "/traces/0000000000000000"+id)
	b.assertClean(t)
}
