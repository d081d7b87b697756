package views

import "github.com/a-h/templ"

// TraceView is the trace page, computed by the handler.
type TraceView struct {
	ID       string
	Backend  string // who answered: "Tempo", "Jaeger", "Zipkin"
	Title    string // root service: root span
	StartAbs string
	StartAgo string
	Duration string
	Services int
	Spans    int
	Errors   int
	Depth    int
	// Sampling is how the trace was sampled, from what it carries ("head
	// sampling at 5% — this trace stands for ≈ 20 requests", "unknown");
	// SamplingSource what said so (the dd's title).
	Sampling       string
	SamplingSource string
	Partial        string // Tempo's message when only part of the trace came back
	SkewSpans      int    // spans whose clock disagrees with their parent's
	Legend         []ServiceChip

	Ticks    []AxisTick
	Overview Overview
	Rows     []TraceRow
	Window   WindowView
	Selected *SpanDetails

	Links      TraceLinks
	PinTrace   *PinFormData // nil when investigations are not wired
	DepthLinks []Link
	SkewLink   Link

	// Find is the server-side search of every span (?find=).
	Find FindView

	ServiceStats StatTable
	OpStats      StatTable
	Graph        ServiceGraph

	// Panels are streamed below the waterfall so they never delay it: the
	// trace's logs (when Loki is configured), the comparison with similar
	// traces, the span quality check.
	Panels     templ.Component
	PanelHeads []PanelHead
	HasLogs    bool // the logs panel is among them
}

// ServiceChip is a service and its colour class.
type ServiceChip struct{ Name, Class string }

// AxisTick is a time label at X percent of the waterfall's width.
type AxisTick struct{ X, Label string }

// TraceLinks are the plain URLs out of the page.
type TraceLinks struct {
	Logs    string
	Metrics string
	Search  string
	Raw     string // the same view without skew adjustment / focus
	Focus   string // set when the page shows one subtree: the whole trace
}

// TraceRow is one span of the waterfall, a flat row in tree order,
// indented by its depth.
type TraceRow struct {
	SpanID     string
	DepthClass string
	Depth      int
	SvcClass   string
	Service    string
	Title      string
	Duration   string
	X, W       string // bar position and width, percent of the trace
	Error      bool
	Critical   bool
	Skew       string // "" or a note such as "starts 15.0 ms before its parent"
	Shifted    string // "" or "shifted +15.0 ms" when skew adjustment moved it
	Orphan     bool
	Parent     bool   // has children: a fold control
	Open       bool   // its children follow
	Folded     int    // spans under a folded row
	FoldURL    string // the page with it folded or unfolded
	Selected   bool
	Pos        int // its place among the visible rows
	SelectURL  string
	LogCount   int  // log lines for this span, when known
	Found      bool // matches the page's Find
	// Group is set on the one row of a run of alike siblings; GroupCount
	// and GroupURL on the first span of such a run shown span by span.
	Group      *GroupRow
	GroupCount int
	GroupURL   string
}

// GroupRow is what a group row shows of its run of alike siblings.
type GroupRow struct {
	Count     int
	Stats     string // "p50 1.20 ms · p99 4.10 ms · 2 failed"
	ExpandURL string
}

// SpanDetails is the selected span's panel.
type SpanDetails struct {
	SpanID, ParentID string
	Title            string
	Name             string
	Service          string
	Kind             string
	Status           string
	StatusMessage    string
	Error            bool
	Offset           string
	Duration         string
	Self             string
	Critical         string
	Statement        string
	Attributes       []KV
	Resource         []KV
	Events           []SpanEventView
	Links            []SpanLinkView
	LogsURL          string
	Skew             string
	Pin              *PinFormData
}

// KV is an attribute as text.
type KV struct {
	Key, Value string
	URL        string // where the value leads, if anywhere (a logs filter)
	// Narrow, on the logs page, is the parser (json, logfmt) by which the
	// value narrows the query: its button's where= value (Narrowed).
	Narrow string
}

// SpanEventView is one event; exceptions get their parts split out.
type SpanEventView struct {
	Offset     string
	Name       string
	ExcType    string
	ExcMessage string
	Stack      string
	Attributes []KV
}

// SpanLinkView is a link to another span.
type SpanLinkView struct {
	TraceID, SpanID, URL string
	// Relation says how the span relates to the one linked: "follows
	// from" for OpenTracing's FOLLOWS_FROM (as Jaeger marks it), else
	// "linked to".
	Relation   string
	Attributes []KV
}

// StatTable is one statistics table, bounded: its top rows, or one page
// of all of them, with the links between.
type StatTable struct {
	ID   string // anchor: "ops", "svcs"
	Rows []StatRow
	Note string // "Top 20 of 9,999 operations by total time."
	// All shows every row, a page at a time; Top goes back to the top
	// rows; Prev and Next page.
	All, Top, Prev, Next Link
}

// StatRow is one line of the statistics tables.
type StatRow struct {
	Service, Operation, SvcClass string
	Spans, Errors                int
	Total, Self                  string
	SelfPct                      string
}

// ServiceGraph is the drawn call graph of the trace.
type ServiceGraph struct {
	Width, Height string
	Nodes         []GraphNode
	Edges         []GraphEdge
}

// GraphNode is a service box.
type GraphNode struct {
	X, Y, W, H   string
	TextX, TextY string
	Name, Class  string
}

// GraphEdge is a call arrow with its label.
type GraphEdge struct {
	Path           string
	LabelX, LabelY string
	Label          string
	Error          bool
}

// TraceProblem is the body of a trace page that could not show a trace:
// an invalid ID (400) or one Tempo does not have (404).
type TraceProblem struct {
	Heading string
	ID      string
	Message string
	// Reasons rank what may explain a trace not found (sampled out, not
	// yet ingested, …) from what Ariadne could see; Checked says what it
	// looked at.
	Reasons []ProblemReason
	Checked string
	Hints   []string
	Links   []Link
}

// TraceBoxHelpView is the help page of a global box that held no trace
// reference: the way on when it held something else.
type TraceBoxHelpView struct {
	SearchLogs *Link // "Search the logs for “ord-199603”"
}

// FindView is the trace page's Find: the form (which keeps the page's
// view options) and, when a query was given, the spans it matched.
type FindView struct {
	Action string   // the trace page, without parameters
	Keep   []Hidden // the view options the form carries along
	Query  string
	Total  int
	Items  []FindItem
	More   int    // matches beyond Items
	Clear  string // the page without the find
	IDs    string // matched span IDs, space-separated, for the script
}

// FindItem is one matching span: where it is and why it matched.
type FindItem struct {
	SvcClass, Service, Title string
	Field, Value             string
	URL                      string
}
