package links

import (
	"net/url"
	"strconv"
	"time"

	"github.com/ariadne-dev/ariadne/datasources"
)

// DefaultTraceLabels are the exemplar label names that hold a trace ID,
// tried in order, when the configuration names none.
var DefaultTraceLabels = []string{"trace_id", "traceID", "trace-id"}

// ExemplarTraceID returns the trace ID an exemplar carries under the first
// of names it has, lower-cased and padded to 32 hex characters. An exemplar
// without one of those labels, or with a value that is not a trace ID,
// has none: it cannot link anywhere.
func ExemplarTraceID(labels map[string]string, names []string) (string, bool) {
	if len(names) == 0 {
		names = DefaultTraceLabels
	}
	for _, k := range names {
		if v, ok := labels[k]; ok {
			id, err := datasources.ParseTraceID(v)
			return id, err == nil
		}
	}
	return "", false
}

// TraceWindow is how far around an exemplar the trace page looks for its
// trace: the exemplar is recorded when a request ends, and its trace's
// spans start before that and may end after it.
const TraceWindow = 15 * time.Minute

// TraceLink is the trace page of an exemplar's trace, with a window around
// the exemplar's time so Tempo searches only the blocks that can hold it.
func TraceLink(traceID string, at time.Time) string {
	v := url.Values{}
	v.Set("from", at.Add(-TraceWindow).UTC().Format(time.RFC3339))
	v.Set("to", at.Add(TraceWindow).UTC().Format(time.RFC3339))
	return "/traces/" + url.PathEscape(traceID) + "?" + v.Encode()
}

// LogsLink is the logs page for one service over [from, to], selecting the
// service's stream by Loki's service_name label.
func LogsLink(service string, from, to time.Time) string {
	v := url.Values{}
	v.Set("q", "{service_name="+strconv.Quote(service)+"}")
	v.Set("from", from.UTC().Format(time.RFC3339))
	v.Set("to", to.UTC().Format(time.RFC3339))
	return "/logs?" + v.Encode()
}
