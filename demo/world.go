package demo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/ariadne-dev/ariadne/datasources/jaegerrun"
	"github.com/ariadne-dev/ariadne/datasources/lokitest"
	"github.com/ariadne-dev/ariadne/datasources/promrun"
	"github.com/ariadne-dev/ariadne/datasources/tempotest"
)

// Options configures a demo world. Empty URLs mean "start our own".
type Options struct {
	Rate        float64 // requests per second from the load generator
	SampleRatio float64
	// Sampling is the strategy: none (""), head (SampleRatio at the
	// gateway), tail or adaptive (both through a real Jaeger, started
	// even when Traces is tempo: it then forwards what it keeps).
	Sampling string
	Spikes   Spikes
	DataDir  string // project-local state (Postgres, Prometheus TSDB)

	DatabaseURL   string // use this Postgres instead of a private cluster
	PrometheusURL string // use this Prometheus (it must scrape MetricsURL itself)
	LokiURL       string // push to and query this Loki
	TempoURL      string // query this Tempo...
	TempoOTLPURL  string // ...and export traces here
	// TempoMaxBytesPerTrace is the Tempo test server's per-trace limit
	// (0: Tempo's default, 5 MB), raised as operators raise Tempo's.
	TempoMaxBytesPerTrace int64
	// Traces is where the shop's traces go: "tempo" (the default; the
	// Tempo test server or TempoURL), "jaeger" (a real Jaeger the world
	// starts), or "both".
	Traces string
	// ReconcileEvery is the Zipkin-instrumented reconciler's period, with
	// Jaeger (0: DefaultReconcileEvery).
	ReconcileEvery time.Duration

	// Listen addresses of what the world starts; "" picks a free port.
	PrometheusAddr, LokiAddr, TempoAddr string
	ScrapeInterval                      time.Duration
	// Output receives the child processes' output (Prometheus), if set.
	Output io.Writer
}

// World is a running demo world.
type World struct {
	DatabaseURL   string
	PrometheusURL string
	LokiURL       string
	TempoURL      string // "" when traces do not go to Tempo
	TempoOTLPURL  string
	JaegerURL     string // Jaeger's query API; "" when traces do not go to Jaeger
	JaegerOTLPURL string
	// CollectorURL is the query API of the Jaeger that samples in front
	// of Tempo (tail or adaptive with Traces tempo); "" otherwise.
	CollectorURL string
	// Sampling is the strategy in force; SamplingURL the adaptive
	// sampling collector's strategies endpoint (jaegerrun.StartAdaptive)
	// with adaptive.
	Sampling    string
	SamplingURL string
	MetricsURL  string // the shop's OpenMetrics endpoint
	// SpanMetricsURL is Jaeger's span metrics (its spanmetrics connector's
	// prometheus exporter), scraped beside the shop; "" without Jaeger.
	SpanMetricsURL string
	// ServiceGraphsURL is the Tempo test server's service-graph metrics
	// (Tempo metrics-generator's names), scraped beside the shop; "" with
	// an existing Tempo.
	ServiceGraphsURL string
	// OTLPURL is the collector the shop's spans go to (the Tempo test
	// server, or the Jaeger in front of it), a base URL: `ariadne demo`
	// sends Ariadne's own spans there too.
	OTLPURL string
	Shop    *Shop
	Load    *Load
	Faults  *Faults

	closers      []func()
	prom         *promrun.Prometheus // nil when PrometheusURL was given
	testBackends []*testBackend
	cancel       context.CancelFunc
	loadEnd      chan struct{}
}

// Start brings the world up: test backends, Postgres, the shop, Prometheus
// scraping it, and the load. On error everything started is stopped.
func Start(ctx context.Context, opt Options) (*World, error) {
	if opt.SampleRatio == 0 {
		opt.SampleRatio = 1
	}
	if opt.DataDir == "" {
		opt.DataDir = ".data"
	}
	if opt.ScrapeInterval == 0 {
		opt.ScrapeInterval = 2 * time.Second
	}
	w := &World{Faults: &Faults{Spikes: opt.Spikes}}
	if err := w.start(ctx, opt); err != nil {
		w.Close() // whatever did start
		return nil, err
	}
	return w, nil
}

