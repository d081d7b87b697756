package datasources

import (
	"slices"
	"time"

	"github.com/ariadne-dev/ariadne/correlation/text"
)

// Trace is one trace as pages need it. IDs are lower-case hex, always
// padded: 32 characters for trace IDs, 16 for span IDs.
type Trace struct {
	ID    string
	Spans []Span
	// Partial is set when the backend returned only part of the trace
	// (Tempo's v2 "PARTIAL" for a trace over its size limit).
	Partial        bool
	PartialMessage string
	// AttributeKeys are the keys of the spans' own attributes when the
	// decoder collected them (Tempo's protobuf), nil when unknown: a pass
	// over every span for keys the trace lacks can skip them all.
	AttributeKeys map[string]bool
}

// MayHaveAttribute says whether any span of t may have an attribute named
// one of keys: false only when the decoder's AttributeKeys rule it out.
func (t *Trace) MayHaveAttribute(keys ...string) bool {
	return t.AttributeKeys == nil || slices.ContainsFunc(keys, func(k string) bool { return t.AttributeKeys[k] })
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
	StartNs      int64
	EndNs        int64
	// Attrs are the span's attributes as a decoder set them; read them
	// with Attributes, Attr or FindAttributes, which make them visible
	// and also see the attributes of a huge trace kept undecoded
	// (SetLazyAttributes).
	Attrs  []Attribute
	lazy   *LazyAttributes
	lazyAt [2]uint32
	// Resource is shared by every span of one resource (one process).
	Resource *Resource
	Scope    string // instrumentation scope name
	// ScopeAttributes are the instrumentation scope's attributes (nil for
	// none), shared by the spans of one scope: a collector's tail sampler
	// records the policy that kept the trace there.
	ScopeAttributes []Attribute
	// Details are what few spans carry (nil for none): read them with
	// StatusMsg, Events, Links and TraceState. Kept apart, they cost a
	// span that has none one pointer, not 80 bytes: a million spans are a
	// million copies of this struct.
	Details *SpanDetails
}

// SpanDetails are a span's rarer parts. Spans copied from one another
// share them: give a span different ones with a new SpanDetails.
type SpanDetails struct {
	StatusMsg string
	Events    []SpanEvent
	Links     []SpanLink
	// TraceState is the W3C tracestate the span was recorded with ("" for
	// none): OpenTelemetry's probability sampling writes its threshold
	// there (ot=th:…). Jaeger's classic API and Zipkin carry it as the tag
	// w3c.tracestate.
	TraceState string
}

// StatusMsg is the span's status message ("" for none).
func (s *Span) StatusMsg() string {
	if s.Details == nil {
		return ""
	}
	return s.Details.StatusMsg
}

// Events are the span's events, in order.
func (s *Span) Events() []SpanEvent {
	if s.Details == nil {
		return nil
	}
	return s.Details.Events
}

// Links are the span's links to other spans.
func (s *Span) Links() []SpanLink {
	if s.Details == nil {
		return nil
	}
	return s.Details.Links
}

// TraceState is the span's W3C tracestate ("" for none).
func (s *Span) TraceState() string {
	if s.Details == nil {
		return ""
	}
	return s.Details.TraceState
}

// NewSpanDetails is d, or nil when it holds nothing: a span without any
// carries no SpanDetails at all.
func NewSpanDetails(d SpanDetails) *SpanDetails {
	if d.IsZero() {
		return nil
	}
	return &d
}

// IsZero says whether d holds nothing.
func (d *SpanDetails) IsZero() bool {
	return d.StatusMsg == "" && len(d.Events) == 0 && len(d.Links) == 0 && d.TraceState == ""
}

// LazyAttributes keeps the attributes of a huge trace's spans where they
// were received (Tempo's protobuf), decoded only for the spans a page
// reads: a million spans carry ten million attributes, ≈ 400 MB decoded,
// and a page shows a few hundred of them.
type LazyAttributes struct {
	// each calls fn with the attributes of the span at at, in order, until
	// fn returns false; want, when not nil, skips (without rendering) the
	// attributes whose key it refuses.
	each func(at [2]uint32, want func(key string) bool, fn func(Attribute) bool)
	// keys are every attribute key of the trace's lazy spans: a pass
	// looking for keys no span has (sampling tags, in most traces) reads
	// none of them.
	keys map[string]bool
}

