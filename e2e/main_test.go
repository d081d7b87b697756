package e2e

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/datasources/loki"
	"github.com/ariadne-dev/ariadne/datasources/prometheus"
	"github.com/ariadne-dev/ariadne/datasources/promrun"
	"github.com/ariadne-dev/ariadne/datasources/tempo"
	"github.com/ariadne-dev/ariadne/demo"
	"github.com/ariadne-dev/ariadne/handlers"
	"github.com/ariadne-dev/ariadne/store"
	"github.com/ariadne-dev/ariadne/store/storetest"
)

// app is the one demo world every journey runs on, started in TestMain:
// the shop with its load and spikes, Prometheus, lokitest, tempotest, a
// Postgres database of its own, and Ariadne serving over them.
type app struct {
	URL   string // Ariadne's base URL, no trailing slash
	World *demo.World
	Prom  *prometheus.Client
	Loki  *loki.Client
	Tempo *tempo.Client
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
	dbURL, drop, err := storetest.Create(admin)
	if err != nil {
		return nil, err
	}
	dataDir, _ := os.MkdirTemp("", "ariadne-e2e-")
	ctx := context.Background()
	w, err := demo.Start(ctx, demo.Options{
		Rate: 15, SampleRatio: 1, DataDir: dataDir, DatabaseURL: dbURL, ScrapeInterval: time.Second,
		Spikes: demo.Spikes{Every: 2 * time.Minute, Length: time.Minute, AtStart: true},
	})
	if err != nil {
		drop()
		return nil, err
	}
	a := &app{World: w}
	a.Prom, _ = prometheus.New(datasources.Config{URL: w.PrometheusURL, Timeout: 10 * time.Second})
	a.Loki, _ = loki.New(datasources.Config{URL: w.LokiURL, Timeout: 10 * time.Second})
	a.Tempo, _ = tempo.New(datasources.Config{URL: w.TempoURL, Timeout: 10 * time.Second})

	pool, err := store.Open(ctx, dbURL)
	if err != nil {
		w.Close()
		drop()
		return nil, err
	}
	h := handlers.New(handlers.Options{
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		DB:     pool, Store: store.New(pool), DefaultUser: "local",
		Backends: []handlers.Backend{
			{Name: "Prometheus", Env: "PROMETHEUS", URL: w.PrometheusURL, Ready: a.Prom.Ready},
			{Name: "Loki", Env: "LOKI", URL: w.LokiURL, Ready: a.Loki.Ready},
			{Name: "Tempo", Env: "TEMPO", URL: w.TempoURL, Ready: a.Tempo.Ready},
		},
		Prometheus: a.Prom, Loki: a.Loki, Tempo: a.Tempo,
	})
	srv := httptest.NewServer(h.Router())
	a.URL = srv.URL
	shared = a
	return func() {
		srv.Close()
		h.Close()
		pool.Close()
		w.Close()
		drop()
		os.RemoveAll(dataDir)
	}, nil
}
