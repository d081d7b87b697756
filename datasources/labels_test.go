package datasources

import (
	"maps"
	"strings"
	"testing"
)

func TestFormatAndParseLabels(t *testing.T) {
	tests := []struct {
		in      string
		want    map[string]string
		wantErr string
	}{
		{``, nil, ""},
		{`{}`, nil, ""},
		{`{service_name="payments", level="error"}`, map[string]string{"service_name": "payments", "level": "error"}, ""},
		{`a="x,y=\"z\"" ,b="2"`, map[string]string{"a": `x,y="z"`, "b": "2"}, ""},
		{`{msg="line\nbreak", path="C:\\x"}`, map[string]string{"msg": "line\nbreak", "path": `C:\x`}, ""},
		{`{a=b}`, nil, "double-quoted"},
		{`{1a="x"}`, nil, "not a label name"},
		{`{a="x" b="y"}`, nil, "expected a comma"},
		{`{="x"}`, nil, "expected name"},
	}
	for _, tt := range tests {
		got, err := ParseLabels(tt.in)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ParseLabels(%q) err %v, want %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || !maps.Equal(got, tt.want) {
			t.Errorf("ParseLabels(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
		// What FormatLabels writes reads back the same.
		if back, err := ParseLabels(FormatLabels(got)); err != nil || !maps.Equal(back, got) && len(got) > 0 {
			t.Errorf("round trip of %v: %v, %v", got, back, err)
		}
	}
	if got := FormatLabels(map[string]string{"service_name": "pay\"ments", "level": "error"}); got != `{level="error", service_name="pay\"ments"}` {
		t.Errorf("FormatLabels = %s", got)
	}
}
