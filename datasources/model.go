package datasources

import "time"

// Trace is one trace as pages need it. IDs are lower-case hex, always
// padded: 32 characters for trace IDs, 16 for span IDs.
type Trace struct {
	ID    string
	Spans []Span
	// Partial is set when the backend returned only part of the trace
	// (Tempo's v2 "PARTIAL" for a trace over its size limit).
	Partial        bool
	PartialMessage string
}

// Extent is the trace's time span as its spans were recorded (no skew
// adjustment): the earliest start and the latest end; zeros for none.
func (t *Trace) Extent() (startNs, endNs int64) {
	for i, s := range t.Spans {
		if i == 0 {
			startNs, endNs = s.StartNs, s.EndNs
			continue
		}
		startNs, endNs = min(startNs, s.StartNs), max(endNs, s.EndNs)
	}
	return startNs, endNs
}

// Span is one span. Times are unix nanoseconds: pages do arithmetic on
// them for every row of a 100,000-span trace.
type Span struct {
	TraceID      string
	SpanID       string
	ParentSpanID string // empty for a root
	Name         string
	Kind         SpanKind
	Status       StatusCode
	StatusMsg    string
	StartNs      int64
	EndNs        int64
	Attributes   []Attribute
	Events       []SpanEvent
	Links        []SpanLink
	// Resource is shared by every span of one resource (one process).
	Resource *Resource
	Scope    string // instrumentation scope name
	// ScopeAttributes are the instrumentation scope's attributes (nil for
	// none), shared by the spans of one scope: a collector's tail sampler
	// records the policy that kept the trace there.
	ScopeAttributes []Attribute
	// TraceState is the W3C tracestate the span was recorded with ("" for
	// none): OpenTelemetry's probability sampling writes its threshold
	// there (ot=th:…). Jaeger's classic API and Zipkin carry it as the tag
	// w3c.tracestate.
	TraceState string
}

// TraceStateTag is the tag (attribute) OpenTelemetry's Jaeger and Zipkin
// translators write a span's tracestate to.
const TraceStateTag = "w3c.tracestate"

// Service is the span's service.name ("" when the resource has none).
func (s *Span) Service() string {
	if s.Resource == nil {
		return ""
	}
	return s.Resource.Service
}

// Duration is the span's length.
func (s *Span) Duration() time.Duration { return time.Duration(s.EndNs - s.StartNs) }

// Resource is the process that emitted spans.
type Resource struct {
	Service    string
	Attributes []Attribute
}

// Attribute is a key and its value rendered as text; Type keeps what the
// value was so pages can align numbers and quote strings.
type Attribute struct {
	Key   string
	Value string
	Type  ValueType
}

// ValueType is the OTLP AnyValue case an attribute came from.
type ValueType uint8

const (
	TypeString ValueType = iota
	TypeBool
	TypeInt
	TypeDouble
	TypeBytes
	TypeArray
	TypeMap
)

// Attr returns the value of the first attribute named key.
func Attr(attrs []Attribute, key string) (string, bool) {
	for _, a := range attrs {
		if a.Key == key {
			return a.Value, true
		}
	}
	return "", false
}

// SpanKind is OTLP's span kind, as a short lower-case word.
type SpanKind string

const (
	KindUnspecified SpanKind = ""
	KindInternal    SpanKind = "internal"
	KindServer      SpanKind = "server"
	KindClient      SpanKind = "client"
	KindProducer    SpanKind = "producer"
	KindConsumer    SpanKind = "consumer"
)

// StatusCode is OTLP's span status code.
type StatusCode string

const (
	StatusUnset StatusCode = ""
	StatusOK    StatusCode = "ok"
	StatusError StatusCode = "error"
)

// SpanEvent is a timed annotation on a span (exceptions among them).
type SpanEvent struct {
	TimeNs     int64
	Name       string
	Attributes []Attribute
}

// SpanLink points to a span in this or another trace.
type SpanLink struct {
	TraceID    string
	SpanID     string
	Attributes []Attribute
}

// LogLine is one log entry. Labels is shared by all lines of one stream.
type LogLine struct {
	TimeNs int64
	Labels map[string]string
	// Stream is the line's stream as a LogQL selector, {a="1", b="2"},
	// the same string for every line of one stream of one answer, so a
	// page can build what a stream needs once. Empty when unknown.
	Stream string
	// StructuredMetadata and Parsed are filled when Loki sends them
	// (categorize-labels encoding); nil otherwise.
	StructuredMetadata map[string]string
	Parsed             map[string]string
	Line               string
}

// Series is one time series. Points are in time order.
type Series struct {
	Labels map[string]string
	Points []Point
}

// Point is a sample: unix milliseconds and a value (NaN and ±Inf allowed).
type Point struct {
	TMs int64
	V   float64
}

// Exemplar is a sample that carries labels such as a trace ID.
type Exemplar struct {
	SeriesLabels map[string]string
	Labels       map[string]string
	TMs          int64
	Value        float64
}
