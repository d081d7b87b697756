package handlers

import (
	"context"
	"time"

	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/datasources/loki"
	"github.com/ariadne-dev/ariadne/datasources/prometheus"
	"github.com/ariadne-dev/ariadne/datasources/tempo"
)

// The small interfaces the pages need from each backend. The clients in
// datasources/ satisfy them; tests may pass the clients pointed at
// lokitest/tempotest/a real Prometheus, or fakes. Each page extends only
// its own interface here.

// MetricsSource is what the graph page reads from Prometheus.
type MetricsSource interface {
	QueryRange(ctx context.Context, query string, start, end time.Time, step time.Duration) (*prometheus.Result, error)
	Exemplars(ctx context.Context, query string, start, end time.Time) ([]datasources.Exemplar, error)
}

// TraceFetcher is what every trace backend gives: one trace by ID, start
// and end narrowing the lookup when set.
type TraceFetcher interface {
	Trace(ctx context.Context, id string, start, end time.Time) (*datasources.Trace, error)
}

// ParamSearcher is a trace backend searched by the form's parameters
// (Jaeger, Zipkin) rather than by TraceQL.
type ParamSearcher interface {
	Search(ctx context.Context, q datasources.TraceQuery) (*datasources.SearchResult, error)
	Services(ctx context.Context) ([]string, error)
}

// TraceBackend is one configured trace backend.
type TraceBackend struct {
	Name    string // "tempo", "jaeger", "zipkin": the search page's backend= value
	Display string // "Tempo"
	Fetch   TraceFetcher
	// Search is nil for Tempo, which the search page asks in TraceQL
	// through Options.Tempo.
	Search ParamSearcher
}

// TraceSource is what the trace pages read from Tempo.
type TraceSource interface {
	Trace(ctx context.Context, id string, start, end time.Time) (*datasources.Trace, error)
	Search(ctx context.Context, q string, start, end time.Time, limit, spss int) (*tempo.SearchResult, error)
	TagValues(ctx context.Context, tag string, start, end time.Time) ([]string, error)
}

// LogSource is what the log pages (and the trace page's Logs section)
// read from Loki: lines page by page both ways with exact boundaries, metric
// queries for the volume histogram, and label names for the "why is this
// empty" checks.
type LogSource interface {
	QueryRange(ctx context.Context, q loki.Query) (*loki.Result, error)
	Page(ctx context.Context, q loki.Query, cur loki.Cursor) (*loki.LogPage, error)
	PageBefore(ctx context.Context, q loki.Query, top loki.Cursor) (*loki.LogPage, error)
	Labels(ctx context.Context, start, end time.Time) ([]string, error)
}
