package handlers

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"

	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/datasources/zipkin"
	"github.com/ariadne-dev/ariadne/datasources/zipkintest"
)

// shopCall is one order through gateway and orders, orders calling a
// fraud API that emits nothing of its own (a client span only).
func shopCall() *tracepb.TracesData {
	client := func(s *tracepb.Span) *tracepb.Span { s.Kind = tracepb.Span_SPAN_KIND_CLIENT; return s }
	return &tracepb.TracesData{ResourceSpans: []*tracepb.ResourceSpans{
		resourceSpans("gateway", pbSpan("00000000000000a1", "", "POST /api/checkout", 0, 100),
			client(pbSpan("00000000000000a2", "00000000000000a1", "POST /orders", 2, 98))),
		resourceSpans("orders", pbSpan("00000000000000b1", "00000000000000a2", "POST /orders", 3, 97),
			client(pbSpan("00000000000000b2", "00000000000000b1", "POST /v1/score", 10, 30, str("peer.service", "fraud-api"), str("server.address", "fraud-api.example")))),
	}}
}

// Prometheus down: the map still draws from the trace sample, names the
// uninstrumented peer dashed, and says why its figures are the sample's;
// the backend panels are still there.
func TestHomeMapFromTracesWhenPrometheusIsDown(t *testing.T) {
	b := newTestBackends(t, backendOptions{})
	b.tempo.Ingest(shopCall())
	a := newApp(t, Options{Tempo: b.tempoClient, Prometheus: &fakeMetrics{queryErr: &datasources.Error{Kind: datasources.ErrorUnavailable, Backend: "prometheus", Message: "Prometheus is unreachable."}},
		Backends: []Backend{{Name: "Tempo", Env: "TEMPO", URL: "http://tempo"}}})
	w := a.get(t, "/?from=now-1h&to=now")
	if w.Code != http.StatusOK {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	if strings.Contains(w.Body.String(), "style=") {
		t.Error("a style attribute: the CSP forbids them")
	}
	d := doc(t, w)
	m := d.Find(`section.panel-done[data-panel="Service map"]`)
	if m.Length() != 1 || m.HasClass("failed") {
		t.Fatalf("map panel %q", m.Text())
	}
	var nodes []string
	m.Find("svg.service-map a.map-node").Each(func(_ int, s *goquery.Selection) {
		n := s.AttrOr("data-service", "")
		if s.Find("rect.peer").Length() == 1 {
			n += "(dashed)"
		}
		nodes = append(nodes, n)
	})
	slices.Sort(nodes)
	if strings.Join(nodes, ",") != "fraud-api(dashed),gateway,orders" {
		t.Errorf("nodes %v", nodes)
	}
	edge := m.Find(`a.map-edge[data-client="gateway"][data-server="orders"]`)
	href := edge.AttrOr("href", "")
	if !strings.HasPrefix(href, "/traces?") || !strings.Contains(href, "from=now-1h") ||
		!strings.Contains(href, "q=%7B+resource.service.name+%3D+%22gateway%22+%7D+%3E+%7B+resource.service.name+%3D+%22orders%22+%7D") {
		t.Errorf("edge link %q", href)
	}
	if got := m.Find(`a.map-edge-label[data-client="gateway"][data-server="orders"] text.edge-label`).Text(); got != "1 sampled · 0% · p99 94.0 ms" {
		t.Errorf("edge label %q (as orders measured it)", got)
	}
	if got := m.Find(`a.map-node[data-service="orders"]`).AttrOr("href", ""); got != "/services/orders?from=now-1h&to=now" {
		t.Errorf("node link %q", got)
	}
	text := strings.Join(strings.Fields(m.Text()), " ")
	for _, want := range []string{"Span metrics from Prometheus: Prometheus is unreachable.", "a sample of 1 traces from Tempo, up to 10 from each tenth of the range"} {
		if !strings.Contains(text, want) {
			t.Errorf("map panel lacks %q: %s", want, text)
		}
	}
	hid := strings.Join(strings.Fields(d.Find(`section.panel-done[data-panel="Hidden dependencies"]`).Text()), " ")
	if !strings.Contains(hid, "fraud-api service (peer.service=fraud-api), called by orders") {
		t.Errorf("hidden dependencies %q", hid)
	}
	if d.Find(`section.panel-done[data-panel="Tempo"]`).Length() != 1 {
		t.Error("the backend panels are gone")
	}
}

func TestServicePage(t *testing.T) {
	b := newTestBackends(t, backendOptions{})
	b.tempo.Ingest(shopCall())
	a := newApp(t, Options{Tempo: b.tempoClient, Prometheus: &fakeMetrics{queryErr: errors.New("boom")}})
	w := a.get(t, "/services/orders?from=now-1h&to=now")
	if w.Code != http.StatusOK {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	d := doc(t, w)
	if got := d.Find("h1").Text(); got != "orders" {
		t.Errorf("h1 %q", got)
	}
	if got := d.Find("a.logs-link").AttrOr("href", ""); got != `/logs?from=now-1h&q=%7Bservice_name%3D%22orders%22%7D&to=now` {
		t.Errorf("logs link %q", got)
	}
	lists := d.Find(`section.panel-done[data-panel="Calls"] ul.service-calls`)
	up, down := strings.Join(strings.Fields(lists.Eq(0).Text()), " "), strings.Join(strings.Fields(lists.Eq(1).Text()), " ")
	if !strings.HasPrefix(up, "gateway 1 spans in the sample") || !strings.HasPrefix(down, "fraud-api (uninstrumented)") {
		t.Errorf("called by %q, calls %q", up, down)
	}
	ops := strings.Join(strings.Fields(d.Find(`section.panel-done[data-panel="Operations"]`).Text()), " ")
	if !strings.Contains(ops, "POST /orders") || !strings.Contains(ops, "a sample of 1 of its newest traces") {
		t.Errorf("operations %q", ops)
	}
	slow := d.Find(`section.panel-done[data-panel="Slowest traces"] a.trace-link`)
	if slow.Length() != 1 || !strings.HasPrefix(slow.AttrOr("href", ""), "/traces/"+traceHex) {
		t.Errorf("slowest %q", slow.AttrOr("href", ""))
	}
	// Each RED graph is a panel of its own, failing alone.
	if n := d.Find(`section.panel-done.failed`).Length(); n != 3 {
		t.Errorf("%d failed panels, want the 3 graphs", n)
	}

	for _, bad := range []string{"/services/%00x", "/services/" + strings.Repeat("a", 300), "/services/a%2Fb"} {
		if w := a.get(t, bad); w.Code != http.StatusBadRequest && w.Code != http.StatusNotFound {
			t.Errorf("%s: status %d, want 400", bad, w.Code)
		}
	}
	if w := a.get(t, "/services/%01"); w.Code != http.StatusBadRequest {
		t.Errorf("control character: status %d", w.Code)
	}
}

// With only a backend searched by service (Zipkin here, Jaeger alike),
// the sample's slices search its services in turn, and the edge links
// search the callee by name there (no TraceQL).
func TestHomeMapFromAParameterBackend(t *testing.T) {
	z := zipkintest.NewTestServer(t, zipkintest.WithClock(fixtureClock))
	at := zipkintest.Micros(traceBase)
	gw := &zipkintest.Endpoint{ServiceName: "gateway"}
	pay := &zipkintest.Endpoint{ServiceName: "payments"}
	if err := z.Ingest(
		zipkintest.Span{TraceID: "a3ce929d0e0e4736", ID: "00000000000000a1", Name: "post /checkout", Kind: zipkintest.KindServer, Timestamp: at, Duration: 900_000, LocalEndpoint: gw},
		zipkintest.Span{TraceID: "a3ce929d0e0e4736", ID: "00000000000000b2", ParentID: "00000000000000a1", Name: "post /charge", Kind: zipkintest.KindServer,
			Timestamp: at + 20_000, Duration: 700_000, LocalEndpoint: pay},
	); err != nil {
		t.Fatal(err)
	}
	zc, err := zipkin.New(datasources.Config{URL: z.URL, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	a := newApp(t, Options{TraceBackends: []TraceBackend{{Name: "zipkin", Display: "Zipkin", Fetch: zc, Search: zc}}})
	d := doc(t, a.get(t, "/?from=now-1h&to=now"))
	m := d.Find(`section.panel-done[data-panel="Service map"]`)
	edge := m.Find(`a.map-edge[data-client="gateway"][data-server="payments"]`)
	if got := edge.AttrOr("href", ""); got != "/traces?backend=zipkin&from=now-1h&service=payments&to=now" {
		t.Errorf("edge link %q; map %q", got, strings.Join(strings.Fields(m.Text()), " "))
	}
	if !strings.Contains(m.Text(), "a sample of 1 traces from Zipkin") || !strings.Contains(m.Text(), "Prometheus is not configured") {
		t.Errorf("map sources %q", strings.Join(strings.Fields(m.Text()), " "))
	}
}