// NewLazyAttributes is a source of attributes read by each (see
// LazyAttributes.each) whose spans' keys are all among keys.
func NewLazyAttributes(each func(at [2]uint32, want func(key string) bool, fn func(Attribute) bool), keys map[string]bool) *LazyAttributes {
	return &LazyAttributes{each: each, keys: keys}
}

// SetAttributes gives s the attributes attrs, decoded (a lazy span's
// Attributes, kept, make it an ordinary one).
func (s *Span) SetAttributes(attrs []Attribute) {
	s.Attrs, s.lazy, s.lazyAt = attrs, nil, [2]uint32{}
}

// SetLazyAttributes gives s the attributes src keeps at at, instead of Attrs.
func (s *Span) SetLazyAttributes(src *LazyAttributes, at [2]uint32) {
	s.Attrs, s.lazy, s.lazyAt = nil, src, at
}

// Attributes are the span's attributes with their invisible characters
// shown (text.Visible). That is done as they are read, not to every span
// up front: ten attributes a span are twenty strings to scan, and a page
// reads those of a few hundred spans. A span of a huge trace decodes them
// afresh at each call: read them for the spans a page shows, and use Attr
// or FindAttributes in a pass over every span.
func (s *Span) Attributes() []Attribute {
	if s.lazy == nil {
		return visibleAttrs(s.Attrs)
	}
	var out []Attribute
	s.EachAttribute(func(a Attribute) bool {
		out = append(out, a)
		return true
	})
	return out
}

// EachAttribute calls fn with each of the span's attributes, in order and
// made visible, until fn returns false: Attributes without a slice of
// them, for a pass over every span.
func (s *Span) EachAttribute(fn func(Attribute) bool) {
	if s.lazy == nil {
		for _, a := range s.Attrs {
			if !fn(visibleAttr(a)) {
				return
			}
		}
		return
	}
	s.lazy.each(s.lazyAt, nil, func(a Attribute) bool { return fn(visibleAttr(a)) })
}

// Attr is the value of the span's first attribute named key, made visible.
func (s *Span) Attr(key string) (string, bool) {
	if s.lazy == nil {
		v, ok := Attr(s.Attrs, key)
		return text.Visible(v), ok
	}
	if !s.lazy.keys[key] {
		return "", false
	}
	v, ok := "", false
	s.lazy.each(s.lazyAt, func(k string) bool { return k == key }, func(a Attribute) bool {
		v, ok = text.Visible(a.Value), true
		return false
	})
	return v, ok
}

// FindAttributes calls fn with each attribute named one of keys, in
// order and made visible, until fn returns false: one pass over the
// span's attributes for several keys, rendering only the values asked for.
func (s *Span) FindAttributes(keys []string, fn func(Attribute) bool) {
	if s.lazy == nil {
		for _, a := range s.Attrs {
			if slices.Contains(keys, a.Key) && !fn(visibleAttr(a)) {
				return
			}
		}
		return
	}
	if !slices.ContainsFunc(keys, func(k string) bool { return s.lazy.keys[k] }) {
		return
	}
	s.lazy.each(s.lazyAt, func(k string) bool { return slices.Contains(keys, k) }, func(a Attribute) bool { return fn(visibleAttr(a)) })
}

// visibleAttrs is attrs made visible: attrs itself when nothing changes,
// which is almost always.
func visibleAttrs(attrs []Attribute) []Attribute {
	for i, a := range attrs {
		if v := visibleAttr(a); v != a {
			out := slices.Clone(attrs)
			for j := i; j < len(out); j++ {
				out[j] = visibleAttr(out[j])
			}
			return out
		}
	}
	return attrs
}

func visibleAttr(a Attribute) Attribute {
	a.Key, a.Value = text.Visible(a.Key), text.Visible(a.Value)
	return a
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
	// Prepared is what a page found in the line while the rest of its
	// answer was decoded (loki.Prepare), for that page's use; nil when
	// nothing was. It goes wherever the line goes.
	Prepared any
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
