package main

import (
	"fmt"

	"github.com/ariadne-dev/ariadne/datasources/jaeger"
	"github.com/ariadne-dev/ariadne/datasources/loki"
	"github.com/ariadne-dev/ariadne/datasources/prometheus"
	"github.com/ariadne-dev/ariadne/datasources/tempo"
	"github.com/ariadne-dev/ariadne/datasources/zipkin"
	"github.com/ariadne-dev/ariadne/handlers"
)

// clients are the backend clients built from the config; an unconfigured
// backend's client answers every call with "not configured".
type clients struct {
	prometheus *prometheus.Client
	loki       *loki.Client
	tempo      *tempo.Client
	jaeger     *jaeger.Client
	zipkin     *zipkin.Client
}

func connect(cfg Config) (*clients, error) {
	p, err := prometheus.New(cfg.Prometheus)
	if err != nil {
		return nil, fmt.Errorf("PROMETHEUS: %w", err)
	}
	l, err := loki.New(cfg.Loki)
	if err != nil {
		return nil, fmt.Errorf("LOKI: %w", err)
	}
	t, err := tempo.New(cfg.Tempo)
	if err != nil {
		return nil, fmt.Errorf("TEMPO: %w", err)
	}
	j, err := jaeger.New(cfg.Jaeger)
	if err != nil {
		return nil, fmt.Errorf("JAEGER: %w", err)
	}
	z, err := zipkin.New(cfg.Zipkin)
	if err != nil {
		return nil, fmt.Errorf("ZIPKIN: %w", err)
	}
	return &clients{prometheus: p, loki: l, tempo: t, jaeger: j, zipkin: z}, nil
}

// traceBackends are the configured trace backends, in lookup order.
func (c *clients) traceBackends(cfg Config) []handlers.TraceBackend {
	var out []handlers.TraceBackend
	if cfg.Tempo.Configured() {
		out = append(out, handlers.TraceBackend{Name: "tempo", Display: "Tempo", Fetch: c.tempo})
	}
	if cfg.Jaeger.Configured() {
		out = append(out, handlers.TraceBackend{Name: "jaeger", Display: "Jaeger", Fetch: c.jaeger, Search: c.jaeger})
	}
	if cfg.Zipkin.Configured() {
		out = append(out, handlers.TraceBackend{Name: "zipkin", Display: "Zipkin", Fetch: c.zipkin, Search: c.zipkin})
	}
	return out
}

// backends is what the status panel and /readyz check.
func (c *clients) backends(cfg Config) []handlers.Backend {
	return []handlers.Backend{
		{Name: "Prometheus", Env: "PROMETHEUS", URL: cfg.Prometheus.URL, Ready: c.prometheus.Ready, Timeout: cfg.Prometheus.RequestTimeout()},
		{Name: "Loki", Env: "LOKI", URL: cfg.Loki.URL, Ready: c.loki.Ready, Timeout: cfg.Loki.RequestTimeout()},
		{Name: "Tempo", Env: "TEMPO", URL: cfg.Tempo.URL, Ready: c.tempo.Ready, Timeout: cfg.Tempo.RequestTimeout()},
		{Name: "Jaeger", Env: "JAEGER", URL: cfg.Jaeger.URL, Ready: c.jaeger.Ready, Timeout: cfg.Jaeger.RequestTimeout()},
		{Name: "Zipkin", Env: "ZIPKIN", URL: cfg.Zipkin.URL, Ready: c.zipkin.Ready, Timeout: cfg.Zipkin.RequestTimeout()},
	}
}
