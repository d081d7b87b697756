package handlers

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/datasources/zipkin"
	"github.com/ariadne-dev/ariadne/datasources/zipkintest"
)

// A Zipkin journey: the search form sent as Zipkin's parameters, a B3
// trace with a 64-bit ID and a shared client/server span, both halves of
// which show on the trace page, and the trace's logs found by its
// 16-character ID.
func TestPagesAgainstZipkin(t *testing.T) {
	z := zipkintest.NewTestServer(t, zipkintest.WithClock(fixtureClock))
	const id64 = "a3ce929d0e0e4736"
	at := zipkintest.Micros(traceBase)
	gw := &zipkintest.Endpoint{ServiceName: "gateway"}
	pay := &zipkintest.Endpoint{ServiceName: "payment-provider"}
	if err := z.Ingest(
		zipkintest.Span{TraceID: id64, ID: "00000000000000a1", Name: "get /reconcile", Kind: zipkintest.KindServer, Timestamp: at, Duration: 900_000, LocalEndpoint: gw},
		zipkintest.Span{TraceID: id64, ID: "00000000000000b2", ParentID: "00000000000000a1", Name: "post /settle", Kind: zipkintest.KindClient,
			Timestamp: at + 10_000, Duration: 800_000, LocalEndpoint: gw, RemoteEndpoint: pay, Tags: map[string]string{"error": "settlement refused"}},
		zipkintest.Span{TraceID: id64, ID: "00000000000000b2", ParentID: "00000000000000a1", Name: "post /settle", Kind: zipkintest.KindServer, Shared: true,
			Timestamp: at + 20_000, Duration: 700_000, LocalEndpoint: pay},
	); err != nil {
		t.Fatal(err)
	}
	zc, err := zipkin.New(datasources.Config{URL: z.URL, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	a := newApp(t, Options{TraceBackends: []TraceBackend{{Name: "zipkin", Display: "Zipkin", Fetch: zc, Search: zc}}})

	w := a.get(t, "/traces?backend=zipkin&service=gateway&errors=1&build=1&from=now-15m&to=now")
	results := doc(t, w).Find(`section.panel-done[data-panel="Results"]`)
	if !strings.Contains(results.Text(), "Sent to Zipkin: /api/v2/traces?") {
		t.Errorf("the request sent is not shown: %q", results.Text())
	}
	href, _ := results.Find(`tbody tr td a`).Attr("href")
	full := "0000000000000000" + id64
	if !strings.HasPrefix(href, "/traces/"+full) || !strings.Contains(href, "backend=zipkin") {
		t.Fatalf("result link %q (results %q)", href, results.Text())
	}
	page := a.get(t, href)
	d := doc(t, page)
	if facts := strings.Join(strings.Fields(d.Find(".trace-facts").Text()), ""); page.Code != http.StatusOK || !strings.Contains(facts, "FromZipkin") {
		t.Fatalf("trace page %d, facts %q", page.Code, facts)
	}
	rows := d.Find(".waterfall .row:not(.more)")
	if rows.Length() != 3 {
		t.Errorf("%d rows, want 3: the shared span's client and server halves both", rows.Length())
	}
	if text := d.Find(".waterfall").Text(); !strings.Contains(text, "payment-provider") || !strings.Contains(text, "gateway") {
		t.Errorf("waterfall %q: both services' halves", text)
	}
	// The 16-character form is how a B3 service logs the ID.
	if w := a.get(t, "/traces/"+id64); w.Code != http.StatusOK {
		t.Errorf("the 16-character ID: status %d", w.Code)
	}
}
