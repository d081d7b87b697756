package links

import (
	"time"

	"github.com/ariadne-dev/ariadne/datasources"
)

// The windows Ariadne puts around things, one constant each. A page that
// means one of these windows calls the function below it; nobody pads by
// hand, so a link and the panel it opens search the same window.
const (
	// TracePad widens a trace's or a span's own time span: services log
	// just before a span starts and just after it ends. It is the window
	// of a trace's logs, a span's logs (inline and behind "Logs for this
	// span") and of a pinned trace.
	TracePad = time.Minute
	// ExemplarPad is how far around an exemplar's (or a log line's) time
	// a link to its trace looks: the exemplar is recorded when a request
	// ends, and its trace's spans start before that and may end after it.
	ExemplarPad = 15 * time.Minute
	// MetricsPad widens a trace's time span for its service's RED graphs:
	// a rate needs minutes either side to show a shape.
	MetricsPad = 15 * time.Minute
	// LinePad is the window of a pinned log line, reopened live.
	LinePad = 5 * time.Minute
	// LookupPad widens a link's window when Tempo is asked for a trace by
	// ID: a trace found by an exemplar or a log line may start before that
	// window and end after it.
	LookupPad = time.Hour
	// ContextPad is how far before and after a line "show context" looks
	// for the lines around it, and the window of its way back.
	ContextPad = time.Hour
)

// around is [from-pad, to+pad] as an absolute range of whole seconds.
func around(from, to time.Time, pad time.Duration) TimeRange {
	return TimeRange{From: from.Add(-pad), To: to.Add(pad)}.Absolute()
}

func nsTime(ns int64) time.Time { return time.Unix(0, ns).UTC() }

// TraceWindow is a trace's (or a span's) own time span widened by
// TracePad: where its logs are searched and a pinned trace reopens.
func TraceWindow(startNs, endNs int64) TimeRange {
	return around(nsTime(startNs), nsTime(endNs), TracePad)
}

// MetricsWindow is the window of a trace's RED graphs, ending at now at
// the latest (ClampToNow): a graph reaching into the future shows the
// live edge as a traffic drop.
func MetricsWindow(startNs, endNs int64, now time.Time) TimeRange {
	return around(nsTime(startNs), nsTime(endNs), MetricsPad).ClampToNow(now)
}

// ExemplarWindow is the window a link to an exemplar's trace carries.
func ExemplarWindow(at time.Time) TimeRange { return around(at, at, ExemplarPad) }

// LineWindow is the window of a pinned log line at at.
func LineWindow(at time.Time) TimeRange { return around(at, at, LinePad) }

// ContextWindow is the window of "show context" around a line at at.
func ContextWindow(at time.Time) TimeRange { return around(at, at, ContextPad) }

// LookupWindow is where Tempo is asked for a trace that a link's window r
// points at.
func LookupWindow(r TimeRange) (start, end time.Time) {
	return r.From.Add(-LookupPad), r.To.Add(LookupPad)
}

// SpanWindow is the window of one span's logs: its inline lines and its
// "Logs for this span" link both use it, so they always agree.
func SpanWindow(s *datasources.Span) TimeRange { return TraceWindow(s.StartNs, s.EndNs) }
