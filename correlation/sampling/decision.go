package sampling

import (
	"math"
	"strconv"
	"strings"
	"unsafe"

	"github.com/ariadne-dev/ariadne/datasources"
)

// Jaeger's sampler tags, written on a trace's root span by Jaeger's
// clients (and kept as span attributes by OpenTelemetry's translators).
const (
	TagSamplerType  = "sampler.type"
	TagSamplerParam = "sampler.param"
	// OpenTelemetry's Jaeger remote sampler (Go contrib) writes them
	// under these names.
	TagOTelSamplerType  = "jaeger.sampler.type"
	TagOTelSamplerParam = "jaeger.sampler.param"
	// TagTailPolicy is where the collector's tail_sampling processor
	// records the policy that kept a trace (feature gate
	// processor.tailsamplingprocessor.recordpolicy).
	TagTailPolicy = "tailsampling.policy"
)

// Decision is how a trace was sampled, as far as what it carries says.
type Decision struct {
	// Method is a few words: "head sampling", "rate limiting", "always
	// sampled", "adaptive sampling's lower bound"; empty when unknown.
	Method string
	// Probability is the sampling probability in (0, 1] where one is
	// known (0 otherwise); AdjustedCount is 1/Probability, how many
	// requests the trace stands for.
	Probability   float64
	AdjustedCount float64
	// Rate is a rate limiter's traces per second (0 otherwise).
	Rate float64
	// Source says what told: "tracestate ot=th:f333",
	// "sampler.type=probabilistic sampler.param=0.05".
	Source string
	// Policy is the tail sampling policy that kept the trace, when the
	// pipeline records it.
	Policy string
}

// Known reports whether anything said how the trace was sampled.
func (d Decision) Known() bool { return d.Method != "" || d.Policy != "" }

// FromThreshold is the decision a tracestate threshold records: a
// consistent probability sampler (the SDK's, at the head) with that
// probability.
func FromThreshold(th Threshold) Decision {
	return Decision{Method: "head sampling", Probability: th.Probability(), AdjustedCount: th.AdjustedCount(),
		Source: "tracestate ot=th:" + th.String()}
}

// FromJaegerTags reads Jaeger's sampler.type and sampler.param: a
// probabilistic sampler's probability (and so an adjusted count), a rate
// limiter's traces per second, const (1: every trace), and the adaptive
// sampler's lower bound (a guaranteed rate, whose probability is not the
// trace's chance to be kept). ok is false when typ is none of them or param
// does not parse.
func FromJaegerTags(typ, param string) (Decision, bool) {
	p, err := strconv.ParseFloat(strings.TrimSpace(param), 64)
	if err != nil || math.IsNaN(p) || math.IsInf(p, 0) || p < 0 {
		return Decision{}, false
	}
	src := TagSamplerType + "=" + typ + " " + TagSamplerParam + "=" + param
	switch typ {
	case "probabilistic":
		if p <= 0 || p > 1 {
			return Decision{}, false
		}
		return Decision{Method: "head sampling", Probability: p, AdjustedCount: 1 / p, Source: src}, true
	case "ratelimiting":
		return Decision{Method: "rate limiting", Rate: p, Source: src}, true
	case "const":
		if p < 1 {
			// A const sampler at 0 keeps nothing: a trace that carries it
			// was kept by something else (debug, a parent).
			return Decision{Method: "const sampler off", Source: src}, true
		}
		return Decision{Method: "always sampled", Probability: 1, AdjustedCount: 1, Source: src}, true
	case "lowerbound":
		return Decision{Method: "adaptive sampling's lower bound", Source: src}, true
	}
	return Decision{}, false
}

// OfTrace says how tr was sampled from what its spans carry: the root
// span's tracestate threshold (or, failing it, the first span's that has
// one: parent-based children carry their parent's), Jaeger's sampler tags
// on the root, and a recorded tail sampling policy on any span (on its
// scope, where the collector's tail_sampling processor writes it). A trace
// that says nothing is unknown (the zero Decision).
func OfTrace(tr *datasources.Trace) Decision {
	if tr == nil || len(tr.Spans) == 0 {
		return Decision{}
	}
	return OfTraceFrom(tr, &tr.Spans[rootOf(tr.Spans)])
}

// OfTraceFrom is OfTrace for a trace whose root is known (the trace
// tree's): the root is read first, then the other spans in one pass that
// stops once nothing further can change the answer. A million-span trace
// that says nothing is one pass, with no index of its spans.
func OfTraceFrom(tr *datasources.Trace, root *datasources.Span) Decision {
	var (
		th, jd       Decision
		thOK, jdOK   bool
		policy       string
		policies     tailPolicies
		thresholdSet = func() bool { return thOK && th.Known() }
		// Most traces carry no sampling tag on any span: then none is read.
		spanTagged = tr.MayHaveAttribute(samplingTags...)
	)
	look := func(s *datasources.Span) {
		if ts := s.TraceState(); !thOK && ts != "" { // most spans carry none
			if t, err := ThresholdOf(ts); err == nil {
				th, thOK = FromThreshold(t), true
			}
		}
		needJaeger := !thresholdSet() && !jdOK
		if !needJaeger && policy != "" {
			return
		}
		var tags spanTags
		if spanTagged {
			tags = readTags(s)
		}
		if needJaeger && spanTagged {
			jd, jdOK = tags.jaeger()
		}
		if policy == "" {
			policy = policies.of(s, tags)
		}
	}
	look(root)
	for i := range tr.Spans {
		if thresholdSet() && policy != "" {
			break
		}
		if s := &tr.Spans[i]; s != root {
			look(s)
		}
	}
	d := th
	if !thresholdSet() && jdOK {
		d = jd
	}
	d.Policy = policy
	return d
}

