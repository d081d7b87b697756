package snapshot

import (
	"encoding/json"
	"strings"

	"github.com/ariadne-dev/ariadne/correlation/text"
)

// titleBytes bounds a pin's title (rune-safe); the card shows the rest.
const titleBytes = 120

// TraceTitle names a pinned trace by its root ("service: name") or a
// pinned span by itself, and reports whether the span is in the snapshot.
func TraceTitle(ts *Trace, spanID string) (string, bool) {
	for _, s := range ts.Spans {
		if spanID == "" || s.ID == spanID {
			name := s.Name
			if s.Service != "" {
				name = s.Service + ": " + name
			}
			return text.Shorten(name, titleBytes), true
		}
	}
	return "Trace " + ts.ID, false
}

// LineTitle names a pinned line by a JSON line's msg, else its start.
func LineTitle(line string) string {
	var j struct {
		Msg string `json:"msg"`
	}
	if strings.HasPrefix(line, "{") && json.Unmarshal([]byte(line), &j) == nil && j.Msg != "" {
		return text.Shorten(j.Msg, titleBytes)
	}
	return text.Shorten(line, titleBytes)
}

// QueryTitle names a pinned query by its text.
func QueryTitle(q string) string { return text.Shorten(q, titleBytes) }
