package snapshot

import (
	"strings"
	"testing"
)

func TestTitles(t *testing.T) {
	ts := &Trace{ID: "abc", Spans: []Span{{ID: "1", Name: "GET /cart", Service: "frontend"}, {ID: "2", Name: "SELECT"}}}
	tests := []struct {
		name      string
		spanID    string
		want      string
		wantFound bool
	}{
		{"a trace is named by its root", "", "frontend: GET /cart", true},
		{"a span by itself, without a service", "2", "SELECT", true},
		{"a missing span is reported", "9", "Trace abc", false},
	}
	for _, tt := range tests {
		got, found := TraceTitle(ts, tt.spanID)
		if got != tt.want || found != tt.wantFound {
			t.Errorf("%s: TraceTitle = %q, %v; want %q, %v", tt.name, got, found, tt.want, tt.wantFound)
		}
	}
	lines := []struct{ line, want string }{
		{`{"level":"error","msg":"payment declined"}`, "payment declined"},
		{`{"level":"error"}`, `{"level":"error"}`},
		{`level=error msg=x`, `level=error msg=x`},
		{strings.Repeat("é", 200), strings.Repeat("é", 58) + "…"},
	}
	for _, l := range lines {
		if got := LineTitle(l.line); got != l.want {
			t.Errorf("LineTitle(%.20q) = %q, want %q", l.line, got, l.want)
		}
	}
}
