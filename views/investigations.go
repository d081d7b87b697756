package views

import "github.com/ariadne-dev/ariadne/store"

// View models of the investigations pages, the share page and the pin
// form. Every field is already text or a URL we built.

// PinFormData is the small "pin this" form any page can drop in with
// @views.PinForm(f). Handlers build it with (*handlers.Handler).pinForm.
type PinFormData struct {
	Label    string   // the disclosure's text, e.g. "Pin span"
	Kind     string   // graph, exemplar, trace, span, log_query, log_line
	Fields   []Hidden // the kind's reference fields (trace_id, q, from, ...)
	ReturnTo string   // local path to come back to after pinning
	CSRF     string
	Key      string // idempotency key, fresh per render
	Targets  []PinTarget
	// Unavailable, when set, says why investigations cannot be listed
	// (Postgres down); the form then cannot be submitted.
	Unavailable string
}

// PinTarget is one open investigation in the pin form's select.
type PinTarget struct {
	ID    string
	Title string
}

// InvestigationList is GET /investigations.
type InvestigationList struct {
	Query     string
	Status    string // "", "open", "resolved"
	Rows      []InvestigationRow
	CreateKey string
	Error     string // why the list could not be loaded
}

// InvestigationRow is one line of the list.
type InvestigationRow struct {
	URL, Title, Status, Author, Created, Updated string
	Items                                        int
}

// Investigation is the timeline page, and (ReadOnly) the share page.
type Investigation struct {
	ID      string
	URL     string // action base: /investigations/{id}
	Title   string
	Status  string
	Author  string
	Created string
	Updated string
	Range   string
	Version string
	Items   []InvItem
	// Editing only (nil or empty on the share page):
	Activity []ActivityLine
	Shares   []ShareLine
	NoteKey  string
	ReadOnly bool
	// Share page only: when the snapshots were taken, in which zones
	// times are shown, and when the link stops working.
	Zones   string
	Expires string
}

// InvItem is one timeline entry, rendered from its snapshot.
type InvItem struct {
	ID        string
	Anchor    string // element id, "item-12"
	Kind      string
	KindLabel string
	Title     string
	Author    string
	Pinned    string
	Version   string
	LiveURL   string // "" when the item has no live view
	LiveLabel string
	// NoteHTML is Markdown already rendered and sanitized by the handler
	// (goldmark, then bluemonday): no raw HTML, no script URLs.
	NoteHTML   string
	NoteSource string
	Graph      *InvGraph
	Exemplar   []InvFact
	Waterfall  *InvWaterfall
	Lines      []InvLogLine
	Omitted    []string
	First      bool
	Last       bool
}

// InvFact is a label and a value.
type InvFact struct{ Label, Value string }

// InvGraph is a small SVG line chart in a 0..1000 × 0..100 box; the SVG
// stretches to the card's width.
type InvGraph struct {
	Paths []InvGraphPath
	Dots  []InvGraphDot
	// Bands shade the series' spikes, as on /graph.
	Bands  []InvGraphBand
	Note   string // "12 exemplars, 2 spikes"
	YMax   string
	YMin   string
	From   string
	To     string
	Legend []InvGraphPath
	Empty  bool
}

// InvGraphPath is one series' line.
type InvGraphPath struct {
	D     string
	Class string // "s0".."s5"
	Label string
}

// InvGraphDot marks an exemplar.
// Class is "exemplar" for the one an exemplar pin is about, "exemplar
// other" for a pinned graph's.
type InvGraphDot struct{ X, Y, Title, Class string }

// InvGraphBand is one spike's x range, in the mini graph's units.
type InvGraphBand struct{ X, W, Title string }

// InvWaterfall is a compact trace view: a few rows, each a bar placed in
// percentages of the trace's duration.
type InvWaterfall struct {
	TraceID  string
	Duration string
	Total    int
	Hidden   int // rows in the snapshot not shown here
	Rows     []InvSpanRow
	Partial  bool
}

// InvSpanRow is one waterfall row.
type InvSpanRow struct {
	Name       string
	Service    string
	Duration   string
	DepthClass string // "depth-0".."depth-8"
	X, W       string // percentages for the bar
	Error      bool
	Focus      bool
	StatusMsg  string
	Attrs      []InvFact
	Events     []InvSpanEvent
}

// InvSpanEvent is a span event shown under a focused or failed span.
type InvSpanEvent struct {
	At    string
	Name  string
	Attrs []InvFact
}

// InvLogLine is one frozen log line.
type InvLogLine struct {
	Time   string
	Labels string
	Line   string
	Level  string // class: "lvl-error", "lvl-warn", ""
}

// ActivityLine is one entry of the activity log.
type ActivityLine struct{ At, Actor, Text string }

// ShareLine is one share link (never its token).
type ShareLine struct {
	ID      string
	Author  string
	Created string
	Revoked string // "" while live
	Expires string // "expires …", "expired …" or "never expires"
	Live    bool   // neither revoked nor expired: it can be revoked
}

// ShareCreated shows a new link, once.
type ShareCreated struct {
	Title string
	URL   string // the link, with token: absolute when Ariadne knows its public URL
	// Relative is set when it does not (ARIADNE_PUBLIC_URL unset and a
	// listen address that names no host): the page says so.
	Relative bool
	Back     string
	Expires  string // "It expires …" or "It never expires"
}

// ShareLifetimeOptions are the share form's choices, in order; the
// values are store.ShareLifetimes' names, the store's default selected.
var ShareLifetimeOptions = func() []Link {
	out := []Link{{Label: "1 day", URL: "1d"}, {Label: "7 days", URL: "7d"}, {Label: "30 days", URL: "30d"}, {Label: "never", URL: "never"}}
	for i := range out {
		out[i].Current = out[i].URL == store.DefaultShareLifetime
	}
	return out
}()

// Conflict shows a stale edit next to what is stored now, with a form to
// apply the user's version on top of the current one.
type Conflict struct {
	Heading string
	Message string
	Yours   []InvFact
	Current []InvFact
	// Retry re-submits the user's values (editable) with the current version.
	Action string
	Hidden []Hidden
	Fields []FormField
	Back   string
}

// FormField is an editable field, prefilled.
type FormField struct {
	Name, Label, Value string
	Multiline          bool
}