func (w *World) start(ctx context.Context, opt Options) error {
	if opt.LokiURL != "" {
		w.LokiURL = strings.TrimRight(opt.LokiURL, "/")
	} else {
		srv := lokitest.New(lokitest.WithRetention(24 * time.Hour))
		u, err := w.serveOn(opt.LokiAddr, srv.Handler())
		if err != nil {
			return fmt.Errorf("lokitest: %w", err)
		}
		w.LokiURL = u
	}

	switch opt.Traces {
	case "", "tempo", "jaeger", "both":
	default:
		return fmt.Errorf("traces %q: want tempo, jaeger or both", opt.Traces)
	}
	strategy, err := ParseSampling(opt.Sampling)
	if err != nil {
		return err
	}
	w.Sampling = strategy
	viaJaeger := strategy == SamplingTail || strategy == SamplingAdaptive
	switch {
	case opt.Traces == "jaeger":
	case opt.TempoOTLPURL != "" || opt.TempoURL != "":
		if opt.TempoOTLPURL == "" || opt.TempoURL == "" {
			return errors.New("set both TEMPO_URL (query) and TEMPO_OTLP_URL (ingest) to use an existing Tempo")
		}
		w.TempoURL, w.TempoOTLPURL = strings.TrimRight(opt.TempoURL, "/"), strings.TrimRight(opt.TempoOTLPURL, "/")
	default:
		// Tempo's metrics-generator service graphs, computed as it would
		// from what the test server ingests and scraped below, for the
		// service map's calls (#16).
		topts := []tempotest.Option{tempotest.WithRetention(24 * time.Hour), tempotest.WithServiceGraphs(tempotest.NewServiceGraphs())}
		if opt.TempoMaxBytesPerTrace > 0 {
			topts = append(topts, tempotest.WithMaxBytesPerTrace(opt.TempoMaxBytesPerTrace))
		}
		st := tempotest.New(topts...)
		u, err := w.serveOn(opt.TempoAddr, st.Handler())
		if err != nil {
			return fmt.Errorf("tempotest: %w", err)
		}
		w.TempoURL, w.TempoOTLPURL = u, u
		w.ServiceGraphsURL = u + "/metrics"
	}
	// The shop exports to one collector: Tempo, or the real Jaeger, which
	// with "both" forwards everything it receives (the payment provider's
	// Zipkin spans too) to Tempo.
	var otlp, zipkinURL string
	if w.TempoOTLPURL != "" {
		otlp = w.TempoOTLPURL
	}
	if opt.Traces == "jaeger" || opt.Traces == "both" || viaJaeger {
		// Its spanmetrics connector gives the service map (#16) RED per
		// service from real components, scraped below.
		jo := jaegerrun.Options{Output: opt.Output, SpanMetrics: &jaegerrun.SpanMetrics{FlushInterval: 5 * time.Second}}
		if w.TempoOTLPURL != "" {
			jo.ForwardTo = []string{w.TempoOTLPURL}
		}
		jaegerFor(strategy, &jo)
		if strategy == SamplingAdaptive {
			// Adaptive sampling's own collector gets a copy of every span
			// and serves the strategies the shop's samplers ask for.
			a, err := jaegerrun.StartAdaptive(ctx, adaptiveSettings(), opt.Output)
			if err != nil {
				return err
			}
			w.closers = append(w.closers, func() { a.Stop() })
			jo.ForwardTo = append(jo.ForwardTo, a.OTLPHTTP)
			w.SamplingURL = a.SamplingURL
		}
		j, err := jaegerrun.Start(ctx, jo)
		if err != nil {
			return err
		}
		w.closers = append(w.closers, func() { j.Stop() })
		if opt.Traces == "jaeger" || opt.Traces == "both" {
			w.JaegerURL, w.JaegerOTLPURL = j.QueryURL, j.OTLPHTTP
		} else {
			w.CollectorURL = j.QueryURL
		}
		otlp, zipkinURL = j.OTLPHTTP, j.ZipkinURL
		w.SpanMetricsURL = j.MetricsURL
	}

	if opt.DatabaseURL != "" {
		w.DatabaseURL = opt.DatabaseURL
	} else {
		pg, err := StartPostgres(ctx, opt.DataDir)
		if err != nil {
			return err
		}
		w.closers = append(w.closers, pg.Stop)
		w.DatabaseURL = pg.URL
	}

	shop, err := StartShop(ctx, ShopOptions{OTLPURL: otlp, ZipkinURL: zipkinURL, ReconcileEvery: opt.ReconcileEvery, LokiPushURL: w.LokiURL + "/loki/api/v1/push",
		SampleRatio: opt.SampleRatio, Sampling: strategy, SamplingURL: w.SamplingURL, Faults: w.Faults})
	if err != nil {
		return err
	}
	w.Shop = shop
	w.OTLPURL = otlp
	w.closers = append(w.closers, shop.Close)
	w.MetricsURL = shop.MetricsURL

	if opt.PrometheusURL != "" {
		w.PrometheusURL = strings.TrimRight(opt.PrometheusURL, "/")
	} else {
		mu, _ := url.Parse(shop.MetricsURL)
		targets := []string{mu.Host}
		for _, extra := range []string{w.SpanMetricsURL, w.ServiceGraphsURL} {
			if extra != "" {
				su, _ := url.Parse(extra)
				targets = append(targets, su.Host)
			}
		}
		p, err := promrun.Start(ctx, promrun.Options{
			ListenAddr:     opt.PrometheusAddr,
			ScrapeInterval: opt.ScrapeInterval,
			Job:            "shop",
			Targets:        targets,
			Output:         opt.Output,
		})
		if err != nil {
			return err
		}
		w.closers = append(w.closers, func() { p.Stop() })
		w.PrometheusURL = p.URL
		w.prom = p
	}

	lctx, cancel := context.WithCancel(context.Background())
	w.cancel = cancel
	w.Load = &Load{GatewayURL: shop.URLs[Gateway], Rate: opt.Rate, SpikeFactor: opt.Spikes.Load, InSpike: w.Faults.InSpike}
	w.loadEnd = make(chan struct{})
	go func() { defer close(w.loadEnd); w.Load.Run(lctx) }()
	return nil
}

