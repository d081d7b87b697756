package e2e

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/datasources/jaegerrun"
	"github.com/ariadne-dev/ariadne/datasources/loki"
	"github.com/ariadne-dev/ariadne/datasources/prometheus"
	"github.com/ariadne-dev/ariadne/datasources/promrun"
	"github.com/ariadne-dev/ariadne/datasources/tempo"
	"github.com/ariadne-dev/ariadne/datasources/zipkintest"
	"github.com/ariadne-dev/ariadne/demo"
	"github.com/ariadne-dev/ariadne/store/storetest"
)

// app is the one demo world every journey runs on, started in TestMain:
// the shop with its load and spikes, Prometheus, lokitest, tempotest and
// the real Jaeger (the shop sends every trace to both), a Postgres
// database of its own, and the real `ariadne serve` over them.
type app struct {
	URL   string // Ariadne's base URL, no trailing slash
	World *demo.World
	Prom  *prometheus.Client
	Loki  *loki.Client
	Tempo *tempo.Client
	// Zipkin is a Zipkin-API test server (Zipkin's server is Java and
	// cannot run here) that Ariadne reads as its third trace backend;
	// journeys push B3-era traces to it directly.
	Zipkin *zipkintest.Server
}

var (
	shared    *app
	sharedErr error // why there is no world (a missing dependency)
)

// demoApp returns the shared world. Without one the test fails under
// CI=true (make test provides everything) and skips elsewhere.
func demoApp(t *testing.T) *app {
	t.Helper()
	if shared == nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("no demo world: %v", sharedErr)
		}
		t.Skipf("no demo world: %v", sharedErr)
	}
	return shared
}

func TestMain(m *testing.M) {
	stop, err := startWorld()
	if err != nil {
		sharedErr = err
	}
	code := m.Run()
	if stop != nil {
		stop()
	}
	os.Exit(code)
}

func startWorld() (stop func(), err error) {
	admin := os.Getenv(storetest.EnvAdminURL)
	if admin == "" {
		return nil, fmt.Errorf("%s is not set (make test sets it)", storetest.EnvAdminURL)
	}
	if _, err := promrun.FindBinary(""); err != nil {
		return nil, err
	}
	if _, err := jaegerrun.Binary(); err != nil {
		return nil, err
	}
	dbURL, drop, err := storetest.Create(admin)
	if err != nil {
		return nil, err
	}
	dataDir, _ := os.MkdirTemp("", "ariadne-e2e-")
	ctx := context.Background()
	w, err := demo.Start(ctx, demo.Options{
		Rate: 15, SampleRatio: 1, DataDir: dataDir, DatabaseURL: dbURL, ScrapeInterval: time.Second, Traces: "both",
		Spikes: demo.Spikes{Every: 2 * time.Minute, Length: time.Minute, AtStart: true},
		// Raised as an operator raises Tempo's, so the large-trace journeys
		// get 100,000-span traces whole.
		TempoMaxBytesPerTrace: tempoLimit(),
	})
	if err != nil {
		drop()
		return nil, err
	}
	a := &app{World: w}
	a.Prom, _ = prometheus.New(datasources.Config{URL: w.PrometheusURL, Timeout: 10 * time.Second})
	a.Loki, _ = loki.New(datasources.Config{URL: w.LokiURL, Timeout: 10 * time.Second})
	a.Tempo, _ = tempo.New(datasources.Config{URL: w.TempoURL, Timeout: 10 * time.Second})
	a.Zipkin = zipkintest.NewServer()

	url, stopAriadne, err := startAriadne(dbURL, w, a.Zipkin.URL)
	if err != nil {
		a.Zipkin.Close()
		w.Close()
		drop()
		return nil, err
	}
	a.URL = url
	shared = a
	return func() {
		stopAriadne()
		a.Zipkin.Close()
		w.Close()
		drop()
		os.RemoveAll(dataDir)
	}, nil
}

