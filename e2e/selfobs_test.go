package e2e

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ariadne-dev/ariadne/datasources"
)

// TestSelfObservation (#19 Done when): an Ariadne with the demo's OTLP
// endpoint set renders /traces/{id} for a request carrying a known
// traceparent; Ariadne's own trace of that request reaches the world's
// Tempo (its OTLP ingest, which the demo prints) with its server span and, as children, its Tempo call, its Loki call and its
// Postgres query; /metrics has their histograms with exemplars
// (OpenMetrics) naming that trace; and those trace IDs open in Ariadne,
// in the browser too. (That the demo's Prometheus scrapes them is
// TestDemoStopsEverything's: scraped here, this short-lived Ariadne would
// be a service of the shared world's metrics for the later journeys.)
func TestSelfObservation(t *testing.T) {
	a := demoApp(t)
	// Straight to Tempo rather than through the Jaeger in front of it
	// (World.OTLPURL, which ariadne demo uses): Jaeger's span metrics
	// would put this short-lived Ariadne on the service map the later
	// journeys read.
	self, stop, err := startAriadne(a.World.DatabaseURL, a.World, a.Zipkin.URL,
		"OTEL_EXPORTER_OTLP_ENDPOINT="+a.World.TempoOTLPURL, "OTEL_BSP_SCHEDULE_DELAY=200")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)

	shopTrace := failingTrace(t, a) // a trace with logs, in Tempo
	traceID, parentID := randomHex(t, 16), randomHex(t, 8)
	req, _ := http.NewRequest(http.MethodGet, self+"/traces/"+shopTrace, nil)
	req.Header.Set("traceparent", "00-"+traceID+"-"+parentID+"-01")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body) // every streamed panel, the logs' too
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `data-panel="Logs"`) {
		t.Fatalf("the trace page: %d, %d bytes", resp.StatusCode, len(body))
	}

	// Ariadne's trace of that request, in the world's trace backend.
	server, children := waitForSelfTrace(t, a, traceID)
	if server.ParentSpanID != parentID {
		t.Errorf("the server span's parent is %q, want the traceparent's %s", server.ParentSpanID, parentID)
	}
	for _, peer := range []string{"tempo", "loki", "postgresql"} {
		c, ok := children[peer]
		if !ok {
			t.Errorf("no %s call among the server span's children", peer)
			continue
		}
		t.Logf("%s call: %s", peer, c.Name)
	}
	if c := children["loki"]; c != nil && !strings.Contains(attr(c, "ariadne.query.text"), shopTrace) {
		t.Errorf("the Loki call's query %q does not look for the trace", attr(c, "ariadne.query.text"))
	}
	if c := children["postgresql"]; c != nil && (attr(c, "db.system.name") != "postgresql" || !strings.Contains(attr(c, "db.query.text"), "investigations")) {
		t.Errorf("the Postgres span: %s %v", c.Name, c.Attributes())
	}

	// /metrics, as Prometheus asks for it, has the request's and the
	// calls' histograms with that trace as exemplar.
	metrics := openMetrics(t, self+"/metrics")
	exemplars := regexp.MustCompile(`(?m)^(\w+)_bucket\{([^}]*)\} \S+ # \{trace_id="([0-9a-f]{32})"\}`).FindAllStringSubmatch(metrics, -1)
	seen := map[string]bool{}
	var ids []string
	for _, m := range exemplars {
		labels := m[2]
		switch {
		case m[1] == "http_server_request_duration_seconds" && strings.Contains(labels, `route="/traces/:id"`) && strings.Contains(labels, `service="ariadne"`):
			seen["request"] = m[3] == traceID
		case m[1] == "ariadne_backend_request_duration_seconds":
			for _, b := range []string{"tempo", "loki", "postgres"} {
				if strings.Contains(labels, `backend="`+b+`"`) && m[3] == traceID {
					seen[b] = true
				}
			}
		}
		if !slices.Contains(ids, m[3]) {
			ids = append(ids, m[3])
		}
	}
	for _, k := range []string{"request", "tempo", "loki", "postgres"} {
		if !seen[k] {
			t.Errorf("no %s exemplar with trace %s in /metrics:\n%s", k, traceID, grepLines(metrics, "_bucket{"))
		}
	}
	// Every exemplar's trace opens in Ariadne (the journeys' instance,
	// which reads the same Tempo).
	for _, id := range ids {
		if code := status(t, a.URL+"/traces/"+id); code != http.StatusOK {
			t.Errorf("exemplar trace %s: %d in Ariadne", id, code)
		}
	}

	// And in the browser, Ariadne's trace shows its server span with the
	// three calls one level under it.
	b := newBrowser(t)
	if err := chromedp.Do(b.ctx, chromedp.Navigate(a.URL+"/traces/"+traceID), chromedp.WaitVisible(chromedp.ID("waterfall"))); err != nil {
		t.Fatal(err)
	}
	type row struct {
		D    string
		Text string
	}
	rows, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]row](`[...document.querySelectorAll("#wf-rows > .row")].map(r => ({D: r.dataset.d || "", Text: r.innerText}))`))
	if err != nil {
		t.Fatal(err)
	}
	depth := func(name string) string {
		for _, r := range rows {
			if strings.Contains(r.Text, name) {
				return r.D
			}
		}
		return ""
	}
	top := depth("GET /traces/:id")
	if top == "" || !strings.Contains(fmt.Sprint(rows), "ariadne") {
		t.Fatalf("Ariadne's server span is not on its trace page: %v", rows)
	}
	for peer, c := range children {
		if d := depth(c.Name); d == "" || d <= top {
			t.Errorf("the %s call %q at depth %q, want under the server span (%s)", peer, c.Name, d, top)
		}
	}
	b.assertClean(t)
}

