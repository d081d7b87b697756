package handlers

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/ariadne-dev/ariadne/correlation/query"
	"github.com/ariadne-dev/ariadne/datasources"
)

// labelMetrics is a MetricsSource that also lists labels, as the
// Prometheus client does, recording the match[] selectors it was asked.
type labelMetrics struct {
	fakeMetrics
	names  []string
	values map[string][]string
	err    error
	hang   bool

	lmu   sync.Mutex
	asked []string
}

func (f *labelMetrics) record(s string) {
	f.lmu.Lock()
	defer f.lmu.Unlock()
	f.asked = append(f.asked, s)
}

func (f *labelMetrics) wait(ctx context.Context) error {
	if f.hang {
		<-ctx.Done()
		return ctx.Err()
	}
	return f.err
}

func (f *labelMetrics) LabelNames(ctx context.Context, matchers []string, start, end time.Time) ([]string, error) {
	f.record("names " + strings.Join(matchers, " | "))
	return f.names, f.wait(ctx)
}

func (f *labelMetrics) LabelValues(ctx context.Context, name string, matchers []string, start, end time.Time) ([]string, error) {
	f.record("values " + name + " " + strings.Join(matchers, " | "))
	return f.values[name], f.wait(ctx)
}

func (f *labelMetrics) wasAsked(s string) bool {
	f.lmu.Lock()
	defer f.lmu.Unlock()
	return slices.Contains(f.asked, s)
}

func newLabelApp(t *testing.T, f *labelMetrics, opt Options) *testApp {
	t.Helper()
	opt.Prometheus = f
	opt.Now = func() time.Time { return graphNow }
	return newApp(t, opt)
}

func demoLabels() *labelMetrics {
	return &labelMetrics{
		fakeMetrics: fakeMetrics{series: []datasources.Series{p99(nil)}},
		names:       []string{"__name__", "le", "method", "route", "service", "status"},
		values: map[string][]string{
			"route":   {"/checkout", "/orders/{id}", `/a"b\c`},
			"service": {"gateway", "orders", "payments"},
		},
	}
}

// hrefQuery is the q of a link.
func hrefQuery(t *testing.T, s *goquery.Selection) url.Values {
	t.Helper()
	u, err := url.Parse(s.AttrOr("href", ""))
	if err != nil {
		t.Fatal(err)
	}
	return u.Query()
}

// Without JavaScript: labels=1 lists the names for the query's metric,
// a name lists its values, and a value is the page with the matcher added.
func TestGraphPickerLinks(t *testing.T) {
	f := demoLabels()
	a := newLabelApp(t, f, Options{})
	q := `histogram_quantile(0.99, sum by (le) (rate(http_server_request_duration_seconds_bucket{route="/old"}[1m])))`

	d := doc(t, a.get(t, graphURL(q, "labels", "1")))
	p := d.Find("#picker-promql")
	if got := p.Find("a.pick-name").Length(); got != len(f.names) {
		t.Fatalf("%d names, want %d: %s", got, len(f.names), p.Text())
	}
	if !f.wasAsked(`names http_server_request_duration_seconds_bucket{route="/old"}`) {
		t.Errorf("names not scoped to the query's selector: %v", f.asked)
	}
	route := p.Find(`a.pick-name:contains("route")`)
	if v := hrefQuery(t, route); v.Get("pick") != "route" || v.Get("q") != q || v.Get("from") != "now-10m" {
		t.Errorf("route's link %q loses the query or window", route.AttrOr("href", ""))
	}
	if route.AttrOr("data-fragment", "")[:len("/graph/labels?")] != "/graph/labels?" {
		t.Errorf("fragment %q", route.AttrOr("data-fragment", ""))
	}

	d = doc(t, a.get(t, graphURL(q, "pick", "route")))
	vals := d.Find("#picker-promql a.pick-value")
	if vals.Length() != 3 {
		t.Fatalf("%d values: %s", vals.Length(), d.Find("#picker-promql").Text())
	}
	// Values are listed for the metric, not for the route already chosen.
	if !f.wasAsked("values route http_server_request_duration_seconds_bucket") {
		t.Errorf("values scoped by the route they replace: %v", f.asked)
	}
	want := strings.Replace(q, `route="/old"`, `route="/checkout"`, 1)
	if v := hrefQuery(t, vals.First()); v.Get("q") != want || v.Get("labels") != "1" || v.Get("pick") != "" {
		t.Errorf("value link q=%q labels=%q pick=%q, want q=%q, the picker back at the names", v.Get("q"), v.Get("labels"), v.Get("pick"), want)
	}
	hostile := vals.Eq(2)
	if got := hrefQuery(t, hostile).Get("q"); !strings.Contains(got, `route="/a\"b\\c"`) || hostile.AttrOr("data-query", "") != got {
		t.Errorf("hostile value's query %q (data-query %q)", got, hostile.AttrOr("data-query", ""))
	}
}

