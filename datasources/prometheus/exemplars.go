package prometheus

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/ariadne-dev/ariadne/datasources"
)

// ErrExemplarsUnavailable is wrapped (errors.Is) by the error Exemplars
// returns when Prometheus is known to keep no exemplars. Prometheus 2.42
// without --enable-feature=exemplar-storage answers query_exemplars with
// 200 {"status":"success","data":[]}, exactly as when there are simply
// none, so the client asks /api/v1/status/flags to tell the two apart.
var ErrExemplarsUnavailable = errors.New("prometheus exemplar storage is disabled")

// exemplarsDisabledMessage is the graph's hint.
const exemplarsDisabledMessage = "Prometheus is not storing exemplars, so the graph cannot link to traces: start it with --enable-feature=exemplar-storage."

// Exemplars returns the exemplars of the series that query selects, between
// start and end, flattened in Prometheus's order (by series, then time).
// The SeriesLabels map is shared by the exemplars of one series.
//
// An empty result is nil with no error, unless Prometheus's flags show that
// exemplar storage is off: then the error is ErrorNotFound wrapping
// ErrExemplarsUnavailable, with a message saying how to turn it on.
func (c *Client) Exemplars(ctx context.Context, query string, start, end time.Time) ([]datasources.Exemplar, error) {
	ctx, info, err := c.start(ctx)
	if err != nil {
		return nil, err
	}
	res, err := c.api.QueryExemplars(ctx, query, start, end)
	if info.status == http.StatusNoContent {
		// Prometheus answers 204 with no body to a query without any
		// selector (e.g. "1"): client_golang reports that as a decode
		// error, but it means "no exemplars".
		return nil, nil
	}
	if err != nil {
		return nil, c.mapError(err, info)
	}
	var out []datasources.Exemplar
	for _, r := range res {
		series := labelMap(r.SeriesLabels)
		for _, e := range r.Exemplars {
			out = append(out, datasources.Exemplar{
				SeriesLabels: series,
				Labels:       labelMap(e.Labels),
				TMs:          int64(e.Timestamp),
				Value:        float64(e.Value),
			})
		}
	}
	if len(out) == 0 {
		if enabled, err := c.ExemplarStorageEnabled(ctx); err == nil && !enabled {
			return nil, &datasources.Error{Kind: datasources.ErrorNotFound, Backend: Backend,
				Message: exemplarsDisabledMessage, Err: ErrExemplarsUnavailable}
		}
	}
	return out, nil
}

// ExemplarStorageEnabled reports whether Prometheus runs with
// --enable-feature=exemplar-storage, from /api/v1/status/flags. The error
// is set when that cannot be told (Mimir and Thanos do not serve flags).
func (c *Client) ExemplarStorageEnabled(ctx context.Context) (bool, error) {
	ctx, info, err := c.start(ctx)
	if err != nil {
		return false, err
	}
	flags, err := c.api.Flags(ctx)
	if err != nil {
		return false, c.mapError(err, info)
	}
	features, ok := flags["enable-feature"]
	if !ok {
		return false, &datasources.Error{Kind: datasources.ErrorUnknown, Backend: Backend,
			Message: "Prometheus does not report its enabled features."}
	}
	for _, f := range strings.Split(features, ",") {
		if strings.TrimSpace(f) == "exemplar-storage" {
			return true, nil
		}
	}
	return false, nil
}

// traceIDLabels are the exemplar label names instrumentation libraries use
// for the trace ID, most common first.
var traceIDLabels = []string{"trace_id", "traceID", "traceId", "trace-id", "TraceID"}

// TraceID returns the exemplar's trace ID, lower-cased and padded to 32
// hex characters, or false when it has none or it is not a valid ID.
func TraceID(e datasources.Exemplar) (string, bool) {
	for _, k := range traceIDLabels {
		if v, ok := e.Labels[k]; ok {
			id, err := datasources.ParseTraceID(v)
			return id, err == nil
		}
	}
	return "", false
}
