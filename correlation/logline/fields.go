package logline

import (
	"strings"

	"github.com/ariadne-dev/ariadne/datasources"
)

// LineField is a field found in log lines, for a Loki that cannot say
// which fields its lines hold (no detected fields API before Loki 3.1):
// its key, the parser that reads it (json, logfmt; "" for structured
// metadata; the first parser that found it), and its distinct values in
// the order seen.
type LineField struct {
	Key    string
	Parser string
	Values []string
}

// FieldsOf lists the fields of lines, by key in the order first seen:
// structured metadata, then what each line's JSON or logfmt text holds.
// A key that is one of the line's stream labels is left out (the stream
// labels are offered as such); plain text lines have no fields.
func FieldsOf(lines []datasources.LogLine) []LineField {
	var out []LineField
	at := map[string]int{}
	seen := map[string]map[string]bool{}
	add := func(key, parser, value string) {
		i, ok := at[key]
		if !ok {
			i = len(out)
			at[key] = i
			out = append(out, LineField{Key: key, Parser: parser})
			seen[key] = map[string]bool{}
		}
		if !seen[key][value] {
			seen[key][value] = true
			out[i].Values = append(out[i].Values, value)
		}
	}
	for _, l := range lines {
		for k, v := range l.StructuredMetadata {
			add(k, "", v)
		}
		clean := CleanLine(l.Line)
		parser := "logfmt"
		if strings.HasPrefix(strings.TrimSpace(clean), "{") {
			parser = "json"
		}
		for _, f := range ParseFields(clean) {
			if _, stream := l.Labels[f.Key]; stream {
				continue
			}
			if _, meta := l.StructuredMetadata[f.Key]; meta {
				continue
			}
			add(f.Key, parser, f.Value)
		}
	}
	return out
}
