package demo

import (
	"fmt"
	"strings"
	"time"

	"go.opentelemetry.io/contrib/samplers/jaegerremote"
	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/ariadne-dev/ariadne/correlation/sampling"
	"github.com/ariadne-dev/ariadne/datasources/jaegerrun"
)

// The demo's sampling strategies (--sampling): the seed's four.
const (
	// SamplingNone keeps every trace.
	SamplingNone = "none"
	// SamplingHead is the SDK's parent-based ratio sampler at the
	// gateway (SampleRatio), which records its threshold in tracestate.
	SamplingHead = "head"
	// SamplingTail sends every span to the real Jaeger, whose
	// tail_sampling processor keeps errors, slow traces and a share of
	// the rest (TailPolicies).
	SamplingTail = "tail"
	// SamplingAdaptive has each service ask Jaeger's adaptive sampling
	// (jaegerrun.StartAdaptive) for per-operation probabilities that it
	// tunes to AdaptiveTarget from the root spans Jaeger forwards to it.
	SamplingAdaptive = "adaptive"
)

// ParseSampling checks a --sampling value ("" is none).
func ParseSampling(s string) (string, error) {
	switch s {
	case "":
		return SamplingNone, nil
	case SamplingNone, SamplingHead, SamplingTail, SamplingAdaptive:
		return s, nil
	}
	return "", fmt.Errorf("sampling %q: want none, head, tail or adaptive", s)
}

// The tail policy: every trace with an error, every trace slower than
// TailSlow, TailShare percent of the rest. TailDecisionWait is how long
// the processor holds a trace's spans before it decides: a trace shows in
// the backends that much later than without sampling.
const (
	TailSlow         = time.Second
	TailShare        = 5.0
	TailDecisionWait = 5 * time.Second
)

// tailSamplingYAML is the tail_sampling processor's configuration
// (collector-contrib v0.140, the version in Jaeger v1.76): policies are
// OR-ed, a trace any of them samples is kept.
func tailSamplingYAML() string {
	return fmt.Sprintf(`decision_wait: %s
num_traces: 50000
expected_new_traces_per_sec: 50
policies:
  - name: errors
    type: status_code
    status_code: {status_codes: [ERROR]}
  - name: slow
    type: latency
    latency: {threshold_ms: %d}
  - name: share-of-the-rest
    type: probabilistic
    probabilistic: {sampling_percentage: %g}`, TailDecisionWait, TailSlow.Milliseconds(), TailShare)
}

// AdaptiveTarget is the traces per second per operation the adaptive
// sampler aims at; the calculation runs every AdaptiveInterval (Jaeger's
// default is a minute, slow for a demo).
const (
	AdaptiveTarget   = 1.0
	AdaptiveInterval = 10 * time.Second
	// adaptiveInitial is the probability an operation starts with, before
	// Jaeger has computed one.
	adaptiveInitial = 0.2
)

// adaptiveSettings are the adaptive sampling collector's settings
// (jaegerrun.StartAdaptive): the target, a calculation every
// AdaptiveInterval from the QPS of the last three intervals (one 10 s
// bucket at 1 trace/s is too noisy to steer by), each calculation reading
// the counts saved up to half an interval ago: the counts are saved every
// interval too, so a delay of a whole one would catch a save in some
// windows and miss it in others, halving and doubling the measured QPS.
func adaptiveSettings() jaegerrun.AdaptiveSampling {
	return jaegerrun.AdaptiveSampling{TargetSamplesPerSecond: AdaptiveTarget,
		InitialSamplingProbability: adaptiveInitial, CalculationInterval: AdaptiveInterval,
		CalculationDelay: AdaptiveInterval / 2, AggregationBuckets: 10, BucketsForCalculation: 3}
}

// jaegerFor is the Jaeger configuration a sampling strategy needs on top
// of storage: the tail sampler's processor. (Adaptive sampling runs in a
// collector of its own, jaegerrun.StartAdaptive, that Jaeger forwards to.)
func jaegerFor(strategy string, jo *jaegerrun.Options) {
	if strategy == SamplingTail {
		jo.Processors = append(jo.Processors, jaegerrun.Processor{Name: "tail_sampling", YAML: tailSamplingYAML()})
		// Record the deciding policy on the kept spans' scope.
		jo.FeatureGates = append(jo.FeatureGates, "processor.tailsamplingprocessor.recordpolicy")
	}
}

// shopSampler is one service's sampler. Every strategy is parent-based:
// the service that starts a trace decides, the others follow the
// traceparent's flag.
func shopSampler(service string, opt ShopOptions) sdktrace.Sampler {
	switch opt.Sampling {
	case SamplingHead:
		return sdktrace.ParentBased(thresholdSampler{sdktrace.TraceIDRatioBased(opt.SampleRatio), sampling.ThresholdFor(opt.SampleRatio).String()})
	case SamplingTail:
		return sdktrace.ParentBased(sdktrace.AlwaysSample())
	case SamplingAdaptive:
		return sdktrace.ParentBased(jaegerTagSampler{jaegerremote.New(service,
			jaegerremote.WithSamplingServerURL(opt.SamplingURL),
			jaegerremote.WithSamplingRefreshInterval(5*time.Second),
			jaegerremote.WithInitialSampler(sdktrace.TraceIDRatioBased(adaptiveInitial)))})
	}
	return sdktrace.ParentBased(sdktrace.TraceIDRatioBased(opt.SampleRatio))
}

// thresholdSampler writes OpenTelemetry's ot=th: threshold of its ratio
// into the tracestate of the traces it samples, so a backend (and
// Ariadne) knows how many requests each stands for. The Go SDK's ratio
// sampler does not yet, and decides on its own share of the trace ID
// rather than the spec's 56 bits: the threshold states the probability,
// not a decision another stage could repeat.
type thresholdSampler struct {
	inner sdktrace.Sampler
	th    string
}

func (s thresholdSampler) ShouldSample(p sdktrace.SamplingParameters) sdktrace.SamplingResult {
	r := s.inner.ShouldSample(p)
	if r.Decision == sdktrace.RecordAndSample {
		if ts, err := r.Tracestate.Insert("ot", "th:"+s.th); err == nil {
			r.Tracestate = ts
		}
	}
	return r
}

func (s thresholdSampler) Description() string {
	return "Threshold{" + s.inner.Description() + "}"
}

// jaegerTagSampler copies the OpenTelemetry remote sampler's
// jaeger.sampler.type and jaeger.sampler.param attributes to the names
// Jaeger's adaptive_sampling processor reads (sampler.type,
// sampler.param): without them it sees no throughput and never adapts.
type jaegerTagSampler struct{ inner sdktrace.Sampler }

func (s jaegerTagSampler) ShouldSample(p sdktrace.SamplingParameters) sdktrace.SamplingResult {
	r := s.inner.ShouldSample(p)
	attrs := r.Attributes // the sampler's own slice: never append to it
	r.Attributes = append(make([]attribute.KeyValue, 0, len(attrs)*2), attrs...)
	for _, a := range attrs {
		if k, ok := strings.CutPrefix(string(a.Key), "jaeger."); ok && (k == sampling.TagSamplerType || k == sampling.TagSamplerParam) {
			r.Attributes = append(r.Attributes, attribute.KeyValue{Key: attribute.Key(k), Value: a.Value})
		}
	}
	return r
}

func (s jaegerTagSampler) Description() string { return "JaegerTags{" + s.inner.Description() + "}" }
