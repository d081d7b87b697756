package demo

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"github.com/ariadne-dev/ariadne/correlation/sampling"
	"github.com/ariadne-dev/ariadne/datasources/jaegerrun"
)

func rootParams(id byte) sdktrace.SamplingParameters {
	var tid trace.TraceID
	for i := range tid {
		tid[i] = id
	}
	return sdktrace.SamplingParameters{TraceID: tid, Name: "POST /api/checkout"}
}

func TestParseSampling(t *testing.T) {
	for in, want := range map[string]string{"": "none", "none": "none", "head": "head", "tail": "tail", "adaptive": "adaptive"} {
		if got, err := ParseSampling(in); err != nil || got != want {
			t.Errorf("ParseSampling(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := ParseSampling("always"); err == nil || !strings.Contains(err.Error(), "want none, head, tail or adaptive") {
		t.Errorf("a bad strategy: %v", err)
	}
}

// Head sampling records its threshold in the kept traces' tracestate,
// and Ariadne reads back the ratio it was given.
func TestHeadSamplerWritesThreshold(t *testing.T) {
	s := shopSampler(Gateway, ShopOptions{Sampling: SamplingHead, SampleRatio: 0.25})
	kept := 0
	for i := 0; i < 256; i++ {
		r := s.ShouldSample(rootParams(byte(i)))
		if r.Decision != sdktrace.RecordAndSample {
			if r.Tracestate.Get("ot") != "" {
				t.Error("a dropped trace carries a threshold")
			}
			continue
		}
		kept++
		th, err := sampling.ThresholdOf(r.Tracestate.String())
		if err != nil || th.String() != "c" || th.AdjustedCount() != 4 {
			t.Fatalf("tracestate %q: %v %v", r.Tracestate.String(), th, err)
		}
	}
	if kept == 0 || kept == 256 {
		t.Errorf("%d of 256 kept at 25%%", kept)
	}
}

func TestTailAndNoneKeepEverythingAtTheHead(t *testing.T) {
	for _, st := range []string{SamplingTail, SamplingNone} {
		s := shopSampler(Gateway, ShopOptions{Sampling: st, SampleRatio: 1})
		for i := 0; i < 64; i++ {
			if r := s.ShouldSample(rootParams(byte(i))); r.Decision != sdktrace.RecordAndSample || r.Tracestate.Len() != 0 {
				t.Fatalf("%s: %+v", st, r)
			}
		}
	}
}

type fixedSampler struct{ attrs []attribute.KeyValue }

func (f fixedSampler) ShouldSample(sdktrace.SamplingParameters) sdktrace.SamplingResult {
	return sdktrace.SamplingResult{Decision: sdktrace.RecordAndSample, Attributes: f.attrs}
}
func (fixedSampler) Description() string { return "fixed" }

// The remote sampler's jaeger.sampler.* attributes are copied to the
// names Jaeger's adaptive_sampling processor counts, without touching the
// sampler's own slice.
func TestJaegerTagSampler(t *testing.T) {
	own := make([]attribute.KeyValue, 2, 8)
	own[0], own[1] = attribute.String("jaeger.sampler.type", "probabilistic"), attribute.Float64("jaeger.sampler.param", 0.2)
	r := jaegerTagSampler{fixedSampler{own}}.ShouldSample(rootParams(1))
	got := map[string]string{}
	for _, a := range r.Attributes {
		got[string(a.Key)] = a.Value.Emit()
	}
	if got["sampler.type"] != "probabilistic" || got["sampler.param"] != "0.2" || len(r.Attributes) != 4 {
		t.Errorf("attributes %v", got)
	}
	if own[:cap(own)][2].Key != "" {
		t.Error("the sampler's own slice was appended to")
	}
}

func TestJaegerForStrategies(t *testing.T) {
	var jo jaegerrun.Options
	jaegerFor(SamplingTail, &jo)
	if len(jo.Processors) != 1 || jo.Processors[0].Name != "tail_sampling" {
		t.Fatalf("tail: %+v", jo)
	}
	for _, want := range []string{"decision_wait: 5s", "type: status_code", "status_codes: [ERROR]", "threshold_ms: 1000", "sampling_percentage: 5"} {
		if !strings.Contains(jo.Processors[0].YAML, want) {
			t.Errorf("tail policy lacks %q:\n%s", want, jo.Processors[0].YAML)
		}
	}
	jo = jaegerrun.Options{}
	jaegerFor(SamplingAdaptive, &jo)
	if len(jo.Processors) != 0 {
		t.Errorf("adaptive runs in a collector of its own, not in Jaeger v2: %+v", jo)
	}
	if a := adaptiveSettings(); a.TargetSamplesPerSecond != AdaptiveTarget || a.CalculationInterval != AdaptiveInterval {
		t.Errorf("adaptive settings %+v", a)
	}
	jo = jaegerrun.Options{}
	jaegerFor(SamplingHead, &jo)
	if len(jo.Processors) != 0 {
		t.Errorf("head needs no Jaeger: %+v", jo)
	}
}

// The sampler sees a server span's final name: per-operation sampling
// decides by the name Jaeger counts.
func TestServerSpanName(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/orders/{id}", func(http.ResponseWriter, *http.Request) {})
	mux.HandleFunc("/metrics", func(http.ResponseWriter, *http.Request) {})
	name := serverSpanName(mux)
	for _, tc := range []struct{ method, path, want string }{
		{"GET", "/api/orders/ord-1", "GET /api/orders/{id}"},
		{"GET", "/metrics", "GET /metrics"},
		{"POST", "/nowhere", "POST"},
	} {
		r := httptest.NewRequest(tc.method, tc.path, nil)
		if got := name("gateway", r); got != tc.want {
			t.Errorf("%s %s: %q, want %q", tc.method, tc.path, got, tc.want)
		}
	}
}
