package telemetry

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/attribute"
	metricnoop "go.opentelemetry.io/otel/metric/noop"
	semconv "go.opentelemetry.io/otel/semconv/v1.26.0"
	"go.opentelemetry.io/otel/trace"
)

// Attribute keys of Ariadne's own backend spans. The query is not in
// db.query.text: these are HTTP calls, and the span quality rules (rightly)
// want db.system.name beside any db.* attribute.
const (
	AttrBackend       = attribute.Key("ariadne.backend")
	AttrQueryText     = attribute.Key("ariadne.query.text")
	AttrQueryLanguage = attribute.Key("ariadne.query.language")
)

// queryLanguages are the languages of the backends that have one.
var queryLanguages = map[string]string{"prometheus": "promql", "loki": "logql", "tempo": "traceql"}

// Transport wraps next, a backend's transport, so that each call is a
// client span (otelhttp: semantic-convention attributes, traceparent sent
// on) named after the API path with its IDs and names templated, carrying
// peer.service, the query text (truncated), and timed, body read included,
// into the backend metrics. A nil t returns next.
func (t *Telemetry) Transport(backend string, next http.RoundTripper) http.RoundTripper {
	if t == nil {
		return next
	}
	inner := &observeTransport{next: next, backend: backend, metrics: t.Metrics}
	if !t.Exporting {
		// No span to make: only the metrics.
		return inner
	}
	return otelhttp.NewTransport(inner,
		otelhttp.WithTracerProvider(t.Tracer),
		otelhttp.WithPropagators(t.Propagator),
		otelhttp.WithMeterProvider(metricnoop.NewMeterProvider()), // the metrics are client_golang's
		otelhttp.WithSpanNameFormatter(func(_ string, r *http.Request) string {
			return r.Method + " " + URLTemplate(r.URL.Path)
		}),
		otelhttp.WithSpanOptions(trace.WithAttributes(semconv.PeerService(backend), AttrBackend.String(backend))),
	)
}

type observeTransport struct {
	next    http.RoundTripper
	backend string
	metrics *Metrics
}

func (o *observeTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	start := time.Now()
	ctx := r.Context()
	if span := trace.SpanFromContext(ctx); span.IsRecording() {
		// url.full as otelhttp writes it holds the whole query string
		// (a LogQL query, search tags): kept without it, the query
		// itself once, bounded.
		u := *r.URL
		u.RawQuery, u.User = "", nil
		attrs := []attribute.KeyValue{semconv.URLFull(u.String()), attribute.String("url.template", URLTemplate(r.URL.Path))}
		if q := requestQuery(r); q != "" {
			attrs = append(attrs, AttrQueryText.String(queryText(q)))
			if l := queryLanguages[o.backend]; l != "" {
				attrs = append(attrs, AttrQueryLanguage.String(l))
			}
		}
		span.SetAttributes(attrs...)
	}
	resp, err := o.next.RoundTrip(r)
	if err != nil {
		o.metrics.ObserveBackend(ctx, o.backend, 0, err, time.Since(start))
		return resp, err
	}
	status := resp.StatusCode
	if _, upgraded := resp.Body.(io.ReadWriteCloser); upgraded || status == http.StatusSwitchingProtocols {
		// A WebSocket (Loki's tail) lives on in the body: its handshake
		// is the call, and the body must stay writable.
		o.metrics.ObserveBackend(ctx, o.backend, status, nil, time.Since(start))
		return resp, nil
	}
	resp.Body = &observedBody{ReadCloser: resp.Body, done: func(err error) {
		o.metrics.ObserveBackend(ctx, o.backend, status, err, time.Since(start))
	}}
	return resp, nil
}

// observedBody reports once, when the body is read to its end, fails, or
// is closed: a 100,000-span trace's time is mostly its body.
type observedBody struct {
	io.ReadCloser
	once sync.Once
	done func(error)
}

func (b *observedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err == io.EOF {
		b.once.Do(func() { b.done(nil) })
	} else if err != nil {
		b.once.Do(func() { b.done(err) })
	}
	return n, err
}

func (b *observedBody) Close() error {
	b.once.Do(func() { b.done(nil) })
	return b.ReadCloser.Close()
}

// maxFormBytes bounds the form body read for its query (Prometheus' API
// client POSTs query and query_range).
const maxFormBytes = 64 << 10

// requestQuery is the query a backend call carries: PromQL and LogQL in
// query, TraceQL in q, a series matcher in match[]; in the URL, or in a
// POSTed form, read from a copy of the body.
func requestQuery(r *http.Request) string {
	vals := r.URL.Query()
	if r.Method == http.MethodPost && r.GetBody != nil &&
		strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		if body, err := r.GetBody(); err == nil {
			b, _ := io.ReadAll(io.LimitReader(body, maxFormBytes))
			body.Close()
			if form, err := url.ParseQuery(string(b)); err == nil {
				for k, v := range form {
					vals[k] = append(vals[k], v...)
				}
			}
		}
	}
	for _, k := range []string{"query", "q", "match[]"} {
		if v := vals.Get(k); v != "" {
			return v
		}
	}
	return ""
}

// URLTemplate is a backend API path with what varies templated, so span
// names stay few: an ID (a segment after traces or trace, or 16 or more
// hex digits) becomes {id}, a label, tag, service or field name {name}.
func URLTemplate(path string) string {
	segs := strings.Split(path, "/")
	for i := 1; i < len(segs); i++ {
		switch prev := segs[i-1]; {
		case segs[i] == "":
		case prev == "traces" || prev == "trace" || isHexID(segs[i]):
			segs[i] = "{id}"
		case prev == "label" || prev == "tag" || prev == "services" || prev == "detected_field":
			segs[i] = "{name}"
		}
	}
	return strings.Join(segs, "/")
}

func isHexID(s string) bool {
	if len(s) < 16 {
		return false
	}
	for _, c := range s {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}
