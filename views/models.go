// Package views renders Ariadne's HTML with templ. Components take view
// models already shaped like the screen: no I/O and no logic beyond layout.
package views

// Page is what every page's chrome needs.
type Page struct {
	Title   string
	Section string // "graph", "traces", "logs", "investigations" or ""
	User    string
	CSRF    string
	// TraceBox keeps what the user typed into the global box.
	TraceBox      string
	TraceBoxError string
	Range         *RangeControl // nil: the page has no time range
	Banners       []Banner
	// Styles and Scripts are a page's own static files (paths under
	// static/, e.g. "css/graph.css"), added after the shared ones.
	Styles  []string
	Scripts []string
	// Refresh, when not zero, reloads the page every so many seconds (the
	// logs page's Live mode without JavaScript).
	Refresh int
}

// RangeControl is the time-range form; every value is already a URL or text.
type RangeControl struct {
	Action  string // path the form submits to
	From    string
	To      string
	Hidden  []Hidden // other query parameters the form must keep
	Presets []Link
	Error   string
	Zone    string // the zone times are shown in
}

// Hidden is a hidden form field.
type Hidden struct{ Name, Value string }

// Link is a labelled URL.
type Link struct {
	Label   string
	URL     string
	Current bool
}

// Banner is a page-wide notice, e.g. "Postgres is unreachable".
type Banner struct {
	Kind string // "error", "warn" or "ok"
	Text string
	// Link, when set, follows the text ("Open the investigation").
	Link *Link
}

// NavItem is one entry of the top navigation.
type NavItem struct {
	Section, Label, URL string
}

// Nav is the top navigation, in order.
var Nav = []NavItem{
	{"graph", "Graph", "/graph"},
	{"traces", "Traces", "/traces"},
	{"logs", "Logs", "/logs"},
	{"investigations", "Investigations", "/investigations"},
}

// PanelHead is what a panel shows while its data loads.
type PanelHead struct {
	Slot  int
	Title string
}

// PanelResult is a finished panel: its body, or the message that replaces it.
type PanelResult struct {
	Slot  int
	Title string
	// State is a short word in the header ("ok", "down", "not configured").
	State      string
	StateClass string
	Error      string // user-facing; empty when the panel succeeded
}

// ErrorPage is the body of an error response.
type ErrorPage struct {
	Status  int
	Heading string
	Message string
	// RequestID lets a user quote the failure to an operator.
	RequestID string
}