// An empty page offers the picker too: a metric first, then its labels.
func TestGraphPickerOnEmptyQuery(t *testing.T) {
	f := demoLabels()
	f.values["__name__"] = []string{"http_server_request_duration_seconds_count", "up"}
	a := newLabelApp(t, f, Options{})
	d := doc(t, a.get(t, "/graph?pick=__name__"))
	up := d.Find(`#picker-promql a.pick-value:contains("up")`)
	if got := hrefQuery(t, up).Get("q"); got != "up" {
		t.Errorf("metric link q=%q, want up", got)
	}
	d = doc(t, a.get(t, "/graph?q=up&pick=service"))
	if got := hrefQuery(t, d.Find(`#picker-promql a.pick-value`).First()).Get("q"); got != `up{service="gateway"}` {
		t.Errorf("q=%q", got)
	}
	// Closed, the picker is one link and asks Prometheus nothing.
	f = demoLabels()
	a = newLabelApp(t, f, Options{})
	d = doc(t, a.get(t, "/graph?q=up"))
	if open := d.Find("#picker-promql a.picker-open"); hrefQuery(t, open).Get("labels") != "1" {
		t.Errorf("closed picker: %q", open.AttrOr("href", ""))
	}
	if f.wasAsked("names up") {
		t.Error("a closed picker looked labels up")
	}
}

// Long lists are bounded; the filter finds the rest, without JavaScript.
func TestGraphPickerBoundsAndFilters(t *testing.T) {
	f := demoLabels()
	for i := range 250 {
		f.values["route"] = append(f.values["route"], fmt.Sprintf("/r/%03d", i))
	}
	a := newLabelApp(t, f, Options{})
	d := doc(t, a.get(t, graphURL("up", "pick", "route")))
	if n := d.Find("a.pick-value").Length(); n != 200 {
		t.Errorf("%d values listed, want 200", n)
	}
	if more := d.Find(".pick-more").Text(); !strings.Contains(more, "53 more") {
		t.Errorf("more = %q", more)
	}
	form := d.Find("form.pick-filter")
	if form.Find(`input[name="pick"]`).AttrOr("value", "") != "route" || form.Find(`input[name="q"]`).AttrOr("value", "") != "up" {
		t.Error("the filter form loses the pick or the query")
	}
	d = doc(t, a.get(t, graphURL("up", "pick", "route", "filter", "/R/24")))
	if n := d.Find("a.pick-value").Length(); n != 10 {
		t.Errorf("filter /R/24: %d values, want 10 (/r/240…/r/249)", n)
	}
}

// A slow or failing Prometheus fails the picker alone, within its timeout.
func TestGraphPickerFailsAlone(t *testing.T) {
	for _, tt := range []struct {
		name string
		f    func(*labelMetrics)
		want string
	}{
		{"slow", func(f *labelMetrics) { f.hang = true }, "did not answer within 200ms"},
		{"down", func(f *labelMetrics) {
			f.err = datasources.FromTransport("prometheus", fmt.Errorf("connection refused"))
		}, "unreachable"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := demoLabels()
			tt.f(f)
			a := newLabelApp(t, f, Options{PanelTimeout: 200 * time.Millisecond})
			start := time.Now()
			w := a.get(t, graphURL("up", "labels", "1"))
			if took := time.Since(start); took > 3*time.Second {
				t.Errorf("page took %s", took)
			}
			d := doc(t, w)
			if w.Code != http.StatusOK || d.Find("section.panel-done svg.chart").Length() != 1 {
				t.Fatalf("status %d; the graph must render: %s", w.Code, d.Find("main").Text())
			}
			if got := d.Find("#picker-promql .error-text").Text(); !strings.Contains(got, tt.want) {
				t.Errorf("picker error %q, want %q", got, tt.want)
			}
		})
	}
}

// The script's fragment: the picker alone; with value= it applies the
// value to the query it sends and answers the picker for the result.
func TestGraphLabelsFragment(t *testing.T) {
	a := newLabelApp(t, demoLabels(), Options{})
	w := a.get(t, "/graph/labels?q=up%7Bjob%3D%22a%22%7D&pick=service&value=orders&from=now-1h&to=now")
	if w.Code != http.StatusOK || strings.Contains(w.Body.String(), "<html") {
		t.Fatalf("status %d, body %.200s", w.Code, w.Body)
	}
	d := doc(t, w)
	p := d.Find("#picker-promql")
	if got := p.AttrOr("data-query", ""); got != `up{job="a", service="orders"}` {
		t.Errorf("data-query = %q", got)
	}
	if p.Find("a.pick-name").Length() == 0 || p.Find(".pick-values").Length() != 0 {
		t.Error("after a value the picker lists the names again")
	}
	if a.get(t, "/graph/labels?q=up&labels=1").Header().Get("Cache-Control") != "no-store" {
		t.Error("fragment is cacheable")
	}
	// Without a Prometheus that lists labels there is nothing to answer.
	b := newGraphApp(t, &fakeMetrics{}, Options{})
	if w := b.get(t, "/graph/labels?q=up&labels=1"); w.Code != http.StatusNotFound {
		t.Errorf("without labels: %d", w.Code)
	}
}

