// Command ariadne serves the Ariadne web app and manages its database.
//
//	ariadne serve [flags]            run the web app
//	ariadne migrate [up|down|status] manage the Postgres schema
//	ariadne demo [flags]             run a live demo world and Ariadne on it
//	ariadne config check [flags]     print the configuration serve would use
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"syscall"
	"time"
	_ "time/tzdata" // viewers' zones render even on machines without zoneinfo

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/handlers"
	"github.com/ariadne-dev/ariadne/store"
	"github.com/ariadne-dev/ariadne/telemetry"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "ariadne:", err)
		os.Exit(1)
	}
}

const usage = `usage: ariadne <command> [flags]

commands:
  serve                    run the web app (see "ariadne serve -h")
  migrate [up|down|status] manage the Postgres schema (default up)
  demo                     run a simulated shop with Prometheus, Loki and Tempo test servers, and Ariadne on it
  config check [flags]     print the configuration serve would use (serve's flags; secrets masked)
`

// run is main without the process: tests call it with their own context,
// arguments and environment.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errors.New("missing command")
	}
	switch args[0] {
	case "serve":
		return serve(ctx, args[1:], getenv, stdout, stderr)
	case "migrate":
		return migrate(ctx, args[1:], getenv, stdout, stderr)
	case "demo":
		return runDemo(ctx, args[1:], getenv, stdout, stderr)
	case "config":
		return configCommand(args[1:], getenv, stdout, stderr)
	case "-h", "--help", "help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", args[0])
}

func serve(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := parseConfig(args, getenv, stderr)
	if err != nil {
		return err
	}
	return runServer(ctx, cfg, stderr, nil, func(url string) {
		fmt.Fprintf(stdout, "Ariadne listening on %s/\n", url)
	})
}

