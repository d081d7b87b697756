package links

import "github.com/ariadne-dev/ariadne/datasources"

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
