// Package demo owns Ariadne's demo world: a small simulated shop of five
// services (gateway → orders → inventory, payments → payment-provider),
// each a real HTTP server on a loopback port, instrumented with the
// OpenTelemetry SDK so W3C trace context really crosses HTTP; a load
// generator with slow requests, failures and periodic latency spikes; and
// the local services the world needs (a private Postgres). The same
// requests are seen as metrics with exemplars (Prometheus), traces (Tempo)
// and logs carrying their trace IDs (Loki). Browser tests run on it.
package demo