// tailPolicies finds the tail sampling policy a span records, on its
// scope (where the collector's tail_sampling processor writes it), its own
// attributes (read into own) or its resource's; "" for none. Scopes and
// resources are shared by runs of spans: one already read without a
// policy is not read again for the next span.
type tailPolicies struct {
	scope    []datasources.Attribute // the scope attributes last read, none there
	resource *datasources.Resource   // the resource last read, none there
}

func (m *tailPolicies) of(s *datasources.Span, own spanTags) string {
	if sa := s.ScopeAttributes; len(sa) > 0 && !sameSlice(sa, m.scope) {
		if p, ok := datasources.Attr(sa, TagTailPolicy); ok && p != "" {
			return p
		}
		m.scope = sa
	}
	if p := own.val[tagTail]; own.has[tagTail] && p != "" {
		return p
	}
	if r := s.Resource; r != nil && r != m.resource {
		if p, ok := datasources.Attr(r.Attributes, TagTailPolicy); ok && p != "" {
			return p
		}
		m.resource = r
	}
	return ""
}

// sameSlice says whether a and b are one slice: the same elements, not
// equal ones.
func sameSlice(a, b []datasources.Attribute) bool {
	return len(a) == len(b) && unsafe.SliceData(a) == unsafe.SliceData(b)
}

// spanTags are the sampling tags of one span's attributes, the first of
// each key as datasources.Attr would find it, read in one pass: every span
// of a trace that says nothing is read, and five scans of each span's
// attributes were most of that.
type spanTags struct {
	val [5]string
	has [5]bool
}

const (
	tagType = iota
	tagParam
	tagOTelType
	tagOTelParam
	tagTail
)

func readTags(s *datasources.Span) (t spanTags) {
	s.FindAttributes(samplingTags, func(a datasources.Attribute) bool {
		if i := samplingTag(a.Key); !t.has[i] {
			t.val[i], t.has[i] = a.Value, true
		}
		return true
	})
	return t
}

// samplingTags are the keys readTags reads.
var samplingTags = []string{TagSamplerType, TagSamplerParam, TagOTelSamplerType, TagOTelSamplerParam, TagTailPolicy}

// samplingTag is the spanTags index of a sampling tag's key, -1 for any
// other key.
func samplingTag(key string) int {
	switch key {
	case TagSamplerType:
		return tagType
	case TagSamplerParam:
		return tagParam
	case TagOTelSamplerType:
		return tagOTelType
	case TagOTelSamplerParam:
		return tagOTelParam
	case TagTailPolicy:
		return tagTail
	}
	return -1
}

// jaeger reads the sampler tags under Jaeger's names or the OpenTelemetry
// remote sampler's.
func (t spanTags) jaeger() (Decision, bool) {
	for _, k := range [][2]int{{tagType, tagParam}, {tagOTelType, tagOTelParam}} {
		if t.has[k[0]] && t.has[k[1]] {
			if d, ok := FromJaegerTags(t.val[k[0]], t.val[k[1]]); ok {
				return d, true
			}
		}
	}
	return Decision{}, false
}

// rootOf is the index of the trace's root: the earliest span without a
// parent in the trace, else the earliest span.
func rootOf(spans []datasources.Span) int {
	ids := make(map[string]bool, len(spans))
	for i := range spans {
		ids[spans[i].SpanID] = true
	}
	best, bestRoot := 0, false
	for i := range spans {
		isRoot := spans[i].ParentSpanID == "" || !ids[spans[i].ParentSpanID]
		switch {
		case isRoot && !bestRoot:
			best, bestRoot = i, true
		case isRoot == bestRoot && spans[i].StartNs < spans[best].StartNs:
			best = i
		}
	}
	return best
}

// Summary is the decision as the trace page writes it:
// "head sampling at 5% — this trace stands for ≈ 20 requests", or
// "unknown".
func (d Decision) Summary() string {
	if !d.Known() {
		return "unknown"
	}
	var b strings.Builder
	switch {
	case d.Method == "":
	case d.Probability > 0:
		b.WriteString(d.Method + " at " + Percent(d.Probability))
		b.WriteString(" — this trace stands for " + Requests(d.AdjustedCount))
	case d.Rate > 0:
		b.WriteString(d.Method + " at " + sig3(d.Rate) + " traces per second — how many requests it stands for is not recorded")
	default:
		b.WriteString(d.Method + " — how many requests it stands for is not recorded")
	}
	if d.Policy != "" {
		if b.Len() > 0 {
			b.WriteString("; ")
		}
		b.WriteString("tail sampling kept it by policy “" + d.Policy + "”")
	}
	return b.String()
}

// Percent writes a probability as a percentage with at most three
// significant digits: 0.05 → "5%", 1/3 → "33.3%", 0.0001 → "0.01%".
func Percent(p float64) string { return sig3(p*100) + "%" }

// Requests writes an adjusted count: "1 request", "≈ 3 requests",
// "≈ 1,240 requests". Counts of 100 and more are whole numbers.
func Requests(n float64) string {
	if n == 1 {
		return "1 request"
	}
	if n >= 100 {
		return "≈ " + thousands(int64(math.Round(n))) + " requests"
	}
	return "≈ " + sig3(n) + " requests"
}

// sig3 writes v with three significant digits, no exponent, trailing
// zeros removed.
func sig3(v float64) string {
	r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 3, 64), 64)
	return strconv.FormatFloat(r, 'f', -1, 64)
}

func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
