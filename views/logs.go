package views

import (
	"github.com/a-h/templ"

	"github.com/ariadne-dev/ariadne/correlation/logline"
	"github.com/ariadne-dev/ariadne/datasources"
)

// LogsView is the logs page: the query box and what it keeps.
type LogsView struct {
	Query     string // what the box shows: the user's, or the one built from a trace ID
	TraceID   string // the trace_id parameter as given (kept on a 400)
	SpanID    string
	Built     bool   // Query was built from trace_id
	IDError   string // why trace_id was refused
	Window    string // the searched window, in words
	Note      string // e.g. where the window came from
	Limit     string
	Direction string
	Hidden    []Hidden // from/to and the like, kept by the query form
	Examples  []Link   // shown when there is no query yet
	TraceURL  string   // the trace page, in trace mode
	PinQuery  *PinFormData
	Picker    templ.Component // the label picker (pickers.templ); nil leaves it out
	Live      *LiveControl    // the Live section; nil for a metric query
}

// LogVolume is the stacked histogram above the lines.
type LogVolume struct {
	Bars   []VolumeBar
	Ticks  []AxisTick
	Legend []LevelChip
	Max    string // the tallest bar's count, labelling the y axis
	Total  string
	Step   string
}

// VolumeBar is one step of the histogram: a link that zooms to it.
type VolumeBar struct {
	X, W    string // percent of the chart's width
	Title   string // "15:04:05–15:04:20: 12 error, 40 info"
	ZoomURL string
	Parts   []VolumePart
}

// VolumePart is one level's share of a bar, placed in SVG user units.
type VolumePart struct {
	Y, H  string
	Class string
}

// LevelChip is a level and its colour class, for legends.
type LevelChip struct{ Name, Class string }

// LogLines is the lines panel.
type LogLines struct {
	// Rows are the lines' rows; or, when Lines is set, the rows are those
	// of Lines built by In as they are written (the logs page's many:
	// see builtLogRows).
	Rows     []LogRow
	Lines    []datasources.LogLine
	In       LogRowsInput
	Older    string // URL of the next older page, "" at the end
	Newer    string // URL of the next newer page, "" at the start
	Count    string // "100 lines, newest first"
	Warnings []string
	Empty    *LogDiagnosis // set when nothing came back
	// Pin is the one shared "pin lines to" form; each row's button
	// submits it with the row's own fields (LogRow.PinRef).
	Pin *PinFormData
	// View toggles (logs page only): long lines wrapped in place, JSON
	// lines indented when opened; each URL is the page with it flipped.
	Wrap, Pretty       bool
	WrapURL, PrettyURL string
}

// HasRows says whether the panel has any line to show.
func (l LogLines) HasRows() bool { return len(l.Rows) > 0 || len(l.Lines) > 0 }

func (l LogLines) rows() templ.Component {
	if l.Lines != nil {
		return builtLogRows(l.Lines, l.In)
	}
	return logRows(l.Rows)
}

// LogRow is one line. Everything is text already made inert.
type LogRow struct {
	ID         string // anchor, "l-<n>"
	Time       string // in the viewer's zone
	TimeTitle  string // full date and nanoseconds
	Level      string
	LevelClass string
	Service    string
	SvcClass   string
	Preview    string // the line, cut at a few KB
	// Message is a structured line's message (and what failed), and
	// MessageRest its other fields, shown as k=v: the summary shows them
	// in place of the raw line.
	Message     string
	MessageRest []logline.Field
	Rest        string // the rest of a long line, behind "show all"
	Pretty      string // a JSON line indented, when asked for
	RestSize    string // "1.0 MB"
	Traces      []Link // derived-field links to /traces/{id}
	SpanID      string // the span the line belongs to, when it says
	SpanURL     string
	ContextURL  string
	// LineURL, for a row built Lazy, is the line's page (links.LogLine):
	// the row's expanded view is that page's, fetched when it is opened.
	LineURL   string
	Labels    []KV
	Metadata  []KV
	Fields    []KV
	Highlight bool // the line a context view is about
	Open      bool // drawn opened (a line's own page)
	Offset    string
	PinRef    string // URL-encoded pin fields for this line, "" when pinning is off

	// A row the builder made holds some of the above in parts, escaped
	// once for all the lines of a stream or a second, which appendLogRow
	// writes in their place: a page of rows written as they are built
	// (builtLogRows) makes no string a row for them.
	//
	// stamp writes Time and TimeTitle from the second's parts and frac,
	// the nanoseconds (only in a row written before the next is built).
	stamp *lineStamp
	frac  int
	// traceQuery is the Traces' query: a link's URL is TracesPath, its
	// Label (the trace ID) and it. Their URL strings are made only for a
	// row that outlives its writing (BuildLogRows).
	traceQuery string
	// line is LineURL in its parts (LineURL itself only in a row that
	// outlives its writing).
	line lineRef
	// summary, when not nil, is the row's summary written already
	// (appendSummary: its message or preview and its trace links), by
	// PrepareLines while the line was decoded.
	summary []byte
}

// LogDiagnosis says why a trace's logs came back empty: what was tried
// and what the usual causes look like here.
type LogDiagnosis struct {
	Query  string
	Window string
	Checks []LogCheck
}

// LogCheck is one cause checked, with a way out when there is one.
type LogCheck struct {
	Title  string
	Result string
	Found  bool // the check found the lines (or the cause)
	Names  []string
	Links  []Link
}

// LogContext is the "show context" page: lines around one line of a stream.
type LogContext struct {
	Stream  string
	At      string
	Rows    []LogRow
	Before  int
	After   int
	BackURL string
}

// LogLineView is one line's page (GET /logs/line): the line opened with
// its tables, under a query form (hidden) its field values narrow.
type LogLineView struct {
	Stream  string
	At      string
	Row     LogRow
	Query   string   // the logs page's query, which a field value narrows
	Hidden  []Hidden // the window the narrowed query runs over
	BackURL string
	Pin     *PinFormData // the form the line's "Pin line" submits; nil without investigations
}

// SpanLogs are a span's lines inside its details on the trace page.
type SpanLogs struct {
	SpanID string
	Rows   []LogRow
	Error  string
	Note   string // "Showing lines from the Logs section below" and the like
	URL    string // all of them on the logs page
}

// shortID is the first 8 characters of an ID, for compact links.
func shortID(id string) string {
	if len(id) > 8 {
		return id[:8] + "…"
	}
	return id
}
