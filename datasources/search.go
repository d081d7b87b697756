package datasources

import "time"

// TraceQuery is a trace search in the form's terms, for backends searched
// by parameters (Jaeger, Zipkin) rather than by a query language (Tempo's
// TraceQL is compiled from the same form by correlation/query).
type TraceQuery struct {
	Service   string // root or any span's service, as the backend reads it
	Operation string // span name
	// Attributes are exact key=value tag matches, all required.
	Attributes               []Attribute
	ErrorsOnly               bool
	MinDuration, MaxDuration time.Duration // zero: no bound
	Start, End               time.Time
	Limit                    int
}

// TraceSummary is one trace found by a search, as the results table shows
// it, whichever backend found it.
type TraceSummary struct {
	TraceID     string // 32 lower-case hex
	RootService string
	RootName    string
	StartNs     int64
	Duration    time.Duration
	Spans       int
	Errors      int
	// Services are the services with spans in the trace, when the backend
	// says.
	Services []string
}

// SearchResult is a search's answer: the traces, and the request the
// backend was sent in its own terms (shown on the page, as the TraceQL is
// for Tempo, so a user can repeat it against the backend directly).
type SearchResult struct {
	Traces []TraceSummary
	Sent   string
}