// ScrapeAriadne has the world's Prometheus scrape Ariadne's /metrics at
// hostPort (job "ariadne"), exemplars included, once Ariadne listens. A
// Prometheus the world did not start (PROMETHEUS_URL) is left alone: its
// configuration is its operator's.
func (w *World) ScrapeAriadne(ctx context.Context, hostPort string) error {
	if w.prom == nil {
		return nil
	}
	return w.prom.AddJob(ctx, "ariadne", hostPort)
}

// Close stops the load, then everything in reverse order of start.
func (w *World) Close() {
	if w.cancel != nil {
		w.cancel()
		<-w.loadEnd
		w.cancel = nil
	}
	for i := len(w.closers) - 1; i >= 0; i-- {
		w.closers[i]()
	}
	w.closers = nil
}

// serveOn serves a test backend on addr (a free loopback port when empty)
// until Close or StopTestBackends.
func (w *World) serveOn(addr string, h http.Handler) (string, error) {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return "", err
	}
	tb := &testBackend{addr: l.Addr().String(), handler: h}
	tb.serve(l)
	w.testBackends = append(w.testBackends, tb)
	w.closers = append(w.closers, tb.stop)
	return "http://" + tb.addr, nil
}

// testBackend is lokitest's or tempotest's HTTP server, which a test may
// stop and start again on the same address; the data stays in memory.
type testBackend struct {
	addr    string
	handler http.Handler
	mu      sync.Mutex
	srv     *http.Server
	l       net.Listener
}

func (b *testBackend) serve(l net.Listener) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.srv = &http.Server{Handler: b.handler, ReadHeaderTimeout: 10 * time.Second}
	b.l = l
	go b.srv.Serve(l)
}

func (b *testBackend) stop() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.srv != nil {
		// Close the listener ourselves: Serve may not have taken it yet,
		// and the port must be free when stop returns.
		b.l.Close()
		b.srv.Close() // every open connection
		b.srv, b.l = nil, nil
	}
}

// StopTestBackends stops the Loki and Tempo test servers the world started,
// as if they were down or their retention had passed. Tests of what must
// outlive the backends use it.
func (w *World) StopTestBackends() {
	for _, b := range w.testBackends {
		b.stop()
	}
}

// StartTestBackends serves the stopped test servers again, on the same
// addresses and with the data they held.
func (w *World) StartTestBackends() error {
	for _, b := range w.testBackends {
		b.mu.Lock()
		running := b.srv != nil
		b.mu.Unlock()
		if running {
			continue
		}
		l, err := net.Listen("tcp", b.addr)
		if err != nil {
			return err
		}
		b.serve(l)
	}
	return nil
}