// runServer serves Ariadne until ctx ends, then shuts down gracefully:
// in-flight requests finish, new connections are refused. listening is
// called with the base URL once the port is open. Its log goes to stderr
// and, when tee is set, there too (the demo's Loki).
func runServer(ctx context.Context, cfg Config, stderr io.Writer, tee slog.Handler, listening func(url string)) error {
	var out slog.Handler = slog.NewTextHandler(stderr, nil)
	if tee != nil {
		out = slog.NewMultiHandler(out, tee)
	}
	log := slog.New(telemetry.LogHandler(out))
	for _, n := range cfg.Provisioning {
		fmt.Fprintln(stderr, "grafana:", n)
	}
	tel, err := telemetry.Setup(ctx, cfg.Telemetry)
	if err != nil {
		return err
	}
	defer func() {
		// The spans of the last requests, sent before exiting.
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := tel.Shutdown(sctx); err != nil {
			log.Warn("flushing traces", "err", err)
		}
	}()
	if tel.Exporting {
		log.Info("exporting traces", "endpoint", redactURL(tel.Endpoint), "service", cfg.Telemetry.ServiceName)
	}

	pool, err := store.Open(ctx, cfg.DatabaseURL, tel)
	if err != nil {
		return fmt.Errorf("DATABASE_URL: %w", err)
	}
	defer pool.Close()
	if !cfg.NoMigrate {
		if err := migrateUp(ctx, pool, log); err != nil {
			return err
		}
	}
	for _, b := range []*datasources.Config{&cfg.Prometheus, &cfg.Loki, &cfg.Tempo, &cfg.Jaeger, &cfg.Zipkin} {
		b.Telemetry = tel
	}
	cl, err := connect(cfg)
	if err != nil {
		return err
	}

	// Listen first: with port 0 the links Ariadne gives out need the port
	// it got.
	l, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("ARIADNE_ADDR: %w", err)
	}
	st := store.New(pool, store.WithTimeout(cfg.DatabaseTimeout))
	opt := handlers.Options{
		Logger: log, DB: st, Store: st, Backends: cl.backends(cfg),
		RequestTimeout: cfg.RequestTimeout, TraceFlushDelay: cfg.TraceFlushDelay, TraceRetention: cfg.TraceRetention, PublicURL: cfg.publicURL(l.Addr().String()), MaxQueryBytes: cfg.MaxQueryBytes,
		UserHeader: cfg.UserHeader, TrustedProxies: cfg.TrustedProxies, DefaultUser: cfg.DefaultUser,
		ExemplarTraceLabel: cfg.ExemplarTraceLabels,
		DerivedFields:      cfg.DerivedFields,
		TraceLogQuery:      cfg.TraceLogQuery,
		REDQueries:         cfg.REDQueries,
		ServiceMap:         cfg.ServiceMap,
		Telemetry:          tel,
		MetricsOwnListener: cfg.MetricsAddr != "",
	}
	// An unconfigured backend is a nil source: pages say "not configured"
	// rather than showing a failure.
	if cfg.Prometheus.Configured() {
		opt.Prometheus = cl.prometheus
	}
	if cfg.Tempo.Configured() {
		opt.Tempo = cl.tempo
	}
	opt.TraceBackends = cl.traceBackends(cfg)
	if cfg.Jaeger.Configured() {
		opt.Dependencies = cl.jaeger
	}
	if cfg.Loki.Configured() {
		opt.Loki = cl.loki
	}
	h := handlers.New(opt)
	defer h.Close()

	srv := &http.Server{
		Handler:           h.Router(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		// Pages stream panels for up to RequestTimeout; leave room to finish.
		WriteTimeout: cfg.RequestTimeout + 10*time.Second,
		IdleTimeout:  2 * time.Minute,
		ErrorLog:     slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 2)
	var metricsSrv *http.Server
	if cfg.MetricsAddr != "" {
		ml, err := net.Listen("tcp", cfg.MetricsAddr)
		if err != nil {
			l.Close()
			return fmt.Errorf("ARIADNE_METRICS_ADDR: %w", err)
		}
		metricsSrv = metricsServer(tel, log)
		go func() { errc <- metricsSrv.Serve(ml) }()
		log.Info("serving metrics", "addr", ml.Addr().String())
	}
	go func() { errc <- srv.Serve(l) }()
	log.Info("serving", "addr", l.Addr().String())
	listening("http://" + l.Addr().String())

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), cfg.RequestTimeout+5*time.Second)
	defer cancel()
	if metricsSrv != nil {
		metricsSrv.Shutdown(sctx)
	}
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// metricsServer serves GET /metrics alone, for ARIADNE_METRICS_ADDR: a
// scraper's address of its own, which may be kept off the users' network.
func metricsServer(tel *telemetry.Telemetry, log *slog.Logger) *http.Server {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", tel.Metrics.Handler())
	return &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, WriteTimeout: 30 * time.Second,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
}

// redactURL is u as a start line prints it: scheme, host and path, no
// credentials or query.
func redactURL(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return "(unreadable URL)"
	}
	return p.Scheme + "://" + p.Host + p.Path
}

func migrateUp(ctx context.Context, pool *pgxpool.Pool, log *slog.Logger) error {
	m, err := store.NewMigrator(pool)
	if err != nil {
		return err
	}
	defer m.Close()
	n, err := m.Up(ctx)
	if err != nil {
		return fmt.Errorf("migrating the database: %w", err)
	}
	if n > 0 {
		log.Info("database migrated", "applied", n)
	}
	return nil
}

func migrate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	dir := "up"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		dir, args = args[0], args[1:]
	}
	cfg, err := parseConfig(args, getenv, stderr)
	if err != nil {
		return err
	}
	pool, err := store.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return fmt.Errorf("DATABASE_URL: %w", err)
	}
	defer pool.Close()
	m, err := store.NewMigrator(pool)
	if err != nil {
		return err
	}
	defer m.Close()
	switch dir {
	case "up":
		n, err := m.Up(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "applied %d migration(s)\n", n)
		return nil
	case "down":
		if err := m.Down(ctx); err != nil {
			return err
		}
		fmt.Fprintln(stdout, "rolled back one migration")
		return nil
	case "status":
		return m.Status(ctx, stdout)
	}
	return fmt.Errorf("migrate: unknown direction %q (want up, down or status)", dir)
}
