package handlers

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"

	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/datasources/tempo"
)

// checkoutOK is checkoutLike that succeeded: its payments span answered
// 200 and the gateway 201.
func checkoutOK(id string) *tracepb.TracesData {
	td := checkoutLike(id, 40)
	for _, rs := range td.ResourceSpans {
		for _, s := range rs.ScopeSpans[0].Spans {
			s.Status, s.Events = nil, nil
			for _, a := range s.Attributes {
				if a.Key == "http.response.status_code" {
					a.Value = str("", map[string]string{"POST /charge": "200", "POST /api/checkout": "201"}[s.Name]).Value
				}
			}
		}
	}
	return td
}

// TestTraceCompare: failing payments traces against the other payments
// traces of the window: the values only failures have come first, at
// 100% against 0%, each a search adding it; the page says what it
// sampled and names both sides (#18 section 3).
func TestTraceCompare(t *testing.T) {
	var data []*tracepb.TracesData
	for i := range 6 {
		data = append(data, checkoutLike(fmt.Sprintf("%032x", 0xf00+i), 800))
	}
	for i := range 9 {
		data = append(data, checkoutOK(fmt.Sprintf("%032x", 0xa00+i)))
	}
	a := newTraceApp(t, data...)
	w := a.get(t, "/traces/compare?service=payments&errors=1&backend=tempo&from=now-1h&to=now")
	if w.Code != http.StatusOK {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	d := doc(t, w)
	sides := d.Find(".compare-side")
	if got := strings.TrimSpace(sides.Eq(0).Find(".what").Text()); got != "traces with a span of payments that failed" {
		t.Errorf("selection %q", got)
	}
	if got := sides.Eq(0).Find("code").Text(); got != `{ resource.service.name = "payments" && status = error }` {
		t.Errorf("selection query %q", got)
	}
	if got := sides.Eq(1).Find("code").Text(); got != `{ resource.service.name = "payments" }` {
		t.Errorf("baseline query %q", got)
	}
	sample := strings.Join(strings.Fields(d.Find(".compare-sample").Text()), " ")
	if !strings.Contains(sample, "6 traces of the selection and 9 traces of the baseline") || !strings.Contains(sample, "6 baseline traces matched the selection and were left out") {
		t.Errorf("sample %q", sample)
	}
	rows := d.Find(".compare-table tbody tr")
	if rows.Length() < 2 {
		t.Fatalf("rows: %q", d.Find("main").Text())
	}
	first := rows.First()
	attr := strings.TrimSpace(first.Find("td.attr").Text())
	if attr != "http.response.status_code=502" || strings.TrimSpace(first.Find("td.sel").Text()) != "100%" ||
		strings.TrimSpace(first.Find("td.base").Text()) != "0%" || strings.TrimSpace(first.Find("td.counts").Text()) != "6 of 6 · 0 of 9" {
		t.Errorf("first row %q", strings.Join(strings.Fields(first.Text()), " "))
	}
	href := first.Find("td.attr a").AttrOr("href", "")
	if !strings.HasPrefix(href, "/traces?") || !strings.Contains(href, "attr=span.http.response.status_code%3D502") ||
		!strings.Contains(href, "service=payments") || !strings.Contains(href, "errors=1") || !strings.Contains(href, "build=1") {
		t.Errorf("value link %q", href)
	}
	if d.Find(`form.compare-form select[name="sample"] option[selected]`).AttrOr("value", "") != "50" ||
		d.Find(`form.compare-form input[name="service"]`).AttrOr("value", "") != "payments" {
		t.Error("the sample form does not keep the selection")
	}

	// The results of the same search link here.
	res := doc(t, a.get(t, "/traces?service=payments&errors=1&build=1&backend=tempo"))
	common := res.Find(`section.panel-done[data-panel="Results"] a.common-link`).AttrOr("href", "")
	if !strings.HasPrefix(common, "/traces/compare?") || !strings.Contains(common, "service=payments") || !strings.Contains(common, "errors=1") {
		t.Errorf("search results' link %q", common)
	}
	typed := doc(t, a.get(t, "/traces?q="+strings.ReplaceAll(`{ status = error }`, " ", "+")))
	if typed.Find("a.common-link").Length() != 0 {
		t.Error("a typed TraceQL query, which the form cannot carry, links to the comparison")
	}
}

func TestTraceCompareProblems(t *testing.T) {
	var data []*tracepb.TracesData
	for i := range 2 {
		data = append(data, checkoutLike(fmt.Sprintf("%032x", 0xf00+i), 800))
	}
	for i := range 9 {
		data = append(data, checkoutOK(fmt.Sprintf("%032x", 0xa00+i)))
	}
	a := newTraceApp(t, data...)
	for _, c := range []struct {
		url, sel string
		status   int
		want     string
	}{
		{"/traces/compare?service=payments&errors=1", ".compare-small", http.StatusOK,
			"Too small to judge: the selection has 2 traces and the baseline 9 traces; at least 5 on each side are needed."},
		{"/traces/compare", ".diff-problem", http.StatusOK, "Nothing is selected."},
		{"/traces/compare?min=fast", ".diff-problem", http.StatusBadRequest, `Min duration "fast" is not a duration`},
		{"/traces/compare?errors=1&base_from=yesterday", ".diff-problem", http.StatusBadRequest, "Baseline window:"},
		{"/traces/compare?errors=1&backend=elsewhere", ".diff-problem", http.StatusBadRequest, `There is no trace backend "elsewhere" here.`},
	} {
		w := a.get(t, c.url)
		if got := strings.Join(strings.Fields(doc(t, w).Find(c.sel).Text()), " "); w.Code != c.status || !strings.Contains(got, c.want) {
			t.Errorf("%s: %d %q, want %d %q", c.url, w.Code, got, c.status, c.want)
		}
	}

	// A search Tempo refuses: its message beside the kept query.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "invalid TraceQL query: parse error at line 1, col 9: syntax error", http.StatusBadRequest)
	}))
	t.Cleanup(srv.Close)
	tc, err := tempo.New(datasources.Config{URL: srv.URL, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	w := newApp(t, Options{Tempo: tc}).get(t, "/traces/compare?service=payments&errors=1")
	d := doc(t, w)
	side := d.Find(".compare-side").First()
	if w.Code != http.StatusBadRequest || !strings.Contains(side.Find(".form-error").Text(), "parse error at line 1, col 9") ||
		side.Find("code").Text() != `{ resource.service.name = "payments" && status = error }` || d.Find(".compare-table").Length() != 0 {
		t.Errorf("%d: %q", w.Code, strings.Join(strings.Fields(d.Find("main").Text()), " "))
	}
}
