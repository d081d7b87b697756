package e2e

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/chromedp/chromedp"

	"github.com/ariadne-dev/ariadne/demo"
)

// The demo's spikes slow inventory (a lock wait most reservations hit):
// during one it is the service far above its usual level, the orders and
// gateway above it only by what they wait for it, and payments' errors
// less so.
const (
	slowService = demo.Inventory
	// mapPage is the home page over five minutes: 10 s steps, 30 s rates,
	// so a spike shows within half a minute and the range holds calm
	// minutes to compare with.
	mapPath = "/?from=now-5m&to=now"
)

// waitForWorst reloads the home page (server side, no browser) until the
// map's worst service is want: a fresh world needs a calm minute after a
// spike, then the next spike's first half-minute. Bounded: a spike comes
// every two minutes.
func waitForWorst(t *testing.T, base, want string) {
	t.Helper()
	deadline := time.Now().Add(6 * time.Minute)
	var last string
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+mapPath, nil)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			d, derr := goquery.NewDocumentFromReader(resp.Body)
			resp.Body.Close()
			if derr == nil {
				worst := d.Find(`section.panel-done[data-panel="Service map"] .map-worst li`).First()
				last = strings.Join(strings.Fields(worst.Text()), " ")
				if worst.Find("a").Text() == want {
					cancel()
					return
				}
				if last == "" {
					last = strings.Join(strings.Fields(d.Find(`section.panel-done[data-panel="Service map"]`).Text()), " ")
				}
			}
		}
		cancel()
		if time.Now().After(deadline) {
			t.Fatalf("%s never came first among the worst; last: %.600s", want, last)
		}
		time.Sleep(3 * time.Second)
	}
}

// openMap opens the home page in the browser and waits for the map.
func openMap(t *testing.T, b *browser, base string) {
	t.Helper()
	if err := chromedp.Do(b.ctx, chromedp.Navigate(base+mapPath)); err != nil {
		t.Fatal(err)
	}
	b.waitFor(t, `!!document.querySelector('section.panel-done[data-panel="Service map"] svg.service-map a.map-node')`)
}

// TestServiceMapJourney (#16 Done when): home → the map shows the five
// shop services and their calls with RED numbers → during a spike the
// worst service (red on the map, first in words) is the one the demo
// slows → its page → its slowest trace.
func TestServiceMapJourney(t *testing.T) {
	a := demoApp(t)
	waitForWorst(t, a.URL, slowService)
	b := newBrowser(t)

	// The spike may end between the wait and the browser's load: reload
	// until the map still says so (the next spike is two minutes away).
	type node struct {
		Name, RED, Class string
	}
	var worst string
	var nodes []node
	for deadline := time.Now().Add(3 * time.Minute); ; time.Sleep(3 * time.Second) {
		openMap(t, b, a.URL)
		var err error
		nodes, err = chromedp.Run(b.ctx, chromedp.Evaluate[[]node](`[...document.querySelectorAll("svg.service-map a.map-node")].map(a => ({
			Name: a.dataset.service, RED: a.querySelector("text.node-red").textContent, Class: a.querySelector("rect").getAttribute("class")}))`))
		if err != nil {
			t.Fatal(err)
		}
		worst, _ = chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.querySelector(".map-worst li a")?.textContent || ""`))
		red := false
		for _, n := range nodes {
			red = red || n.Name == slowService && strings.Contains(n.Class, "health-bad")
		}
		// First in words and red: early in a spike it may be amber only.
		if worst == slowService && red || time.Now().After(deadline) {
			break
		}
	}
	if worst != slowService {
		t.Fatalf("worst service %q, want %s", worst, slowService)
	}
	screenshot(t, b, "servicemap")
	byName := map[string]node{}
	for _, n := range nodes {
		byName[n.Name] = n
	}
	for _, s := range []string{demo.Gateway, demo.Orders, demo.Inventory, demo.Payments, demo.PaymentProvider} {
		n, ok := byName[s]
		// RED: a rate, an error share and a p99 ("3.1/s · 0% · p99 1.20 s").
		if !ok || !strings.Contains(n.RED, "/s · ") || !strings.Contains(n.RED, "% · p99 ") {
			t.Errorf("service %s on the map: %+v", s, n)
		}
	}
	if !strings.Contains(byName[slowService].Class, "health-bad") {
		t.Errorf("%s is not red on the map: %q", slowService, byName[slowService].Class)
	}
	for _, e := range [][2]string{{demo.Gateway, demo.Orders}, {demo.Orders, demo.Inventory}, {demo.Orders, demo.Payments}, {demo.Payments, demo.PaymentProvider}} {
		label, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.querySelector('svg.service-map a.map-edge-label[data-client="`+e[0]+`"][data-server="`+e[1]+`"] text.edge-label')?.textContent || ""`))
		if err != nil || !strings.Contains(label, "p99 ") {
			t.Errorf("call %s → %s: label %q (%v)", e[0], e[1], label, err)
		}
	}
	// The hidden dependencies the demo has: a database and a fraud API
	// that emit nothing, drawn dashed.
	for _, peer := range []string{"fraud-api", "postgresql shop"} {
		if !strings.Contains(byName[peer].Class, "peer") {
			t.Errorf("uninstrumented %s: %+v", peer, byName[peer])
		}
	}
	// The figures come from real components: Jaeger's spanmetrics
	// connector, scraped by the world's Prometheus.
	sources, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.querySelector(".map-sources").textContent`))
	if !strings.Contains(sources, "span metrics (OpenTelemetry spanmetrics connector: traces_span_metrics_calls_total)") {
		t.Errorf("map sources %q", strings.Join(strings.Fields(sources), " "))
	}
	b.assertClean(t)

	// Its page, from the list in words.
	if err := chromedp.Do(b.ctx, chromedp.Click(chromedp.CSS(`.map-worst li a`))); err != nil {
		t.Fatal(err)
	}
	b.waitPath(t, "/services/"+slowService)
	b.waitFor(t, `!!document.querySelector('section.panel-done[data-panel="Slowest traces"] a.trace-link')`)
	b.waitFor(t, `!!document.querySelector('section.panel-done[data-panel="Latency (p99)"] svg.chart')`)
	screenshot(t, b, "service")
	href, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.querySelector('section.panel-done[data-panel="Slowest traces"] a.trace-link').getAttribute("href")`))
	if err != nil || !strings.HasPrefix(href, "/traces/") {
		t.Fatalf("slowest trace link %q (%v)", href, err)
	}
	id := strings.TrimPrefix(strings.SplitN(href, "?", 2)[0], "/traces/")
	b.assertClean(t)
	if err := chromedp.Do(b.ctx, chromedp.Click(chromedp.CSS(`section.panel-done[data-panel="Slowest traces"] a.trace-link`))); err != nil {
		t.Fatal(err)
	}
	b.waitPath(t, "/traces/"+id)
	b.waitFor(t, `!!document.querySelector("#waterfall .row")`)
	b.assertClean(t)
}

