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

// samplingMetrics answers the requests and errors counters per service,
// and the requests per operation (service, method and route).
type samplingMetrics struct {
	fakeMetrics
	requests, errors map[string]float64 // per bucket
	ops              map[[3]string]float64
}

func (m *samplingMetrics) QueryRange(_ context.Context, q string, start, end time.Time, step time.Duration) (*prometheus.Result, error) {
	res := &prometheus.Result{}
	if strings.Contains(q, "by (service, method, route)") {
		for k, v := range m.ops {
			s := datasources.Series{Labels: map[string]string{"service": k[0], "method": k[1], "route": k[2]}}
			for t := start; !t.After(end); t = t.Add(step) {
				s.Points = append(s.Points, datasources.Point{TMs: t.UnixMilli(), V: v})
			}
			res.Series = append(res.Series, s)
		}
		return res, nil
	}
	per := m.requests
	if strings.Contains(q, `status=~"5.."`) {
		per = m.errors
	}
	for svc, v := range per {
		s := datasources.Series{Labels: map[string]string{"service": svc}}
		for t := start; !t.After(end); t = t.Add(step) {
			s.Points = append(s.Points, datasources.Point{TMs: t.UnixMilli(), V: v})
		}
		res.Series = append(res.Series, s)
	}
	return res, nil
}

// keptSearch is a Jaeger-like backend keeping some traces per service;
// roots names their root operations in turn (the service's own).
type keptSearch struct {
	kept, errs map[string]int
	roots      map[string][]string
	at         time.Time
}

func (k keptSearch) Search(_ context.Context, q datasources.TraceQuery) (*datasources.SearchResult, error) {
	n := k.kept[q.Service]
	if q.ErrorsOnly {
		n = k.errs[q.Service]
	}
	res := &datasources.SearchResult{}
	for i := range min(n, q.Limit) {
		t := datasources.TraceSummary{TraceID: "x", StartNs: k.at.Add(time.Duration(i) * time.Second).UnixNano()}
		if roots := k.roots[q.Service]; len(roots) > 0 {
			t.RootService, t.RootName = q.Service, roots[i%len(roots)]
			// Kept at 5%: each stands for 20 requests.
			t.Sampling = []datasources.Span{{SpanID: "00000000000000a1", Attrs: []datasources.Attribute{
				{Key: "sampler.type", Value: "probabilistic"}, {Key: "sampler.param", Value: "0.05"}}}}
		} else {
			t.RootService, t.RootName = "gateway", "GET /elsewhere"
		}
		res.Traces = append(res.Traces, t)
	}
	return res, nil
}

func (keptSearch) Services(context.Context) ([]string, error) { return nil, nil }

func TestSamplingPage(t *testing.T) {
	m := &samplingMetrics{requests: map[string]float64{"gateway": 50, "payments": 10}, errors: map[string]float64{"payments": 1},
		ops: map[[3]string]float64{{"gateway", "GET", "/api/orders/{id}"}: 30, {"gateway", "POST", "/api/checkout"}: 20, {"payments", "POST", "/charge"}: 10}}
	at := graphNow.Add(-30 * time.Minute)
	m.exemplars = []datasources.Exemplar{exemplar("gateway", "trace_id", "4bf92f3577b34da6a3ce929d0e0e4736", at, 0.1),
		exemplar("gateway", "trace_id", "00000000000000000000000000000abc", at, 0.2)}
	// 30 buckets of 2 min over the hour: 30 points of 50 gateway
	// requests = 1,500; 30 payments errors, 3 error traces kept.
	search := keptSearch{kept: map[string]int{"gateway": 73, "payments": 300}, errs: map[string]int{"payments": 3}, at: at,
		roots: map[string][]string{"gateway": {"GET /api/orders/{id}", "POST /api/checkout", "GET /api/orders/{id}"}}}
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
	// Per root operation, per second over the hour: 900 look-ups and 600
	// checkouts measured; 49 and 24 of the 73 kept traces start there.
	ops := map[string]string{}
	d.Find(`section.sampling-service[data-service="gateway"] table.sampling-ops tbody tr`).Each(func(_ int, s *goquery.Selection) {
		var cells []string
		s.Find("td").Each(func(_ int, c *goquery.Selection) { cells = append(cells, strings.TrimSpace(c.Text())) })
		ops[s.AttrOr("data-operation", "")] = strings.Join(cells, " ")
	})
	wantOps := map[string]string{
		"GET /api/orders/{id}": "GET /api/orders/{id} 0.25/s 0.0136/s 5.44%",
		"POST /api/checkout":   "POST /api/checkout 0.167/s 0.00667/s 4%",
	}
	if len(ops) != len(wantOps) {
		t.Errorf("gateway's operations %v, want %v", ops, wantOps)
	}
	for op, w := range wantOps {
		if ops[op] != w {
			t.Errorf("%s: %q, want %q", op, ops[op], w)
		}
	}
	// The kept traces' adjusted counts against the metrics' count.
	for svc, want := range map[string]string{
		"gateway":  "Its kept traces: 73 traces ≈ 1,460 requests, where the metrics counted 1,500 requests.",
		"payments": "Its kept traces: 300 traces (request count unknown: Jaeger's search answer does not say how each was sampled), where the metrics counted 300 requests.",
	} {
		if got := strings.TrimSpace(d.Find(`section.sampling-service[data-service="` + svc + `"] .stands-for`).Text()); got != want {
			t.Errorf("%s: %q\nwant %q", svc, got, want)
		}
	}
	if n := d.Find(`section.sampling-service[data-service="payments"] table.sampling-ops`).Length(); n != 0 {
		t.Error("payments starts no kept trace: no operations table")
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
