package datasources

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/ariadne-dev/ariadne/correlation/text"
)

// FormatLabels writes a label set as Loki and Prometheus print one,
// {a="1", b="2"}: names sorted, values double-quoted in Go syntax, which
// LogQL and PromQL both read. It is the app's one label-set writer (a
// stream's selector, a series' name, a pinned line's labels).
func FormatLabels(m map[string]string) string {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	slices.Sort(names)
	var b strings.Builder
	b.WriteByte('{')
	for i, k := range names {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(strconv.Quote(m[k]))
	}
	b.WriteByte('}')
	return b.String()
}

// ParseLabels reads a label set as FormatLabels writes it (the braces
// optional). Names must be label names; values must be double-quoted.
func ParseLabels(s string) (map[string]string, error) {
	s = strings.TrimSpace(s)
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(s, "{"), "}"))
	if s == "" {
		return nil, nil
	}
	out := map[string]string{}
	for s != "" {
		eq := strings.IndexByte(s, '=')
		if eq <= 0 {
			return nil, fmt.Errorf("expected name=\"value\" at %q", text.Shorten(s, 40))
		}
		name := strings.TrimSpace(s[:eq])
		if !IsLabelName(name) {
			return nil, fmt.Errorf("%q is not a label name", text.Shorten(name, 40))
		}
		rest := strings.TrimSpace(s[eq+1:])
		q, err := strconv.QuotedPrefix(rest)
		if err != nil || !strings.HasPrefix(q, `"`) {
			return nil, fmt.Errorf("the value of %s must be double-quoted", name)
		}
		v, _ := strconv.Unquote(q)
		out[name] = v
		s = strings.TrimSpace(rest[len(q):])
		if s != "" {
			if s[0] != ',' {
				return nil, fmt.Errorf("expected a comma after %s", name)
			}
			s = strings.TrimSpace(s[1:])
		}
	}
	return out, nil
}

// IsLabelName reports whether s is a Prometheus/Loki label name:
// [a-zA-Z_][a-zA-Z0-9_]*.
func IsLabelName(s string) bool {
	for i, r := range s {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return s != ""
}
