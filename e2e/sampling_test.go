package e2e

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/chromedp/chromedp"

	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/datasources/loki"
	"github.com/ariadne-dev/ariadne/datasources/prometheus"
	"github.com/ariadne-dev/ariadne/datasources/tempo"
	"github.com/ariadne-dev/ariadne/demo"
	"github.com/ariadne-dev/ariadne/store/storetest"
)

// tailWorld is a second demo world, beside the shared one, whose spans go
// through the real Jaeger's tail_sampling processor before Tempo, with
// Ariadne over it.
type tailWorld struct {
	URL   string
	World *demo.World
	Prom  *prometheus.Client
	Loki  *loki.Client
	Tempo *tempo.Client
}

func startTailWorld(t *testing.T) *tailWorld {
	t.Helper()
	dbURL, drop, err := storetest.Create(os.Getenv(storetest.EnvAdminURL))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { drop() })
	w, err := demo.Start(context.Background(), demo.Options{
		Rate: 12, SampleRatio: 1, Sampling: demo.SamplingTail, Traces: "tempo", DataDir: t.TempDir(), DatabaseURL: dbURL,
		ScrapeInterval: time.Second, Spikes: demo.Spikes{Every: 2 * time.Minute, Length: time.Minute, AtStart: true},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Close)
	u, stop, err := startAriadne(dbURL, w, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	tw := &tailWorld{URL: u, World: w}
	tw.Prom, _ = prometheus.New(datasources.Config{URL: w.PrometheusURL, Timeout: 10 * time.Second})
	tw.Loki, _ = loki.New(datasources.Config{URL: w.LokiURL, Timeout: 10 * time.Second})
	tw.Tempo, _ = tempo.New(datasources.Config{URL: w.TempoURL, Timeout: 10 * time.Second})
	return tw
}

// TestTailSampling is #17's journey with --sampling tail: the graph draws
// a hollow exemplar, its 404 names sampling and links the trace's logs;
// every failing checkout's trace was kept while most fast requests' were
// not; /sampling shows an effective rate near the policy's share.
func TestTailSampling(t *testing.T) {
	demoApp(t) // the shared world stands for every dependency being here
	tw := startTailWorld(t)
	page := tw.URL + "/graph?" + url.Values{"q": {graphSpikeQuery}, "from": {"now-5m"}, "to": {"now"}}.Encode()

	// Wait for the metrics to carry exemplars whose traces the sampler
	// dropped (and some it kept): its decision takes 5 s after a trace's
	// first span, the scrape a second.
	// The earliest hollow marker is followed: it must be older than the
	// 30 s Ariadne allows a trace to arrive in, or "not yet ingested" is
	// the honest answer.
	started := time.Now()
	var missing, kept int
	for deadline := time.Now().Add(120 * time.Second); time.Now().Before(deadline); time.Sleep(2 * time.Second) {
		d := getDoc(t, page)
		missing, kept = d.Find("svg.chart a.ex.missing").Length(), d.Find("svg.chart a.ex:not(.missing)").Length()
		if missing >= 5 && kept >= 1 && time.Since(started) > 45*time.Second {
			break
		}
	}
	if missing < 5 || kept < 1 {
		t.Fatalf("%d hollow and %d kept exemplars after 90 s", missing, kept)
	}

	b := newBrowser(t)
	defer func() {
		if t.Failed() {
			screenshot(t, b, "tail-sampling")
		}
	}()
	if err := chromedp.Do(b.ctx, chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS(`svg.chart a.ex.missing`))); err != nil {
		t.Fatal(err)
	}
	note, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.querySelector("p.exemplar-check")?.textContent || ""`))
	if !strings.Contains(note, "missing (hollow markers)") {
		t.Errorf("the graph does not say how many traces are missing: %q", note)
	}
	href, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`[...document.querySelectorAll("svg.chart a.ex.missing")].
	  sort((a, b) => a.querySelector("circle").getAttribute("cx") - b.querySelector("circle").getAttribute("cx"))[0].getAttribute("href")`))
	if err != nil || !strings.HasPrefix(href, "/traces/") {
		t.Fatalf("hollow marker's link %q: %v", href, err)
	}
	if err := chromedp.Do(b.ctx, chromedp.Navigate(tw.URL+href), chromedp.WaitVisible(chromedp.CSS(`table.problem-reasons`))); err != nil {
		t.Fatal(err)
	}
	first, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.querySelector("table.problem-reasons tbody tr").innerText`))
	if !strings.HasPrefix(first, "Sampled out") || !strings.Contains(first, "likely") {
		t.Errorf("the 404's first explanation is %q, want sampled out", first)
	}
	logs, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`[...document.querySelectorAll("main a.button")].find(a => a.textContent.includes("log lines"))?.getAttribute("href") || ""`))
	if !strings.HasPrefix(logs, "/logs?") || !strings.Contains(logs, "trace_id=") {
		t.Errorf("no link to the trace's logs: %q", logs)
	}
	// The 404 itself is the one console error a 404 page has.
	for _, p := range b.problems(t) {
		if !strings.Contains(p, "status of 404") {
			t.Errorf("the 404 page reported: %s", p)
		}
	}

	ctx := context.Background()
	// Every failing checkout logged at the gateway (older than the
	// sampler's wait) has its trace in Tempo. The spike makes a few.
	var lines []datasources.LogLine
	for deadline := time.Now().Add(120 * time.Second); ; time.Sleep(3 * time.Second) {
		now := time.Now()
		pg, err := tw.Loki.Page(ctx, loki.Query{Expr: `{service_name="gateway", level="error"} |= "checkout failed"`,
			Start: now.Add(-5 * time.Minute), End: now.Add(-20 * time.Second), Limit: 200, Direction: loki.Forward}, loki.Cursor{})
		if err != nil {
			t.Fatal(err)
		}
		lines = pg.Lines
		if len(lines) >= 3 || time.Now().After(deadline) {
			break
		}
	}
	now := time.Now()
	failed := 0
	for _, l := range lines {
		var line struct {
			TraceID string `json:"trace_id"`
		}
		if json.Unmarshal([]byte(l.Line), &line) != nil || line.TraceID == "" {
			continue
		}
		failed++
		ok, err := tw.Tempo.Exists(ctx, line.TraceID, time.Time{}, time.Time{})
		if err != nil || !ok {
			t.Errorf("the failing checkout %s was not kept (%v)", line.TraceID, err)
		}
	}
	// Most fast requests' traces were not: of the gateway's exemplars
	// under 100 ms, the share kept is near the policy's 5%.
	exs, err := tw.Prom.Exemplars(ctx, `http_server_request_duration_seconds_bucket{service="gateway"}`, now.Add(-3*time.Minute), now.Add(-20*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	fast, fastKept := 0, 0
	for _, e := range exs {
		if e.Value >= 0.1 || strings.HasPrefix(e.SeriesLabels["status"], "5") {
			continue
		}
		fast++
		if ok, _ := tw.Tempo.Exists(ctx, e.Labels["trace_id"], time.Time{}, time.Time{}); ok {
			fastKept++
		}
		if fast == 100 {
			break
		}
	}
	t.Logf("tail sampling: %d failing checkouts, every one kept; %d of %d fast requests' traces kept", failed, fastKept, fast)
	if failed < 3 {
		t.Errorf("only %d failing checkouts in two minutes", failed)
	}
	if fast < 20 || float64(fastKept) > 0.25*float64(fast) {
		t.Errorf("%d of %d fast requests' traces kept: want most dropped", fastKept, fast)
	}

	// /sampling: the gateway's effective rate is near the policy's share
	// for fast traffic (5%, plus errors and slow requests).
	d := getDoc(t, tw.URL+"/sampling?from=now-3m&to=now")
	rate := strings.TrimSpace(d.Find(`table.sampling-table tr[data-service="gateway"] td.rate`).Text())
	pct, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimPrefix(rate, "≥ "), "%"), 64)
	t.Logf("/sampling: gateway's effective rate %s", rate)
	if err != nil || pct < 2 || pct > 20 {
		t.Errorf("the gateway's effective rate is %q, want near 5%%", rate)
	}
	// Per root operation too: the order look-ups' requests per second
	// against their kept traces per second.
	look := d.Find(`section.sampling-service[data-service="gateway"] table.sampling-ops tr[data-operation="GET /api/orders/{id}"]`)
	t.Logf("/sampling: order look-ups %s", strings.Join(strings.Fields(look.Text()), " "))
	if look.Length() != 1 || !strings.HasSuffix(strings.TrimSpace(look.Find("td.kept-per-sec").Text()), "/s") {
		t.Errorf("no per-operation row for the order look-ups: %q", look.Text())
	}

	// The search cannot count requests: tail sampling records no
	// probability, and Tempo's search answer carries none anyway.
	d = getDoc(t, tw.URL+"/traces?build=1&service=gateway&from=now-3m&to=now")
	if c := strings.TrimSpace(d.Find(`section.panel-done[data-panel="Results"] .request-count`).Text()); !strings.Contains(c, "request count unknown") {
		t.Errorf("the search's count %q does not say the request count is unknown", c)
	}
}

func getDoc(t *testing.T, u string) *goquery.Document {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	d, err := goquery.NewDocumentFromReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
