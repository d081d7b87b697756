package views

import (
	"testing"
	"time"

	"github.com/ariadne-dev/ariadne/correlation/trace"
	"github.com/ariadne-dev/ariadne/datasources"
)

// The header's Sampling fact reads what the trace carries.
func TestBuildTraceSampling(t *testing.T) {
	now := time.Date(2026, 11, 26, 10, 5, 0, 0, time.UTC)
	in := TraceInput{Now: now, Zone: time.UTC}
	v := BuildTrace(buildTestTrace(), in)
	if v.Sampling != "unknown" || v.SamplingSource != "" {
		t.Errorf("no tracestate: %q (%q)", v.Sampling, v.SamplingSource)
	}
	tt := buildTestTrace()
	tr := tt.Trace
	tr.Spans[0].Details = &datasources.SpanDetails{TraceState: "ot=th:f333"}
	v = BuildTrace(trace.BuildTree(tr, false), in)
	if v.Sampling != "head sampling at 5% — this trace stands for ≈ 20 requests" || v.SamplingSource != "tracestate ot=th:f333" {
		t.Errorf("th:f333: %q (%q)", v.Sampling, v.SamplingSource)
	}
}
