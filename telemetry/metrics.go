package telemetry

import (
	"context"
	"errors"
	"net/http"
	"os"
	"strconv"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.opentelemetry.io/otel/trace"
)

// Metrics are Ariadne's own, on a registry of their own (never the
// default one, which any imported library may fill). Every label is from a
// bounded set: route patterns, never paths; status codes; backend names;
// cache names. The request histogram has the name and labels of the
// services Ariadne looks at (OpenTelemetry's http.server.request.duration
// as Prometheus names it, with service, route, method and status, as the
// demo's shop writes it), so Ariadne is one service among them: its RED
// graphs, "metrics for this service" from its own traces, /sampling. What
// only Ariadne has starts with ariadne_. A nil *Metrics records nothing.
type Metrics struct {
	Registry      *prometheus.Registry
	requests      *prometheus.HistogramVec
	backend       *prometheus.HistogramVec
	backendErrors *prometheus.CounterVec
	panelTimeouts *prometheus.CounterVec
	cache         *prometheus.CounterVec
}

// The cache names of CacheLookup.
const (
	CacheTrace         = "trace"          // a page's trace reused by its fragments
	CacheShare         = "share"          // rendered share pages
	CacheExemplarCheck = "exemplar_check" // whether an exemplar's trace exists
)

// latencyBuckets reach from a cached fragment (ms) to a page that waits
// out a slow backend (tens of seconds).
var latencyBuckets = []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60}

// NewMetrics registers Ariadne's metrics and the Go and process collectors;
// service is the service label of the request histogram (service.name).
func NewMetrics(service string) *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		requests: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			// correlation/query.LatencyHistogram: that package imports
			// datasources, which imports this one, so the name is
			// written twice.
			Name: "http_server_request_duration_seconds", Help: "Duration of the HTTP requests Ariadne served, by route pattern, method and status.",
			Buckets: latencyBuckets, ConstLabels: prometheus.Labels{"service": service},
		}, []string{"route", "method", "status"}),
		backend: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "ariadne_backend_request_duration_seconds", Help: "Duration of Ariadne's calls to its backends (body read included), by backend and status class.",
			Buckets: latencyBuckets,
		}, []string{"backend", "status"}),
		backendErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ariadne_backend_request_errors_total", Help: "Backend calls that failed: no answer (timeout, canceled, network) or a 5xx or 429 answer.",
		}, []string{"backend", "reason"}),
		panelTimeouts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ariadne_panel_timeouts_total", Help: "Page panels that gave up waiting, by who was slow.",
		}, []string{"source"}),
		cache: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ariadne_cache_lookups_total", Help: "Lookups in Ariadne's in-memory caches, by cache and result (hit or miss).",
		}, []string{"cache", "result"}),
	}
	m.Registry.MustRegister(m.requests, m.backend, m.backendErrors, m.panelTimeouts, m.cache,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Handler serves the registry; OpenMetrics (with exemplars) when the
// scraper asks for it, as Prometheus does.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{EnableOpenMetrics: true, Registry: m.Registry})
}

// ObserveRequest records one request Ariadne served. route is the route
// pattern ("/traces/:id"), never the path.
func (m *Metrics) ObserveRequest(ctx context.Context, route, method string, status int, d time.Duration) {
	if m == nil {
		return
	}
	if route == "" {
		route = "unmatched"
	}
	observe(ctx, m.requests.WithLabelValues(route, knownMethod(method), strconv.Itoa(status)), d)
}

// ObserveBackend records one backend call: its HTTP status, or its error
// when there was no answer. Postgres, which has no status, passes 0: "ok".
func (m *Metrics) ObserveBackend(ctx context.Context, backend string, status int, err error, d time.Duration) {
	if m == nil {
		return
	}
	class := "ok"
	switch {
	case err != nil:
		class = "error"
	case status >= 100 && status < 600:
		class = strconv.Itoa(status/100) + "xx"
	}
	observe(ctx, m.backend.WithLabelValues(backend, class), d)
	if reason := failure(status, err); reason != "" {
		m.backendErrors.WithLabelValues(backend, reason).Inc()
	}
}

// failure names why a call failed, "" when it did not: a 404 or 400 is an
// answer (no such trace, a bad query), not the backend failing.
func failure(status int, err error) string {
	switch {
	case err == nil && status >= 500:
		return "5xx"
	case err == nil && status == http.StatusTooManyRequests:
		return "429"
	case err == nil:
		return ""
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, os.ErrDeadlineExceeded):
		return "timeout"
	case errors.Is(err, context.Canceled):
		return "canceled"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "refused"
	}
	return "network"
}

// PanelTimeout counts a panel that gave up; source is its backend or, for
// a panel of Ariadne's own, its title (both fixed in the code).
func (m *Metrics) PanelTimeout(source string) {
	if m == nil {
		return
	}
	m.panelTimeouts.WithLabelValues(source).Inc()
}

// CacheLookup counts a lookup in one of the Cache… caches.
func (m *Metrics) CacheLookup(cache string, hit bool) {
	if m == nil {
		return
	}
	result := "miss"
	if hit {
		result = "hit"
	}
	m.cache.WithLabelValues(cache, result).Inc()
}

// observe records d with the span's trace ID as an exemplar when the span
// is sampled, so a slow bucket links to a trace the backend keeps.
func observe(ctx context.Context, o prometheus.Observer, d time.Duration) {
	if sc := trace.SpanContextFromContext(ctx); sc.IsSampled() {
		if eo, ok := o.(prometheus.ExemplarObserver); ok {
			eo.ObserveWithExemplar(d.Seconds(), prometheus.Labels{"trace_id": sc.TraceID().String()})
			return
		}
	}
	o.Observe(d.Seconds())
}

// knownMethod keeps the method label bounded: any other method a client
// invents is OTHER, as OpenTelemetry's semantic conventions say.
func knownMethod(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions, http.MethodConnect, http.MethodTrace:
		return m
	}
	return "OTHER"
}