// startAriadne runs the real binary's `serve` on the world, configured as
// an operator would, by Grafana's datasource provisioning (see
// grafanaProvisioning): the journeys test the same config parsing,
// migration and wiring as production. It returns the base URL. extraEnv
// (NAME=value) is added to that environment (OTEL_* for the test of
// Ariadne's own telemetry).
func startAriadne(dbURL string, w *demo.World, zipkinURL string, extraEnv ...string) (string, func(), error) {
	dir, err := os.MkdirTemp("", "ariadne-e2e-bin-")
	if err != nil {
		return "", nil, err
	}
	bin := filepath.Join(dir, "ariadne")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/ariadne-dev/ariadne/cmd/ariadne").CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return "", nil, fmt.Errorf("building ariadne: %v\n%s", err, out)
	}
	provisioning := filepath.Join(dir, "datasources.yaml")
	if err := os.WriteFile(provisioning, []byte(grafanaProvisioning(w, zipkinURL)), 0o600); err != nil {
		os.RemoveAll(dir)
		return "", nil, err
	}
	cmd := exec.Command(bin, "serve")
	// The backends and how they correlate come from Grafana's provisioning
	// alone, as a team that runs Grafana would start Ariadne: no
	// PROMETHEUS_URL and the like, so every journey runs on what Ariadne
	// takes from that file. Postgres and identity are Ariadne's own.
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "DATABASE_URL=" + dbURL, "ARIADNE_ADDR=127.0.0.1:0", "ARIADNE_DEFAULT_USER=local",
		"ARIADNE_GRAFANA_DATASOURCES=" + provisioning}
	if os.Getenv("ARIADNE_E2E_1M") != "" {
		// A million-span trace is ≈ 200 MB of protobuf.
		cmd.Env = append(cmd.Env, "TEMPO_MAX_RESPONSE_BYTES="+strconv.FormatInt(tempoLimit(), 10))
	}
	cmd.Env = append(cmd.Env, extraEnv...)
	// Its request log, for a failing journey to be read afterwards.
	logf, _ := os.Create(filepath.Join(dir, "ariadne.log"))
	cmd.Stderr = logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM} // never outlives the tests
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return "", nil, err
	}
	stop := func() {
		cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			cmd.Process.Kill()
		}
		logf.Close()
		os.RemoveAll(dir)
	}
	urlc := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if u, ok := strings.CutPrefix(sc.Text(), "Ariadne listening on "); ok {
				urlc <- strings.TrimSuffix(u, "/")
			}
		}
		close(urlc)
	}()
	select {
	case u, ok := <-urlc:
		if ok {
			return u, stop, nil
		}
	case <-time.After(60 * time.Second):
	}
	log, _ := os.ReadFile(filepath.Join(dir, "ariadne.log"))
	stop()
	return "", nil, fmt.Errorf("ariadne serve did not start:\n%s", log[max(0, len(log)-2000):])
}

// grafanaProvisioning is the world's datasources in the shape of Grafana's
// provisioning documentation: Prometheus whose exemplars' trace_id label
// leads to Tempo, Loki with a derived field (the demo's JSON lines carry
// "trace_id"), Tempo with tracesToLogsV2 (tags and time shifts), and Jaeger
// and Zipkin beside it. A backend the world lacks is left out, as it would
// be from Grafana. A journey that fails here fails on what Ariadne made of
// this file; `ariadne config check` prints the same mapping.
func grafanaProvisioning(w *demo.World, zipkinURL string) string {
	var b strings.Builder
	b.WriteString("apiVersion: 1\n\ndatasources:\n")
	fmt.Fprintf(&b, `  - name: Prometheus
    type: prometheus
    uid: prometheus
    access: proxy
    url: %s
    jsonData:
      httpMethod: POST
      exemplarTraceIdDestinations:
        - datasourceUid: tempo
          name: trace_id
  - name: Loki
    type: loki
    uid: loki
    access: proxy
    url: %s
    jsonData:
      maxLines: 1000
      derivedFields:
        - datasourceUid: tempo
          matcherType: regex
          matcherRegex: '"trace_id":"(\w+)"'
          name: TraceID
          url: '$${__value.raw}'
  - name: Tempo
    type: tempo
    uid: tempo
    access: proxy
    url: %s
    jsonData:
      tracesToLogsV2:
        datasourceUid: loki
        spanStartTimeShift: '-1m'
        spanEndTimeShift: '1m'
        tags: [{ key: 'service.name', value: 'service_name' }]
        filterByTraceID: true
      serviceMap:
        datasourceUid: prometheus
`, w.PrometheusURL, w.LokiURL, w.TempoURL)
	if w.JaegerURL != "" {
		fmt.Fprintf(&b, "  - name: Jaeger\n    type: jaeger\n    uid: jaeger\n    url: %s\n", w.JaegerURL)
	}
	if zipkinURL != "" {
		fmt.Fprintf(&b, "  - name: Zipkin\n    type: zipkin\n    uid: zipkin\n    url: %s\n", zipkinURL)
	}
	return b.String()
}
