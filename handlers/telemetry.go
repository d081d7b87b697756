package handlers

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	metricnoop "go.opentelemetry.io/otel/metric/noop"
	"go.opentelemetry.io/otel/propagation"
)

// metricsPath is where Prometheus scrapes Ariadne (unless
// Options.MetricsOwnListener moves it to a listener of its own).
const metricsPath = "/metrics"

// observeRequests makes every request (but a scrape of /metrics) a server
// span and a sample of the request-duration histogram, both keyed by the
// route pattern ("GET /traces/:id"), never the path: paths carry trace
// IDs, and /s/ paths share tokens. It runs after Echo's routing (e.Use),
// so the pattern is known before the span starts.
//
// The span is otelhttp's, fed a copy of the request whose path is
// redacted as the request log redacts it and whose Pattern is the route:
// otelhttp takes url.path, http.route and the span name from those, so no
// token reaches a span, not even its sampler. An incoming traceparent is
// honoured (a proxy's trace continues into Ariadne). Without an exporter
// no span is made; the incoming trace context is still read, so the log
// lines of a proxied request carry the proxy's trace ID.
func (h *Handler) observeRequests() echo.MiddlewareFunc {
	tel := h.tel
	var traced func(http.Handler) http.Handler
	if tel.Exporting {
		traced = otelhttp.NewMiddleware("ariadne",
			otelhttp.WithTracerProvider(tel.Tracer),
			otelhttp.WithPropagators(tel.Propagator),
			otelhttp.WithMeterProvider(metricnoop.NewMeterProvider()), // the metrics are client_golang's
		)
	}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			start := time.Now()
			req := c.Request()
			route := c.Path()
			var err error
			// A scrape every few seconds would be a trace nobody reads.
			if traced == nil || route == metricsPath {
				ctx := tel.Propagator.Extract(req.Context(), propagation.HeaderCarrier(req.Header))
				c.SetRequest(req.WithContext(ctx))
				err = next(c)
			} else {
				traced(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					// The handlers get the real request, with the span.
					c.SetRequest(req.WithContext(r.Context()))
					c.SetResponse(echo.NewResponse(w, c.Echo()))
					if err = next(c); err != nil {
						// Rendered here, so that the span sees its status.
						c.Error(err)
						err = nil
					}
				})).ServeHTTP(c.Response(), spanRequest(req, route))
			}
			if route != metricsPath {
				// Scrapes are counted by the scraper (scrape_duration_seconds,
				// up); counted here too, they would be requests no trace
				// matches, and /sampling would read Ariadne as sampled.
				tel.Metrics.ObserveRequest(c.Request().Context(), route, req.Method, finalStatus(c, req.Context()), time.Since(start))
			}
			return err
		}
	}
}

// spanRequest is what otelhttp sees of req: a shallow copy with the path
// redacted, no query (it may carry IDs and user text) and the route as its
// Pattern.
func spanRequest(req *http.Request, route string) *http.Request {
	r := *req
	u := *req.URL
	u.Path, u.RawPath, u.RawQuery, u.Fragment = RedactPath(u.Path), "", "", ""
	r.URL = &u
	r.RequestURI = u.RequestURI()
	r.Pattern = ""
	if route != "" {
		r.Pattern = req.Method + " " + route
	}
	return &r
}

// metricsHandler is GET /metrics on the main address.
func (h *Handler) metricsHandler() echo.HandlerFunc {
	return echo.WrapHandler(h.tel.Metrics.Handler())
}
