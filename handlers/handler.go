// Package handlers owns Ariadne's HTTP surface: one route table
// (router.go), one Handler holding every dependency, one small file per page
// or action, and one error handler. Handlers stay thin: they parse the
// request, call correlation/ and datasources/, and hand view models to views/.
package handlers

import (
	"context"
	"log/slog"
	"net/netip"
	"time"

	"github.com/ariadne-dev/ariadne/correlation/logline"
	"github.com/ariadne-dev/ariadne/correlation/servicemap"
	"github.com/ariadne-dev/ariadne/store"
	"github.com/ariadne-dev/ariadne/telemetry"
)

// Pinger is what readiness needs from Postgres (a *pgxpool.Pool).
type Pinger interface {
	Ping(ctx context.Context) error
}

// Backend is one configured (or not) data source, as the status panel and
// /readyz see it.
type Backend struct {
	Name  string // "Prometheus", "Loki", "Tempo"
	Env   string // "PROMETHEUS": the prefix of its settings
	URL   string // empty when not configured
	Ready func(ctx context.Context) error
	// Timeout bounds its readiness check (its client's timeout); zero
	// leaves it to the request's.
	Timeout time.Duration
}

// Options configures a Handler. Everything is passed in; nothing is global.
type Options struct {
	Logger   *slog.Logger
	DB       Pinger
	Backends []Backend
	// The backends' clients; a nil one is "not configured".
	Prometheus MetricsSource
	Tempo      TraceSource
	// TraceBackends are every trace backend, in the order a trace ID is
	// looked up and the search page offers them. Tempo, when set above
	// and not listed, is added first.
	TraceBackends  []TraceBackend
	Loki           LogSource
	RequestTimeout time.Duration
	// PublicURL is Ariadne's external base URL without a trailing slash
	// ("https://ariadne.example.com"), the host of every link it gives out
	// (share links); empty means links are relative.
	PublicURL string
	// MaxQueryBytes bounds a request's query string (0: DefaultMaxQueryBytes).
	MaxQueryBytes int
	// PanelTimeout bounds each backend panel; the page never waits longer.
	PanelTimeout time.Duration
	// ExemplarTraceLabel names the exemplar labels that hold a trace ID,
	// tried in order; empty means trace_id, traceID, trace-id.
	ExemplarTraceLabel []string

	// DerivedFields are the rules that turn trace IDs in log lines into
	// links (empty: logline.DefaultDerivedFields). TraceLogQuery is the
	// LogQL template for a trace's lines, with ${trace_id} and optionally
	// ${span_id} (empty: query.DefaultTraceLogQuery).
	DerivedFields []logline.DerivedField
	TraceLogQuery string
	// REDQueries are the "metrics for this service" graphs linked from a
	// trace, PromQL with $service (empty: the demo histogram's duration,
	// rate and errors).
	REDQueries []string
	// ServiceMap names the span and service-graph metrics the home page's
	// map reads (zero: servicemap.DefaultMetrics); Dependencies is
	// Jaeger's dependency graph, nil without Jaeger.
	ServiceMap   servicemap.Metrics
	Dependencies DependencySource
	// TraceFlushDelay is how long the trace backends take to show a trace
	// after its spans are sent (0: DefaultTraceFlushDelay); TraceRetention
	// how long they keep traces (0: not known). A missing trace's page
	// reasons with both.
	TraceFlushDelay time.Duration
	TraceRetention  time.Duration
	// LiveTailsPerUser and LiveTails bound the logs page's open live
	// tails, per user and in all (0: DefaultLiveTailsPerUser, DefaultLiveTails).
	LiveTailsPerUser int
	LiveTails        int

	UserHeader     string
	TrustedProxies []netip.Prefix
	DefaultUser    string

	Now func() time.Time

	// Telemetry is Ariadne's own (spans, GET /metrics, trace IDs in the
	// log); nil means telemetry.Off(). MetricsOwnListener leaves /metrics
	// off the main address, for a listener of its own (ARIADNE_METRICS_ADDR).
	Telemetry          *telemetry.Telemetry
	MetricsOwnListener bool

	// Store holds investigations; nil means investigations are off (no pin
	// forms, and their pages say so).
	Store *store.Store
}

// Handler serves every route. Construct it with New.
type Handler struct {
	opt Options
	log *slog.Logger
	db  *dbMonitor
	now func() time.Time
	// sharePages caches rendered share pages (see share_cache.go).
	sharePages sharePages
	// maps and previous share service maps and their previous days
	// between pages (startMap, previousEdges).
	maps     reused[builtMap]
	previous reused[previous]
	// traces keeps the traces pages were rendered from, for their
	// fragments (see trace_cache.go).
	recent recentTraces
	// exists caches whether exemplars' traces exist (exemplar_check.go).
	exists existsCache
	// deriver applies Options.DerivedFields to log lines.
	deriver *logline.Deriver
	// live counts open live tails (logs_live.go).
	live *liveSlots
	tel  *telemetry.Telemetry
}

// New builds a Handler. Call Close when done, to stop the DB monitor.
func New(opt Options) *Handler {
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	// Every line logged within a request carries its trace_id and span_id.
	opt.Logger = slog.New(telemetry.LogHandler(opt.Logger.Handler()))
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.RequestTimeout <= 0 {
		opt.RequestTimeout = 60 * time.Second
	}
	if opt.MaxQueryBytes <= 0 {
		opt.MaxQueryBytes = DefaultMaxQueryBytes
	}
	if opt.PanelTimeout <= 0 {
		opt.PanelTimeout = 20 * time.Second
	}
	if opt.Telemetry == nil {
		opt.Telemetry = telemetry.Off()
	}
	if opt.Tempo != nil && !hasBackend(opt.TraceBackends, "tempo") {
		opt.TraceBackends = append([]TraceBackend{{Name: "tempo", Display: "Tempo", Fetch: opt.Tempo}}, opt.TraceBackends...)
	}
	h := &Handler{opt: opt, log: opt.Logger, now: opt.Now, live: newLiveSlots(opt.LiveTailsPerUser, opt.LiveTails), tel: opt.Telemetry}
	d, err := logline.CompileDerivedFields(opt.DerivedFields)
	if err != nil {
		// A bad rule must not take the app down: say so, keep the defaults.
		opt.Logger.Error("derived fields: using the defaults", "err", err)
		d = logline.MustDefaultDeriver()
	}
	h.deriver = d
	h.db = startDBMonitor(opt.DB, 2*time.Second, opt.Logger)
	return h
}

// Close stops background work.
func (h *Handler) Close() { h.db.stop() }
