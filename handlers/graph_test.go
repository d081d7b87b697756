package handlers

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/datasources/prometheus"
)

// fakeMetrics is a MetricsSource with canned answers that records what the
// page asked for.
type fakeMetrics struct {
	series    []datasources.Series
	exemplars []datasources.Exemplar
	queryErr  error
	exErr     error
	block     bool // QueryRange waits for its context to end

	mu      sync.Mutex
	exQuery string
	step    time.Duration
}

func (f *fakeMetrics) QueryRange(ctx context.Context, q string, start, end time.Time, step time.Duration) (*prometheus.Result, error) {
	f.mu.Lock()
	f.step = step
	f.mu.Unlock()
	if f.block {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	if f.queryErr != nil {
		return nil, f.queryErr
	}
	return &prometheus.Result{Series: f.series}, nil
}

func (f *fakeMetrics) Exemplars(ctx context.Context, q string, start, end time.Time) ([]datasources.Exemplar, error) {
	f.mu.Lock()
	f.exQuery = q
	f.mu.Unlock()
	return f.exemplars, f.exErr
}

var graphNow = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

// p99 is a series every 5 s over the 10 minutes before graphNow: calm
// at 100 ms with a 2 s plateau from minute 4 to minute 6.
func p99(labels map[string]string) datasources.Series {
	s := datasources.Series{Labels: labels}
	start := graphNow.Add(-10 * time.Minute)
	for t := start; !t.After(graphNow); t = t.Add(5 * time.Second) {
		v := 0.1 + 0.002*float64(t.Second()%3)
		if m := t.Sub(start); m >= 4*time.Minute && m < 6*time.Minute {
			v = 2
		}
		s.Points = append(s.Points, datasources.Point{TMs: t.UnixMilli(), V: v})
	}
	return s
}

func exemplar(service, label, id string, at time.Time, v float64) datasources.Exemplar {
	return datasources.Exemplar{SeriesLabels: map[string]string{"__name__": "http_server_request_duration_seconds_bucket", "service": service, "le": "2.5"},
		Labels: map[string]string{label: id}, TMs: at.UnixMilli(), Value: v}
}

func graphURL(q string, extra ...string) string {
	v := url.Values{"q": {q}, "from": {"now-10m"}, "to": {"now"}}
	for i := 0; i+1 < len(extra); i += 2 {
		v.Set(extra[i], extra[i+1])
	}
	return "/graph?" + v.Encode()
}

func newGraphApp(t *testing.T, f *fakeMetrics, opt Options) *testApp {
	t.Helper()
	opt.Prometheus = f
	opt.Now = func() time.Time { return graphNow }
	return newApp(t, opt)
}

func TestGraphChartExemplarsAndSpikes(t *testing.T) {
	spike := graphNow.Add(-5 * time.Minute) // inside the plateau
	f := &fakeMetrics{
		series: []datasources.Series{p99(map[string]string{"service": "orders"}), p99(map[string]string{"service": "payments"})},
		exemplars: []datasources.Exemplar{
			exemplar("orders", "trace_id", "4bf92f3577b34da6a3ce929d0e0e4736", spike, 1.9),
			exemplar("orders", "traceID", "00000000000000000000000000000abc", spike.Add(10*time.Second), 2.4), // the slowest
			exemplar("payments", "trace-id", "A3CE929D0E0E4736", graphNow.Add(-8*time.Minute), 0.12),
			exemplar("payments", "span_id", "00f067aa0ba902b7", graphNow.Add(-7*time.Minute), 0.11), // no trace: no link
		},
	}
	a := newGraphApp(t, f, Options{})
	// The series has a point every 5 s: ask for that step.
	w := a.get(t, graphURL(demoQuery, "step", "5s"))
	if w.Code != http.StatusOK {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	d := doc(t, w)
	if got := d.Find("textarea#query-q").Text(); got != demoQuery {
		t.Errorf("query box holds %q, want the query", got)
	}
	if f.exQuery != "http_server_request_duration_seconds_bucket" {
		t.Errorf("exemplars asked for %q, want the bucket selector", f.exQuery)
	}
	if f.step != 5*time.Second {
		t.Errorf("step %s, want the 5s asked for", f.step)
	}
	if n := d.Find("svg.chart path.line").Length(); n != 2 {
		t.Errorf("%d series paths, want 2", n)
	}
	// Each label spelling links to the padded trace ID with a window.
	var hrefs []string
	d.Find("svg.chart a.ex").Each(func(_ int, s *goquery.Selection) { hrefs = append(hrefs, s.AttrOr("href", "")) })
	wantHrefs := []string{
		"/traces/4bf92f3577b34da6a3ce929d0e0e4736?from=2026-11-26T11%3A40%3A00Z&to=2026-11-26T12%3A10%3A00Z",
		"/traces/00000000000000000000000000000abc?from=2026-11-26T11%3A40%3A10Z&to=2026-11-26T12%3A10%3A10Z",
		"/traces/0000000000000000a3ce929d0e0e4736?from=2026-11-26T11%3A37%3A00Z&to=2026-11-26T12%3A07%3A00Z",
	}
	if strings.Join(hrefs, "\n") != strings.Join(wantHrefs, "\n") {
		t.Errorf("exemplar links:\n%s\nwant:\n%s", strings.Join(hrefs, "\n"), strings.Join(wantHrefs, "\n"))
	}
	if n := d.Find("svg.chart circle.ex.nolink").Length(); n != 1 {
		t.Errorf("%d exemplars without a trace drawn unlinked, want 1", n)
	}
	tip := d.Find("svg.chart a.ex").First().Find("title").Text()
	for _, want := range []string{"Trace 4bf92f3577b34da6a3ce929d0e0e4736", "1.9 s at 11:55:00", `service="orders"`, `le="2.5"`} {
		if !strings.Contains(tip, want) {
			t.Errorf("tooltip %q lacks %q", tip, want)
		}
	}
	// Both series spike from minute 4 to 6; orders' spike investigates its
	// slowest exemplar and links to its logs in the window.
	if n := d.Find("svg.chart rect.spike").Length(); n != 2 {
		t.Fatalf("%d shaded spikes, want 2", n)
	}
	if n := d.Find("svg.chart a.ex.in-spike").Length(); n != 2 {
		t.Errorf("%d exemplars inside a spike, want the two of orders", n)
	}
	orders := d.Find(".spike-list li").First()
	if got := orders.Find("a.investigate").AttrOr("href", ""); got != wantHrefs[1] {
		t.Errorf("Investigate links to %q, want the slowest exemplar %q", got, wantHrefs[1])
	}
	logs := orders.Find("a.logs").AttrOr("href", "")
	u, _ := url.Parse(logs)
	if u.Path != "/logs" || u.Query().Get("q") != `{service_name="orders"}` || u.Query().Get("from") != "2026-11-26T11:53:57Z" || u.Query().Get("to") != "2026-11-26T11:55:58Z" { // the spike's end, rounded up to the second
		t.Errorf("logs link %q", logs)
	}
	// What the spike's slow traces have in common: the service's traces
	// at least the calm level long in the spike, against the view's.
	cmp, _ := url.Parse(orders.Find("a.compare").AttrOr("href", ""))
	if c := cmp.Query(); cmp.Path != "/traces/compare" || c.Get("service") != "orders" || c.Get("min") == "" ||
		c.Get("from") != "2026-11-26T11:53:57Z" || c.Get("to") != "2026-11-26T11:55:58Z" || c.Get("base_from") == "" || c.Get("base_to") == "" {
		t.Errorf("compare link %q", cmp)
	}
	if got := d.Find(".spike-list li").Eq(1).Find(".muted").Text(); got != "no exemplar in this window" {
		t.Errorf("payments' spike says %q", got)
	}
	// Value axis in seconds; legend isolates a series by URL.
	var ylabels []string
	d.Find("svg.chart text.ylabel").Each(func(_ int, s *goquery.Selection) { ylabels = append(ylabels, s.Text()) })
	if strings.Join(ylabels, ",") != "0.0 s,0.5 s,1.0 s,1.5 s,2.0 s,2.5 s" {
		t.Errorf("value axis %q", ylabels)
	}
	iso := d.Find(".legend a[data-series]").First().AttrOr("href", "")
	w2 := a.get(t, iso)
	d2 := doc(t, w2)
	if n := d2.Find("svg.chart path.line.off").Length(); n != 1 {
		t.Errorf("isolating one series hid %d, want 1 (%s)", n, iso)
	}
	if d2.Find(".legend a[aria-pressed=true]").Length() != 1 || d2.Find(`.legend a:contains("Show all series")`).Length() != 1 {
		t.Error("the isolated legend entry is not marked, or there is no way back")
	}
}

func TestGraphEscapesLabelValues(t *testing.T) {
	evil := `"><script>alert(1)</script><x a='`
	f := &fakeMetrics{
		series: []datasources.Series{p99(map[string]string{"service": evil})},
		exemplars: []datasources.Exemplar{{SeriesLabels: map[string]string{"service": evil},
			Labels: map[string]string{"trace_id": "4bf92f3577b34da6a3ce929d0e0e4736"}, TMs: graphNow.Add(-5 * time.Minute).UnixMilli(), Value: 2}},
	}
	a := newGraphApp(t, f, Options{})
	w := a.get(t, graphURL(`up{a="</textarea><script>x</script>"}`))
	body := w.Body.String()
	if strings.Contains(body, "<script>alert(1)") || strings.Contains(body, "</textarea><script>") {
		t.Fatal("a label value or the query reached the page unescaped")
	}
	d := doc(t, w)
	wantName := `{service="\"><script>alert(1)</script><x a='"}`
	if got := d.Find(".legend .mono").Text(); got != wantName {
		t.Errorf("legend shows %q, want %q", got, wantName)
	}
	if got := d.Find("svg.chart a.ex title").Text(); !strings.Contains(got, wantName) {
		t.Errorf("tooltip %q lacks the escaped-then-decoded labels", got)
	}
	if got := d.Find("svg.chart path.line").AttrOr("data-name", ""); got != wantName {
		t.Errorf("data-name %q", got)
	}
	if got := d.Find(".spike-list a.logs").AttrOr("href", ""); !strings.Contains(got, url.QueryEscape(`{service_name="\"><script>`)) {
		t.Errorf("logs link %q does not carry the quoted service", got)
	}
}

func TestGraphTraceLabelOption(t *testing.T) {
	f := &fakeMetrics{series: []datasources.Series{p99(nil)}, exemplars: []datasources.Exemplar{
		{Labels: map[string]string{"tid": "abc", "trace_id": "def"}, TMs: graphNow.Add(-time.Minute).UnixMilli(), Value: 0.1},
	}}
	a := newGraphApp(t, f, Options{ExemplarTraceLabel: []string{"tid"}})
	d := doc(t, a.get(t, graphURL("up")))
	if got := d.Find("svg.chart a.ex").AttrOr("href", ""); !strings.HasPrefix(got, "/traces/00000000000000000000000000000abc?") {
		t.Errorf("exemplar link %q, want the trace in the configured label", got)
	}
}

func TestGraphStates(t *testing.T) {
	many := make([]datasources.Series, 101)
	for i := range many {
		many[i] = p99(map[string]string{"pod": fmt.Sprint(i)})
	}
	badQuery := &datasources.Error{Kind: datasources.ErrorBadQuery, Backend: "prometheus", Status: 400,
		Message: `1:14: parse error: unexpected <by> in aggregation`}
	off := &datasources.Error{Kind: datasources.ErrorNotFound, Backend: "prometheus", Err: prometheus.ErrExemplarsUnavailable,
		Message: "Prometheus is not storing exemplars, so the graph cannot link to traces: start it with --enable-feature=exemplar-storage."}
	tests := []struct {
		name      string
		f         *fakeMetrics
		q         string
		wantState string
		wantText  string // in the panel
		failed    bool
		chart     bool
	}{
		{name: "bad PromQL keeps the query and shows Prometheus's words", f: &fakeMetrics{queryErr: badQuery}, q: "sum(rate(x[1m])) by by",
			wantState: "failed", wantText: "1:14: parse error: unexpected <by> in aggregation", failed: true},
		{name: "Prometheus too slow", f: &fakeMetrics{block: true}, q: "up",
			wantState: "failed", wantText: "did not answer within 150ms", failed: true},
		{name: "Prometheus down", f: &fakeMetrics{queryErr: datasources.FromTransport("prometheus", fmt.Errorf("connection refused"))}, q: "up",
			wantState: "failed", wantText: "unreachable", failed: true},
		{name: "exemplars off: hint and graph", f: &fakeMetrics{series: []datasources.Series{p99(nil)}, exErr: off}, q: "up",
			wantState: "1 series · step 1s", wantText: "--enable-feature=exemplar-storage", chart: true},
		{name: "no data", f: &fakeMetrics{}, q: "nothing_here", wantState: "no data", wantText: "No data: the query matched no samples"},
		{name: "only NaN is no data", f: &fakeMetrics{series: []datasources.Series{{Points: []datasources.Point{{TMs: graphNow.UnixMilli(), V: nan()}}}}},
			q: "0/0", wantState: "no data", wantText: "No data"},
		{name: "too many series", f: &fakeMetrics{series: many}, q: "up", wantState: "too many series",
			wantText: "The query returned 101 series; a graph draws at most 100."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newGraphApp(t, tt.f, Options{PanelTimeout: 150 * time.Millisecond})
			w := a.get(t, graphURL(tt.q))
			if w.Code != http.StatusOK {
				t.Fatalf("status %d, want 200 (a panel fails alone)", w.Code)
			}
			d := doc(t, w)
			if got := d.Find("textarea#query-q").Text(); got != tt.q {
				t.Errorf("query box %q, want %q kept", got, tt.q)
			}
			p := d.Find("section.panel-done")
			if got := p.Find("h2").Contents().First().Text(); strings.TrimSpace(got) != tt.q {
				t.Errorf("panel title %q, want the query", got)
			}
			if got := p.Find(".state").Text(); !strings.HasPrefix(got, tt.wantState) {
				t.Errorf("state %q, want %q", got, tt.wantState)
			}
			if !strings.Contains(p.Text(), tt.wantText) {
				t.Errorf("panel text %q lacks %q", p.Text(), tt.wantText)
			}
			if p.HasClass("failed") != tt.failed {
				t.Errorf("panel marked failed = %v, want %v", p.HasClass("failed"), tt.failed)
			}
			if (p.Find("svg.chart").Length() == 1) != tt.chart {
				t.Errorf("chart drawn = %v, want %v", !tt.chart, tt.chart)
			}
		})
	}
}

func TestGraphWithoutQueryOffersTheDemo(t *testing.T) {
	a := newGraphApp(t, &fakeMetrics{}, Options{})
	d := doc(t, a.get(t, "/graph"))
	if d.Find("section.panel").Length() != 0 {
		t.Error("an empty page ran a query")
	}
	href := d.Find(`main a:contains("histogram_quantile")`).AttrOr("href", "")
	u, _ := url.Parse(href)
	if u.Query().Get("q") != demoQuery {
		t.Errorf("example link %q", href)
	}
}

func TestGraphSeveralQueriesAndUTCToggle(t *testing.T) {
	a := newGraphApp(t, &fakeMetrics{series: []datasources.Series{p99(nil)}}, Options{})
	r := httpGet(graphURL("up", "q2", "rate(x[1m])"))
	r.AddCookie(&http.Cookie{Name: "tz", Value: "Europe%2FBerlin"})
	d := doc(t, a.do(t, r))
	if n := d.Find("section.panel-done svg.chart").Length(); n != 2 {
		t.Errorf("%d charts, want one per query", n)
	}
	if got := d.Find("textarea#query-q2").Text(); got != "rate(x[1m])" {
		t.Errorf("second box %q", got)
	}
	if d.Find("textarea#query-q3").Length() != 1 {
		t.Error("no empty box to add a third query")
	}
	// Berlin is UTC+1 in November: the last tick is 13:00 local.
	last := d.Find("svg.chart text.xlabel").Last().Text()
	if last != "13:00" {
		t.Errorf("last time tick %q in Berlin, want 13:00", last)
	}
	toggle := d.Find("a.zone-toggle").AttrOr("href", "")
	r = httpGet(toggle)
	r.AddCookie(&http.Cookie{Name: "tz", Value: "Europe%2FBerlin"})
	d = doc(t, a.do(t, r))
	if last := d.Find("svg.chart text.xlabel").Last().Text(); last != "12:00" {
		t.Errorf("last tick %q with utc=1 (%s), want 12:00", last, toggle)
	}
	if got := d.Find("a.zone-toggle").Text(); got != "Show local time" {
		t.Errorf("toggle says %q", got)
	}
}

func httpGet(target string) *http.Request {
	r, _ := http.NewRequest(http.MethodGet, target, nil)
	return r
}

func nan() float64 { var z float64; return z / z }

// The range control never runs into the future and shows absolute bounds
// as times, not unix seconds (#20 item 1): a window shifted past now ends
// now and reads relative; a past one reads in the viewer's zone.
func TestGraphWindowEndsNowAndReadsAsTimes(t *testing.T) {
	f := &fakeMetrics{series: []datasources.Series{p99(nil)}}
	a := newGraphApp(t, f, Options{})
	unix := func(t time.Time) string { return strconv.FormatInt(t.Unix(), 10) }
	for _, tt := range []struct {
		name, from, to string
		wantFrom       string
		wantTo         string
	}{
		{"shifted past now", unix(graphNow.Add(-10 * time.Minute)), unix(graphNow.Add(5 * time.Minute)), "now-10m", "now"},
		{"in the past", unix(graphNow.Add(-2 * time.Hour)), unix(graphNow.Add(-time.Hour)),
			graphNow.Add(-2 * time.Hour).UTC().Format("2006-01-02 15:04:05"), graphNow.Add(-time.Hour).UTC().Format("2006-01-02 15:04:05")},
		{"typed as shown", graphNow.Add(-2 * time.Hour).UTC().Format("2006-01-02 15:04:05"), "now-1h",
			graphNow.Add(-2 * time.Hour).UTC().Format("2006-01-02 15:04:05"), "now-1h"},
	} {
		d := doc(t, a.get(t, "/graph?q=up&from="+url.QueryEscape(tt.from)+"&to="+url.QueryEscape(tt.to)))
		from, _ := d.Find("#range-from").Attr("value")
		to, _ := d.Find("#range-to").Attr("value")
		if from != tt.wantFrom || to != tt.wantTo {
			t.Errorf("%s: the control shows %q … %q, want %q … %q", tt.name, from, to, tt.wantFrom, tt.wantTo)
		}
		if d.Find(".range .error, .range-error").Length() > 0 {
			t.Errorf("%s: %s", tt.name, d.Find(".range .error, .range-error").Text())
		}
	}
}

// A query that aggregates every label away names its series by the query,
// not "{}", and a legend format names series from their labels, in the
// legend and the spike list alike (#20 item 5).
func TestGraphSeriesNames(t *testing.T) {
	f := &fakeMetrics{series: []datasources.Series{p99(nil)}}
	a := newGraphApp(t, f, Options{})
	legendText := func(w *httptest.ResponseRecorder) string {
		return strings.Join(strings.Fields(doc(t, w).Find(".legend").Text()), " ")
	}
	q := `sum(rate(http_server_request_duration_seconds_count[1m]))`
	if got := legendText(a.get(t, "/graph?from=now-15m&to=now&q="+url.QueryEscape(q))); !strings.Contains(got, q) || strings.Contains(got, "{}") {
		t.Errorf("legend %q, want the query, not {}", got)
	}
	f.series = []datasources.Series{p99(map[string]string{"route": "/api/checkout", "status": "500"})}
	w := a.get(t, "/graph?from=now-15m&to=now&q=up&legend="+url.QueryEscape("{{route}} ({{status}})"))
	if got := legendText(w); !strings.Contains(got, "/api/checkout (500)") {
		t.Errorf("legend %q, want the format filled in", got)
	}
	if v, _ := doc(t, w).Find(`input[name="legend"]`).Attr("value"); v != "{{route}} ({{status}})" {
		t.Errorf("the legend box keeps %q", v)
	}
	if spikes := doc(t, w).Find(".spikes").Text(); spikes != "" && !strings.Contains(spikes, "/api/checkout (500)") {
		t.Errorf("spike list %q names the series otherwise", spikes)
	}
}

// Many spikes: the list shows the first few and keeps the rest behind
// "show all" (#20 item 10).
func TestGraphSpikeListIsCapped(t *testing.T) {
	s := datasources.Series{Labels: map[string]string{"service": "shop"}}
	start := graphNow.Add(-60 * time.Minute)
	for i := 0; i <= 720; i++ { // 5 s steps over an hour
		v := 0.1 + 0.002*float64(i%3)
		if i%80 == 40 { // a lone burst every 80 steps: 9 spikes
			v = 5
		}
		s.Points = append(s.Points, datasources.Point{TMs: start.Add(time.Duration(i) * 5 * time.Second).UnixMilli(), V: v})
	}
	a := newGraphApp(t, &fakeMetrics{series: []datasources.Series{s}}, Options{})
	d := doc(t, a.get(t, "/graph?q=up&step=5s&from=now-1h&to=now"))
	shown := d.Find(".spike-list").First().Find("li").Length()
	more := d.Find("details.spike-more")
	if shown != 5 || more.Length() != 1 || !strings.HasPrefix(strings.TrimSpace(more.Find("summary").Text()), "Show all 9 spikes") {
		t.Errorf("%d spikes listed, then %q", shown, more.Find("summary").Text())
	}
}
