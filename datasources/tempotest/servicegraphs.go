package tempotest

import (
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
)

// ServiceGraphs computes, from the spans a Store ingests, the service-graph
// metrics Tempo's metrics-generator writes (its service_graphs processor):
// a client span and the server span whose parent it is make one request
// from the client's service to the server's, counted in
// traces_service_graph_request_total{client, server, connection_type},
// in …_request_failed_total when either half failed, and timed by each
// side in …_request_server_seconds and …_request_client_seconds (Tempo's
// default buckets). A half waits at most Wait for its other half, as the
// processor's store does; unpaired halves are dropped (no virtual nodes).
// It serves them at /metrics on the Store's handler, for a Prometheus to
// scrape: Tempo itself remote-writes them, the demo's Prometheus cannot
// receive that.
type ServiceGraphs struct {
	reg                    *prometheus.Registry
	requests, failed       *prometheus.CounterVec
	serverSecs, clientSecs *prometheus.HistogramVec

	mu      sync.Mutex
	pending map[edgeKey]*edgeHalves
	order   []edgeKey // arrival order, for expiry
	now     func() time.Time
	Wait    time.Duration
}

// maxPendingEdges bounds the halves waiting for their other half.
const maxPendingEdges = 100_000

type edgeKey struct {
	trace [16]byte
	span  [8]byte // the client span's ID (the server span's parent)
}

type edgeHalf struct {
	service string
	secs    float64
	failed  bool
}

type edgeHalves struct {
	client, server *edgeHalf
	at             time.Time
}

// NewServiceGraphs returns an empty generator (Wait: Tempo's 10 s).
func NewServiceGraphs() *ServiceGraphs {
	buckets := []float64{0.1, 0.2, 0.4, 0.8, 1.6, 3.2, 6.4, 12.8}
	labels := []string{"client", "server", "connection_type"}
	g := &ServiceGraphs{reg: prometheus.NewRegistry(), pending: map[edgeKey]*edgeHalves{}, now: time.Now, Wait: 10 * time.Second,
		requests:   prometheus.NewCounterVec(prometheus.CounterOpts{Name: "traces_service_graph_request_total", Help: "Requests between two services."}, labels),
		failed:     prometheus.NewCounterVec(prometheus.CounterOpts{Name: "traces_service_graph_request_failed_total", Help: "Failed requests between two services."}, labels),
		serverSecs: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "traces_service_graph_request_server_seconds", Help: "Request time as the server measured it.", Buckets: buckets}, labels),
		clientSecs: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "traces_service_graph_request_client_seconds", Help: "Request time as the client measured it.", Buckets: buckets}, labels),
	}
	g.reg.MustRegister(g.requests, g.failed, g.serverSecs, g.clientSecs)
	return g
}

// WithServiceGraphs has the Store feed g every span it ingests and serve
// g's metrics at GET /metrics.
func WithServiceGraphs(g *ServiceGraphs) Option { return func(o *options) { o.graphs = g } }

// Handler serves the metrics (OpenMetrics or text).
func (g *ServiceGraphs) Handler() http.Handler {
	return promhttp.HandlerFor(g.reg, promhttp.HandlerOpts{})
}

// consume pairs the client and server halves in rss.
func (g *ServiceGraphs) consume(rss []*tracepb.ResourceSpans) {
	g.mu.Lock()
	defer g.mu.Unlock()
	now := g.now()
	for _, rs := range rss {
		service := ""
		for _, kv := range rs.GetResource().GetAttributes() {
			if kv.GetKey() == "service.name" {
				service = kv.GetValue().GetStringValue()
			}
		}
		for _, ss := range rs.GetScopeSpans() {
			for _, sp := range ss.GetSpans() {
				var k edgeKey
				copy(k.trace[:], sp.GetTraceId())
				half := &edgeHalf{service: service, secs: float64(sp.GetEndTimeUnixNano()-sp.GetStartTimeUnixNano()) / 1e9,
					failed: sp.GetStatus().GetCode() == tracepb.Status_STATUS_CODE_ERROR}
				switch sp.GetKind() {
				case tracepb.Span_SPAN_KIND_CLIENT, tracepb.Span_SPAN_KIND_PRODUCER:
					copy(k.span[:], sp.GetSpanId())
					g.add(k, now).client = half
				case tracepb.Span_SPAN_KIND_SERVER, tracepb.Span_SPAN_KIND_CONSUMER:
					if len(sp.GetParentSpanId()) != 8 {
						continue // a root: nobody called it
					}
					copy(k.span[:], sp.GetParentSpanId())
					g.add(k, now).server = half
				default:
					continue
				}
				g.complete(k)
			}
		}
	}
	g.expire(now)
}

func (g *ServiceGraphs) add(k edgeKey, now time.Time) *edgeHalves {
	h := g.pending[k]
	if h == nil {
		h = &edgeHalves{at: now}
		g.pending[k] = h
		g.order = append(g.order, k)
	}
	return h
}

// complete emits a paired request (its two services differ: a call
// within one service is not an edge of the graph).
func (g *ServiceGraphs) complete(k edgeKey) {
	h := g.pending[k]
	if h == nil || h.client == nil || h.server == nil {
		return
	}
	delete(g.pending, k)
	if h.client.service == h.server.service || h.client.service == "" || h.server.service == "" {
		return
	}
	l := prometheus.Labels{"client": h.client.service, "server": h.server.service, "connection_type": ""}
	g.requests.With(l).Inc()
	if h.client.failed || h.server.failed {
		g.failed.With(l).Inc()
	}
	g.serverSecs.With(l).Observe(h.server.secs)
	g.clientSecs.With(l).Observe(h.client.secs)
}

// expire drops halves older than Wait, and the oldest past the bound.
func (g *ServiceGraphs) expire(now time.Time) {
	i := 0
	for ; i < len(g.order); i++ {
		k := g.order[i]
		h, ok := g.pending[k]
		if ok && now.Sub(h.at) < g.Wait && len(g.pending) <= maxPendingEdges {
			break
		}
		delete(g.pending, k)
	}
	g.order = g.order[i:]
}
