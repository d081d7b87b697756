package views

import (
	"strconv"
	"time"

	"github.com/ariadne-dev/ariadne/correlation/text"
	"github.com/ariadne-dev/ariadne/correlation/trace"
)

// Plural is "1 span", "3 spans".
func Plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// SimilarTraceLabel names a similar trace in the "compare with" choices:
// its duration, whether it failed, when it started.
func SimilarTraceLabel(t *trace.TraceTree) string {
	s := text.FormatDuration(time.Duration(t.EndNs - t.StartNs))
	if t.Errors > 0 {
		s += ", failed"
	}
	return s + ", " + time.Unix(0, t.StartNs).UTC().Format("15:04:05") + " UTC"
}
