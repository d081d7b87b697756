package grafana

import (
	"errors"
	"strings"
	"testing"
)

func testLookup() Lookup {
	env := map[string]string{"PORT": "3100", "USER": "ari", "PASSWORD": "Pa$sw0rd", "TENANT": "team-a"}
	files := map[string]string{"/run/secrets/loki": "  s3cret\n", "/run/secrets/big": "x"}
	return Lookup{
		Env: func(k string) string { return env[k] },
		ReadFile: func(p string) ([]byte, error) {
			if v, ok := files[p]; ok {
				return []byte(v), nil
			}
			return nil, errors.New("no such file")
		},
	}
}

func TestExpand(t *testing.T) {
	tests := []struct{ in, want string }{
		{"http://localhost:$PORT", "http://localhost:3100"},
		{"http://localhost:${PORT}/loki", "http://localhost:3100/loki"},
		{"$USER", "ari"},
		{"${UNSET}x", "x"},
		{"$PASSWORD", "Pa$sw0rd"},   // never expanded twice
		{"${PASSWORD}", "Pa$sw0rd"}, // nor with braces
		{"$__env{TENANT}", "team-a"},
		{"$__file{/run/secrets/loki}", "s3cret"},
		{"pre-$__file{/run/secrets/loki}-post", "pre-s3cret-post"},
		{"cost: $$5", "cost: $5"},
		{"$${__value.raw}", "${__value.raw}"},
		{"sum(rate(x{$$__tags}[5m]))", "sum(rate(x{$__tags}[5m]))"},
		// Grafana's own variables, written without $$: kept.
		{`{${__tags}} |= "${__span.traceId}"`, `{${__tags}} |= "${__span.traceId}"`},
		{"sum(rate(x{$__tags}[5m]))", "sum(rate(x{$__tags}[5m]))"},
		{"${__span.tags.method}", "${__span.tags.method}"},
		{"a $ b", "a $ b"},
		{"trailing $", "trailing $"},
		{"${unclosed", "${unclosed"},
		{"no variables", "no variables"},
	}
	for _, tt := range tests {
		got, err := Expand(tt.in, testLookup())
		if err != nil || got != tt.want {
			t.Errorf("Expand(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestExpandErrors(t *testing.T) {
	for in, want := range map[string]string{
		"$__file{/nope}": "$__file{/nope}: no such file",
		"$__file{/nope":  "unclosed $__file{",
		"$__env{TENANT":  "unclosed $__env{",
	} {
		_, err := Expand(in, testLookup())
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Expand(%q): %v, want %q", in, err, want)
		}
	}
	if _, err := Expand("$__file{/run/secrets/loki}", Lookup{}); err == nil {
		t.Error("$__file without a reader accepted")
	}
}