// waitForSelfTrace waits until Tempo has Ariadne's server span of the
// request and its Tempo, Loki and Postgres calls, keyed by peer.service.
func waitForSelfTrace(t *testing.T, a *app, id string) (*datasources.Span, map[string]*datasources.Span) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	var last string
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		tr, err := a.Tempo.Trace(ctx, id, time.Now().Add(-10*time.Minute), time.Now().Add(time.Minute))
		cancel()
		if err == nil && tr != nil {
			var server *datasources.Span
			for i := range tr.Spans {
				if s := &tr.Spans[i]; s.Name == "GET /traces/:id" && s.Service() == "ariadne" {
					server = s
				}
			}
			if server != nil {
				children := map[string]*datasources.Span{}
				for i := range tr.Spans {
					if s := &tr.Spans[i]; s.ParentSpanID == server.SpanID {
						if p := attr(s, "peer.service"); p != "" {
							if _, dup := children[p]; !dup {
								children[p] = s
							}
						}
					}
				}
				if len(children) >= 3 && children["tempo"] != nil && children["loki"] != nil && children["postgresql"] != nil {
					return server, children
				}
				last = fmt.Sprintf("calls under the server span: %v", slices.Sorted(maps.Keys(children)))
			} else {
				last = fmt.Sprintf("no server span among %d spans", len(tr.Spans))
			}
		} else {
			last = fmt.Sprintf("not found: %v", err)
		}
		time.Sleep(500 * time.Millisecond)
	}
	t.Fatalf("Ariadne's trace %s did not reach Tempo whole within 60s (%s)", id, last)
	return nil, nil
}

func openMetrics(t *testing.T, u string) string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	req.Header.Set("Accept", "application/openmetrics-text;version=1.0.0")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/openmetrics-text") {
		t.Fatalf("/metrics answered %s", ct)
	}
	return string(b)
}

func status(t *testing.T, u string) int {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

func randomHex(t *testing.T, n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func attr(s *datasources.Span, key string) string {
	for _, a := range s.Attributes() {
		if a.Key == key {
			return a.Value
		}
	}
	return ""
}

func grepLines(s, substr string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, substr) && strings.Contains(l, "#") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