// TestServiceMapEdgeToTraces (#16 Done when): clicking the call from
// orders to payments lands on a search whose traces all cross it: a
// payments span whose parent is an orders span.
func TestServiceMapEdgeToTraces(t *testing.T) {
	a := demoApp(t)
	b := newBrowser(t)
	sel := `svg.service-map a.map-edge[data-client="orders"][data-server="payments"]`
	labelSel := `svg.service-map a.map-edge-label[data-client="orders"][data-server="payments"]`
	for deadline := time.Now().Add(90 * time.Second); ; time.Sleep(3 * time.Second) {
		openMap(t, b, a.URL)
		if ok, _ := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`!!document.querySelector('`+sel+`')`)); ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no orders → payments call on the map")
		}
	}
	// A real click on the arrow's label, where the pointer lands on that
	// arrow (labels of other calls may lie close by).
	type pt struct{ X, Y float64 }
	p, err := chromedp.Run(b.ctx, chromedp.Evaluate[*pt](`(() => {
	  const a = document.querySelector('`+sel+`'), label = document.querySelector('`+labelSel+`');
	  a.scrollIntoView({block: "center"});
	  for (const [el, link] of [[label.querySelector("text"), label], [a.querySelector("path"), a]]) {
	    const r = el.getBoundingClientRect();
	    for (const f of [0.5, 0.3, 0.7, 0.1, 0.9]) {
	      const x = r.x + r.width * f, y = r.y + r.height / 2;
	      if (document.elementFromPoint(x, y)?.closest("a") === link) return {X: x, Y: y};
	    }
	  }
	  return null;
	})()`))
	if err != nil || p == nil {
		t.Fatalf("no point on the orders → payments arrow to click (%v)", err)
	}
	if err := chromedp.Do(b.ctx, chromedp.MouseClickXY(p.X, p.Y)); err != nil {
		t.Fatal(err)
	}
	b.waitPath(t, "/traces")
	b.waitFor(t, `!!document.querySelector('section.panel-done[data-panel="Results"] table.results tbody tr a')`)
	ids, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('section.panel-done[data-panel="Results"] table.results tbody tr')].slice(0, 5).map(r => r.querySelector(".tid").textContent)`))
	if err != nil || len(ids) == 0 {
		t.Fatalf("no traces found (%v)", err)
	}
	b.assertClean(t)
	// Each found trace crosses the call, as Tempo has it.
	for _, id := range ids {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		tr, err := a.Tempo.Trace(ctx, id, time.Time{}, time.Time{})
		cancel()
		if err != nil {
			t.Fatalf("trace %s: %v", id, err)
		}
		svc := map[string]string{}
		for _, s := range tr.Spans {
			svc[s.SpanID] = s.Service()
		}
		crosses := false
		for _, s := range tr.Spans {
			crosses = crosses || s.Service() == demo.Payments && svc[s.ParentSpanID] == demo.Orders
		}
		if !crosses {
			t.Errorf("trace %s does not cross orders → payments", id)
		}
	}
}
