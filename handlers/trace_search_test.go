package handlers

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/datasources/tempo"
	"github.com/ariadne-dev/ariadne/views"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
)

func TestTraceSearchForm(t *testing.T) {
	a := newTraceApp(t, checkoutTrace())
	window := "&from=2026-11-26T09:50:00Z&to=2026-11-26T10:10:00Z"
	w := a.get(t, "/traces?build=1&service=payments&errors=1&attr="+url.QueryEscape("http.route=/charge")+window)
	if w.Code != 200 {
		t.Fatalf("status %d", w.Code)
	}
	d := doc(t, w)
	if q := d.Find("#traceql").AttrOr("value", ""); q != `{ resource.service.name = "payments" && status = error && .http.route = "/charge" }` {
		t.Errorf("compiled TraceQL %q", q)
	}
	res := d.Find(`section.panel-done[data-panel="Results"]`)
	rows := res.Find("tbody tr")
	if rows.Length() != 1 {
		t.Fatalf("%d results:\n%s", rows.Length(), res.Text())
	}
	href := rows.Find("a").First().AttrOr("href", "")
	if !strings.HasPrefix(href, "/traces/"+traceHex+"?") {
		t.Errorf("result links to %q", href)
	}
	var cells []string
	rows.Find("td").Each(func(_ int, s *goquery.Selection) { cells = append(cells, strings.Join(strings.Fields(s.Text()), " ")) })
	want := []string{"gateway", "POST /api/checkout " + traceHex, "5 min ago", "100 ms", "4", "1"}
	if strings.Join(cells, "|") != strings.Join(want, "|") {
		t.Errorf("result cells %q, want %q", cells, want)
	}
	// The form keeps what was sent.
	if d.Find(`.trace-search input[name="service"]`).AttrOr("value", "") != "payments" {
		t.Errorf("service box %q", d.Find(`.trace-search input[name="service"]`).AttrOr("value", ""))
	}
	if _, checked := d.Find(`.trace-search input[name="errors"]`).Attr("checked"); !checked {
		t.Error("errors-only box not kept")
	}
	// Choices for the form come from Tempo's tag values.
	if d.Find(`#service-choices option[value="inventory"]`).Length() != 1 {
		t.Error("no service choices")
	}
}

func TestTraceSearchBadQueryKeepsIt(t *testing.T) {
	a := newTraceApp(t, checkoutTrace())
	w := a.get(t, "/traces?q="+url.QueryEscape("{ status = "))
	if w.Code != 200 {
		t.Fatalf("a bad query is a panel error, not a page error: %d", w.Code)
	}
	d := doc(t, w)
	if q := d.Find("#traceql").AttrOr("value", ""); q != "{ status = " {
		t.Errorf("query not kept: %q", q)
	}
	panel := d.Find(`section.panel-done[data-panel="Results"]`)
	if !panel.HasClass("failed") || !strings.Contains(panel.Text(), "invalid TraceQL query") {
		t.Errorf("results panel: %q", panel.Text())
	}
}

func TestTraceSearchFormErrors(t *testing.T) {
	a := newTraceApp(t, checkoutTrace())
	for _, tt := range []struct{ query, want string }{
		{"min=soon", `Min duration "soon" is not a duration such as 250ms or 2s.`},
		{"max=-1s", `Max duration "-1s" is not a duration such as 250ms or 2s.`},
	} {
		d := doc(t, a.get(t, "/traces?build=1&"+tt.query))
		if got := strings.TrimSpace(d.Find(".form-error").Text()); got != tt.want {
			t.Errorf("%s: form error %q, want %q", tt.query, got, tt.want)
		}
	}
}

func TestTraceSearchTempoDown(t *testing.T) {
	down, _ := tempo.New(datasources.Config{URL: "http://127.0.0.1:1", Timeout: time.Second})
	a := newApp(t, Options{Tempo: down})
	w := a.get(t, "/traces?q={}")
	if w.Code != 200 {
		t.Fatalf("status %d", w.Code)
	}
	if got := doc(t, w).Find(`section.panel-done[data-panel="Results"]`).Text(); !strings.Contains(got, "Tempo is unreachable") {
		t.Errorf("panel %q", got)
	}
}

// A trace whose every span has its own name (telemetrygen's okey-dokey-N)
// must not make the search form list them all: Tempo is asked for at most
// tempo.MaxTagValues and the form offers views.MaxNameChoices.
func TestTraceSearchNameChoicesAreBounded(t *testing.T) {
	const n = 1500
	spans := []*tracepb.Span{pbSpan("00000000000000a1", "", "root", 0, 100)}
	for i := range n {
		spans = append(spans, pbSpan(fmt.Sprintf("%016x", 0x1000+i), "00000000000000a1", fmt.Sprintf("okey-dokey-%d", i), 1, 2))
	}
	a := newTraceApp(t, &tracepb.TracesData{ResourceSpans: []*tracepb.ResourceSpans{resourceSpans("telemetrygen", spans...)}})
	w := a.get(t, "/traces?build=1&service=telemetrygen")
	if w.Code != 200 {
		t.Fatalf("status %d", w.Code)
	}
	d := doc(t, w)
	if got := d.Find("#name-choices option").Length(); got != views.MaxNameChoices {
		t.Errorf("%d span names offered, want %d", got, views.MaxNameChoices)
	}
	if d.Find(`#service-choices option[value="telemetrygen"]`).Length() != 1 {
		t.Error("the service is not offered")
	}
	if w.Body.Len() > 64<<10 {
		t.Errorf("search page weighs %d bytes with %d span names in the backend", w.Body.Len(), n)
	}
	vals, err := a.h.opt.Tempo.TagValues(t.Context(), "name", time.Time{}, time.Time{})
	if err != nil || len(vals) != tempo.MaxTagValues {
		t.Errorf("Tempo answered %d names (%v), want the %d asked for", len(vals), err, tempo.MaxTagValues)
	}
}
