package snapshot

import "time"

// Snapshot is what the user saw when pinning, frozen so the item (and a
// share link) still renders after the backends forgot the data or while
// they are down. Every part is bounded; Omitted says what the bounds cut.
type Snapshot struct {
	TakenAt  time.Time `json:"taken_at"`
	Series   []Series  `json:"series,omitempty"`
	Exemplar *Exemplar `json:"exemplar,omitempty"`
	// Exemplars are those of a pinned graph, thinned (see FromExemplars),
	// so its card still shows where the slow requests were.
	Exemplars []Exemplar `json:"exemplars,omitempty"`
	Trace     *Trace     `json:"trace,omitempty"`
	Lines     []Line     `json:"lines,omitempty"`
	Omitted   []string   `json:"omitted,omitempty"`
}

// Series is one series as parallel arrays (compact in JSON). Points that
// are NaN or infinite are gaps and not stored.
type Series struct {
	Labels map[string]string `json:"labels"`
	T      []int64           `json:"t"` // unix ms
	V      []float64         `json:"v"`
}

// Exemplar is the exemplar the user clicked.
type Exemplar struct {
	TraceID      string            `json:"trace_id"`
	TMs          int64             `json:"t"`
	Value        float64           `json:"v"`
	SeriesLabels map[string]string `json:"series_labels,omitempty"`
}

// Trace is a trace cut to what a compact waterfall needs, spans in tree
// order (parents before children, siblings by start).
type Trace struct {
	ID         string `json:"id"`
	StartNs    int64  `json:"start"`
	EndNs      int64  `json:"end"`
	TotalSpans int    `json:"total"`
	Partial    bool   `json:"partial,omitempty"`
	Focus      string `json:"focus,omitempty"` // the pinned span, if any
	Spans      []Span `json:"spans"`
}

// Span is one span. Attributes and events are kept only for the focused
// span and for failed spans: those are what an investigation quotes, and
// they keep a 2,000-span snapshot under a few hundred KB.
type Span struct {
	ID string `json:"id"`
	// Parent is the parent the span names, even when the tree could not
	// use it (a missing parent, or a parent cycle made this span a root).
	Parent    string  `json:"p,omitempty"`
	Depth     int     `json:"d,omitempty"`
	Name      string  `json:"n"`
	Service   string  `json:"s,omitempty"`
	Kind      string  `json:"k,omitempty"`
	Error     bool    `json:"err,omitempty"`
	StatusMsg string  `json:"msg,omitempty"`
	StartNs   int64   `json:"b"`
	EndNs     int64   `json:"e"`
	Attrs     []KV    `json:"a,omitempty"`
	Events    []Event `json:"ev,omitempty"`
}

// KV is one attribute as text.
type KV struct {
	K string `json:"k"`
	V string `json:"v"`
}

// Event is one span event (exceptions among them).
type Event struct {
	TimeNs int64  `json:"t"`
	Name   string `json:"n"`
	Attrs  []KV   `json:"a,omitempty"`
}

// Line is one log line.
type Line struct {
	TimeNs int64             `json:"t"`
	Labels map[string]string `json:"labels,omitempty"`
	Line   string            `json:"line"`
}

// Limits bound a snapshot. The zero value is not useful: start from
// DefaultLimits.
type Limits struct {
	Spans         int
	AttrsPerSpan  int
	EventsPerSpan int
	ValueChars    int // per attribute value and status message
	Series        int
	Points        int // per series
	Lines         int
	LineBytes     int // per log line
	Exemplars     int // per graph
}

// DefaultLimits keep one item's snapshot well under a megabyte.
var DefaultLimits = Limits{Spans: 2000, AttrsPerSpan: 32, EventsPerSpan: 8, ValueChars: 512,
	Series: 10, Points: 720, Lines: 100, LineBytes: 4096, Exemplars: 60}
