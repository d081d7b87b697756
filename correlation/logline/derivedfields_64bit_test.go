package logline

import (
	"strings"
	"testing"
	"time"

	"github.com/ariadne-dev/ariadne/datasources"

	"github.com/ariadne-dev/ariadne/correlation/links"
)

// A 64-bit trace ID is found in whichever form a line carries it and
// always linked by its padded 32 characters, the form /traces/ uses; the
// line's span is read from it too (the logs page's data-span). IDs that
// merely share characters with it are other traces, or no trace.

// A 64-bit trace ID in both forms (idA, in derivedfields_test.go, is
// another trace whose 32 characters end with the same 16).
const (
	id64  = "0000000000000000a3ce929d0e0e4736"
	low64 = "a3ce929d0e0e4736"
)

func TestDerivedFields64Bit(t *testing.T) {
	const span = "00f067aa0ba902b7"
	at := time.Unix(1700000000, 0) // any instant: only the link's shape matters
	tests := []struct {
		name        string
		line        datasources.LogLine
		trace, span string
	}{
		{"logfmt traceID, 16 characters", datasources.LogLine{Line: "level=info msg=charging traceID=" + low64 + " span_id=" + span}, id64, span},
		{"logfmt trace_id, upper case", datasources.LogLine{Line: "level=info trace_id=" + strings.ToUpper(low64) + " span_id=" + span}, id64, span},
		{"JSON, padded", datasources.LogLine{Line: `{"msg":"charging","trace_id":"` + id64 + `","span_id":"` + span + `"}`}, id64, span},
		{"JSON, 16 characters", datasources.LogLine{Line: `{"msg":"charging","traceId":"` + low64 + `","span_id":"` + span + `"}`}, id64, span},
		{"structured metadata, 16 characters", datasources.LogLine{Line: "charging",
			StructuredMetadata: map[string]string{"trace_id": low64, "span_id": span}}, id64, span},
		{"structured metadata, padded", datasources.LogLine{Line: "charging",
			StructuredMetadata: map[string]string{"trace_id": id64, "span_id": span}}, id64, span},
		{"another trace ending the same", datasources.LogLine{Line: `{"trace_id":"` + idA + `","span_id":"` + span + `"}`}, idA, span},
		{"another trace beginning the same", datasources.LogLine{Line: "traceID=" + low64 + "0123456789abcdef"}, low64 + "0123456789abcdef", ""},
		{"neither 16 nor 32 characters: no link", datasources.LogLine{Line: "traceID=" + low64 + "ab span_id=" + span}, "", span},
	}
	d := MustDefaultDeriver()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			refs := d.Extract(&tt.line)
			var got []string
			for _, r := range refs {
				got = append(got, links.ExemplarTrace(r.TraceID, at))
			}
			var want []string
			if tt.trace != "" {
				want = []string{links.ExemplarTrace(tt.trace, at)}
				if !strings.HasPrefix(want[0], "/traces/"+tt.trace+"?") {
					t.Fatalf("link %s", want[0])
				}
			}
			if strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("links %q, want %q", got, want)
			}
			if sid := LineSpanID(&tt.line); sid != tt.span {
				t.Errorf("span %q, want %q", sid, tt.span)
			}
		})
	}
}
