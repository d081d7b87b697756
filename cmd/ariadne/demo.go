package main

import (
	"github.com/dustin/go-humanize"

	"context"
	"flag"
	"fmt"
	"io"
	"net/url"
	"time"

	"github.com/ariadne-dev/ariadne/correlation/query"
	"github.com/ariadne-dev/ariadne/demo"
)

// runDemo runs the demo world and Ariadne on it until ctx ends (Ctrl-C or
// SIGTERM), then stops everything it started.
func runDemo(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("ariadne demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	rate := fs.Float64("rate", 5, "requests per second sent to the shop")
	ratio := fs.Float64("sample-ratio", 1.0, "head sampling ratio at the gateway (parent-based after it), with --sampling head")
	samplingFlag := fs.String("sampling", "none", "none (every trace kept), head (--sample-ratio at the gateway), tail (Jaeger's tail_sampling: errors, slower than 1 s, 5% of the rest) or adaptive (Jaeger's remote sampler aiming at 1 trace/s per operation)")
	every := fs.Duration("spike-every", 5*time.Minute, "how often a latency spike starts")
	length := fs.Duration("spike-length", 90*time.Second, "how long a spike lasts")
	atStart := fs.Bool("spike-at-start", false, "begin with a spike instead of after the first period")
	spikeLoad := fs.Float64("spike-load", 1, "how many times --rate the load sends during a spike (1: the same rate; adaptive sampling shows with more)")
	dataDir := fs.String("data-dir", ".data", "project-local folder for the demo's Postgres cluster")
	addr := fs.String("ariadne-addr", "127.0.0.1:0", "Ariadne's listen address (default: a free port)")
	promAddr := fs.String("prometheus-addr", "", "listen address of the Prometheus the demo starts (default: a free port)")
	lokiAddr := fs.String("loki-addr", "", "listen address of the Loki test server (default: a free port)")
	tempoAddr := fs.String("tempo-addr", "", "listen address of the Tempo test server (default: a free port)")
	tempoMax := fs.String("tempo-max-bytes-per-trace", "5MB", "the Tempo test server's per-trace limit, as Tempo's max_bytes_per_trace (bytes, or with a KB, MB, MiB… suffix); larger traces come back partial")
	grafanaDS := fs.String("grafana-datasources", "", "Grafana datasource provisioning files for Ariadne's correlation rules (exemplar labels, derived fields, trace→logs and RED queries); the demo's own backends win (env ARIADNE_GRAFANA_DATASOURCES)")
	traces := fs.String("traces", "tempo", "where the shop's traces go and Ariadne reads them: tempo (the Tempo test server), jaeger (a real Jaeger), or both")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *ratio <= 0 || *ratio > 1 {
		return fmt.Errorf("--sample-ratio %v: must be in (0, 1]", *ratio)
	}
	strategy, err := demo.ParseSampling(*samplingFlag)
	if err != nil {
		return fmt.Errorf("--sampling: %w", err)
	}
	if *ratio != 1 && strategy == demo.SamplingNone {
		strategy = demo.SamplingHead // --sample-ratio alone meant head sampling before --sampling
	}
	if *spikeLoad < 1 || *spikeLoad > 20 {
		return fmt.Errorf("--spike-load %v: must be from 1 to 20", *spikeLoad)
	}
	if *length > *every {
		return fmt.Errorf("--spike-length %s is longer than --spike-every %s", *length, *every)
	}
	maxTrace, err := parseSize(*tempoMax)
	if err != nil {
		return fmt.Errorf("--tempo-max-bytes-per-trace: %w", err)
	}

	w, err := demo.Start(ctx, demo.Options{
		Rate: *rate, SampleRatio: *ratio, Sampling: strategy, DataDir: *dataDir,
		Spikes:                demo.Spikes{Every: *every, Length: *length, AtStart: *atStart, Load: *spikeLoad},
		DatabaseURL:           getenv("DATABASE_URL"),
		PrometheusURL:         getenv("PROMETHEUS_URL"),
		LokiURL:               getenv("LOKI_URL"),
		TempoURL:              getenv("TEMPO_URL"),
		TempoOTLPURL:          getenv("TEMPO_OTLP_URL"),
		Traces:                *traces,
		TempoMaxBytesPerTrace: maxTrace,
		PrometheusAddr:        *promAddr, LokiAddr: *lokiAddr, TempoAddr: *tempoAddr,
	})
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	defer w.Close()

	// Ariadne itself reads the same settings as `serve`, with the world's
	// backends filled in where the environment names none.
	env := func(k string) string {
		switch k {
		case "DATABASE_URL":
			return w.DatabaseURL
		case "PROMETHEUS_URL":
			return w.PrometheusURL
		case "LOKI_URL":
			return w.LokiURL
		case "TEMPO_URL":
			return w.TempoURL
		case "JAEGER_URL":
			if w.JaegerURL != "" {
				return w.JaegerURL
			}
		case "ARIADNE_ADDR":
			return *addr
		case "ARIADNE_GRAFANA_DATASOURCES":
			if *grafanaDS != "" {
				return *grafanaDS
			}
		case "ARIADNE_TRACE_RETENTION":
			// The demo's Tempo test server keeps a day (Jaeger's memory
			// store is bounded by count, not age).
			if v := getenv(k); v != "" {
				return v
			}
			return "24h"
		case "OTEL_EXPORTER_OTLP_ENDPOINT":
			// Ariadne's own spans go where the shop's go (Jaeger's
			// span metrics then put it on its own service map), unless
			// the environment sends them elsewhere.
			if v := getenv(k); v != "" || getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") != "" {
				return v
			}
			return w.OTLPURL
		case "ARIADNE_DEFAULT_USER":
			if v := getenv(k); v != "" {
				return v
			}
			return "local"
		}
		return getenv(k)
	}
	cfg, err := parseConfig(nil, env, stderr)
	if err != nil {
		return err
	}
	// Ariadne's own log (requests, errors) goes to stderr and to the
	// world's Loki (service_name="ariadne"); the URLs to stdout.
	tee, stopLogs, err := w.LokiLogHandler(cfg.Telemetry.ServiceName)
	if err != nil {
		return fmt.Errorf("demo: Ariadne's logs to Loki: %w", err)
	}
	defer stopLogs()
	return runServer(ctx, cfg, stderr, tee, func(base string) {
		// Its metrics, exemplars included, in the same Prometheus.
		if u, err := url.Parse(base); err == nil && cfg.MetricsAddr == "" {
			if err := w.ScrapeAriadne(ctx, u.Host); err != nil {
				fmt.Fprintln(stderr, "demo: Prometheus does not scrape Ariadne:", err)
			}
		}
		line := func(label, value string) { fmt.Fprintf(stdout, "%-21s%s\n", label+":", value) }
		line("Ariadne", base+"/")
		line("Prometheus", w.PrometheusURL)
		line("Loki", w.LokiURL)
		if w.TempoURL != "" {
			line("Tempo (query)", w.TempoURL)
			line("Tempo (OTLP ingest)", w.TempoOTLPURL+"/v1/traces")
		}
		if w.JaegerURL != "" {
			line("Jaeger (query)", w.JaegerURL)
			line("Jaeger (OTLP ingest)", w.JaegerOTLPURL+"/v1/traces")
		}
		if w.CollectorURL != "" {
			line("Jaeger (sampler)", w.CollectorURL)
		}
		if w.SamplingURL != "" {
			line("Remote sampling", w.SamplingURL+"?service=gateway")
		}
		line("Postgres", maskPassword(w.DatabaseURL))
		line("Shop gateway", fmt.Sprintf("%s (load: %.1f req/s, sampling: %s)", w.Shop.URLs[demo.Gateway], *rate, samplingSummary(strategy, *ratio)))
		fmt.Fprintln(stdout, "Try this:")
		q := url.Values{"q": {`histogram_quantile(0.99, sum by (le, service) (rate(http_server_request_duration_seconds_bucket[1m])))`}, "from": {"now-15m"}, "to": {"now"}}
		fmt.Fprintf(stdout, "  latency graph:    %s/graph?%s\n", base, q.Encode())
		if w.TempoURL != "" {
			fmt.Fprintf(stdout, "  failing traces:   %s/traces?%s\n", base, url.Values{"q": {`{ resource.service.name = "payments" && status = error }`}}.Encode())
		}
		if w.JaegerURL != "" {
			fmt.Fprintf(stdout, "  in Jaeger:        %s/traces?%s\n", base, url.Values{"backend": {"jaeger"}, "service": {"payments"}, "errors": {"1"}, "build": {"1"}}.Encode())
		}
		fmt.Fprintf(stdout, "  their logs:       %s/logs?%s\n", base, url.Values{"q": {`{service_name="payments", level="error"}`}}.Encode())
		self := url.Values{"q": {query.LatencyQuery(query.Latency{Service: cfg.Telemetry.ServiceName})}, "from": {"now-15m"}, "to": {"now"}}
		fmt.Fprintf(stdout, "  Ariadne itself:   %s/graph?%s\n", base, self.Encode())
	})
}

// maskPassword hides a password in a URL, keeping everything else.
func maskPassword(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// parseSize reads a size as operators write Tempo's limits: bytes, or
// with a decimal (KB, MB, GB) or binary (KiB, MiB, GiB) suffix.
func parseSize(s string) (int64, error) {
	n, err := humanize.ParseBytes(s)
	if err != nil || n == 0 || n > 1<<40 {
		return 0, fmt.Errorf("%q: want a size such as 5000000, 5MB or 64MiB", s)
	}
	return int64(n), nil
}

// samplingSummary is the strategy as the demo's banner says it.
func samplingSummary(strategy string, ratio float64) string {
	switch strategy {
	case demo.SamplingHead:
		return fmt.Sprintf("head, %g of traces", ratio)
	case demo.SamplingTail:
		return fmt.Sprintf("tail: errors, slower than %s, %g%% of the rest", demo.TailSlow, demo.TailShare)
	case demo.SamplingAdaptive:
		return fmt.Sprintf("adaptive, %g trace/s per operation", demo.AdaptiveTarget)
	}
	return "none, every trace kept"
}