// The builder: service and route from the histogram's labels; its form
// answers with the latency query it writes.
func TestLatencyBuilder(t *testing.T) {
	f := demoLabels()
	a := newLabelApp(t, f, Options{})
	d := doc(t, a.get(t, "/graph?service=orders&from=now-15m&to=now"))
	b := d.Find("details.latency-builder")
	if n := b.Find(`select[name="service"] option`).Length(); n != 4 {
		t.Errorf("%d service options, want every service and 3", n)
	}
	if b.Find(`select[name="service"] option[selected]`).Text() != "orders" || b.AttrOr("open", "x") == "x" {
		t.Error("the builder does not keep its choice open")
	}
	if !f.wasAsked(`values route http_server_request_duration_seconds_bucket{service="orders"}`) {
		t.Errorf("routes not scoped to the service: %v", f.asked)
	}
	if b.Find(`input[name="from"]`).AttrOr("value", "") != "now-15m" {
		t.Error("the builder loses the window")
	}

	w := a.get(t, "/graph?build=latency&service=orders&route=%2Fcheckout&quantile=0.950&from=now-15m&to=now")
	if w.Code != http.StatusSeeOther {
		t.Fatalf("status %d", w.Code)
	}
	u, _ := url.Parse(w.Header().Get("Location"))
	want := query.LatencyQuery(query.Latency{Quantile: "0.95", Service: "orders", Route: "/checkout"})
	if u.Path != "/graph" || u.Query().Get("q") != want || u.Query().Get("from") != "now-15m" || u.Query().Get("route") != "/checkout" {
		t.Errorf("Location %s, want q=%s", u, want)
	}
	if w := a.get(t, "/graph?build=latency&quantile=2"); w.Code != http.StatusBadRequest {
		t.Errorf("quantile 2: %d", w.Code)
	}
	// Without lists the fields are typed.
	c := newGraphApp(t, &fakeMetrics{}, Options{})
	if doc(t, c.get(t, "/graph")).Find(`details.latency-builder input[name="service"]`).Length() != 1 {
		t.Error("no text field without Prometheus's lists")
	}
}

// target= points the picker at another query box; a label name from the
// URL that is not a classic name is written quoted, never as PromQL.
func TestGraphPickerSecondBoxAndHostileNames(t *testing.T) {
	f := demoLabels()
	f.values[`x"} or vector(1) #`] = []string{"v"}
	a := newLabelApp(t, f, Options{})
	d := doc(t, a.get(t, graphURL("up", "q2", "rate(x[1m])", "target", "q2", "pick", "service")))
	p := d.Find("#picker-promql")
	if p.AttrOr("data-target", "") != "query-q2" || p.Find(".picker-target").Length() != 2 {
		t.Errorf("picker for q2: target %q, %d box links", p.AttrOr("data-target", ""), p.Find(".picker-target").Length())
	}
	v := hrefQuery(t, p.Find("a.pick-value").First())
	if v.Get("q2") != `rate(x{service="gateway"}[1m])` || v.Get("q") != "up" {
		t.Errorf("value link q=%q q2=%q", v.Get("q"), v.Get("q2"))
	}
	d = doc(t, a.get(t, graphURL("up", "pick", `x"} or vector(1) #`)))
	if got := hrefQuery(t, d.Find("#picker-promql a.pick-value").First()).Get("q"); got != `up{"x\"} or vector(1) #"="v"}` {
		t.Errorf("hostile name: q=%q", got)
	}
	// An unknown target falls back to the first box.
	d = doc(t, a.get(t, graphURL("up", "target", "q9", "labels", "1")))
	if d.Find("#picker-promql").AttrOr("data-target", "") != "query-q" {
		t.Error("target q9 accepted")
	}
}

// A Prometheus too slow to list services leaves the builder typed, with
// the reason, and the graph drawn.
func TestLatencyBuilderSlowPrometheus(t *testing.T) {
	f := demoLabels()
	f.hang = true
	a := newLabelApp(t, f, Options{PanelTimeout: 200 * time.Millisecond})
	d := doc(t, a.get(t, graphURL("up", "service", "orders")))
	b := d.Find("details.latency-builder")
	if b.Find(`input[name="service"]`).AttrOr("value", "") != "orders" || !strings.Contains(b.Text(), "did not answer within 200ms") {
		t.Errorf("builder %q", b.Text())
	}
	if d.Find("section.panel-done svg.chart").Length() != 1 {
		t.Error("no graph")
	}
}
