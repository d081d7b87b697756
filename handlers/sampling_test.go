package handlers

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/datasources/prometheus"
)

// samplingMetrics answers the requests and errors counters per service.
type samplingMetrics struct {
	fakeMetrics
	requests, errors map[string]float64 // per bucket
}

func (m *samplingMetrics) QueryRange(_ context.Context, q string, start, end time.Time, step time.Duration) (*prometheus.Result, error) {
	per := m.requests
	if strings.Contains(q, `status=~"5.."`) {
		per = m.errors
	}
	res := &prometheus.Result{}
	for svc, v := range per {
		s := datasources.Series{Labels: map[string]string{"service": svc}}
		for t := start; !t.After(end); t = t.Add(step) {
			s.Points = append(s.Points, datasources.Point{TMs: t.UnixMilli(), V: v})
		}
		res.Series = append(res.Series, s)
	}
	return res, nil
}

// keptSearch is a Jaeger-like backend keeping some traces per service.
type keptSearch struct {
	kept, errs map[string]int
	at         time.Time
}

func (k keptSearch) Search(_ context.Context, q datasources.TraceQuery) (*datasources.SearchResult, error) {
	n := k.kept[q.Service]
	if q.ErrorsOnly {
		n = k.errs[q.Service]
	}
	res := &datasources.SearchResult{}
	for i := range min(n, q.Limit) {
		res.Traces = append(res.Traces, datasources.TraceSummary{TraceID: "x", StartNs: k.at.Add(time.Duration(i) * time.Second).UnixNano()})
	}
	return res, nil
}

func (keptSearch) Services(context.Context) ([]string, error) { return nil, nil }

func TestSamplingPage(t *testing.T) {
	m := &samplingMetrics{requests: map[string]float64{"gateway": 50, "payments": 10}, errors: map[string]float64{"payments": 1}}
	at := graphNow.Add(-30 * time.Minute)
	m.exemplars = []datasources.Exemplar{exemplar("gateway", "trace_id", "4bf92f3577b34da6a3ce929d0e0e4736", at, 0.1),
		exemplar("gateway", "trace_id", "00000000000000000000000000000abc", at, 0.2)}
	// 30 buckets of 2 min over the hour: 30 points of 50 gateway
	// requests = 1,500; 30 payments errors, 3 error traces kept.
	search := keptSearch{kept: map[string]int{"gateway": 73, "payments": 300}, errs: map[string]int{"payments": 3}, at: at}
	fetch := &fakeTraces{has: map[string]bool{"4bf92f3577b34da6a3ce929d0e0e4736": true}}
	a := newGraphApp(t, &m.fakeMetrics, Options{TraceBackends: []TraceBackend{{Name: "jaeger", Display: "Jaeger", Fetch: fetch, Search: search}}})
	a.h.opt.Prometheus = m
	w := a.get(t, "/sampling?from=now-1h&to=now")
	if w.Code != http.StatusOK {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	d := doc(t, w)
	rows := map[string][]string{}
	d.Find("table.sampling-table tbody tr").Each(func(_ int, s *goquery.Selection) {
		var cells []string
		s.Find("td").Each(func(_ int, c *goquery.Selection) { cells = append(cells, strings.TrimSpace(c.Text())) })
		rows[s.AttrOr("data-service", "")] = cells
	})
	want := map[string]string{
		"gateway":  "gateway 1,500 73 4.87% 0 0 — 50% of 2",
		"payments": "payments 300 300 100% 30 3 10% —",
	}
	for svc, w := range want {
		if got := strings.Join(rows[svc], " "); got != w {
			t.Errorf("%s: %q, want %q", svc, got, w)
		}
	}
	findings := d.Find(`section.sampling-service[data-service="payments"] .finding`).Text()
	if !strings.Contains(findings, "Only 10% of the 30 errors measured have a trace: the sampling policy drops errors.") {
		t.Errorf("payments findings %q", findings)
	}
	if d.Find("section.sampling-service svg path.line").Length() != 4 {
		t.Error("want two lines in each service's chart")
	}
}

func TestSamplingPageProblems(t *testing.T) {
	a := newApp(t, Options{})
	if w := a.get(t, "/sampling"); w.Code != http.StatusServiceUnavailable || !strings.Contains(w.Body.String(), "Prometheus is not configured") {
		t.Errorf("no Prometheus: %d", w.Code)
	}
	a = newGraphApp(t, &fakeMetrics{}, Options{TraceBackends: []TraceBackend{{Name: "jaeger", Display: "Jaeger", Fetch: &fakeTraces{}, Search: keptSearch{}}}})
	if w := a.get(t, "/sampling?backend=zipkin"); w.Code != http.StatusBadRequest {
		t.Errorf("an unknown backend: %d", w.Code)
	}
}
