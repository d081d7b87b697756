package views

// Picker is the label browser beside a query box (the graph's PromQL, the
// logs' LogQL): label names, then one label's values, each value a link to
// the same page with its matcher added to the query. That works without
// JavaScript; static/js/pickers.js loads the same HTML as fragments and
// edits the query box in place instead.
type Picker struct {
	ID         string // the element's id, which a fragment replaces
	Lang       string // "promql" or "logql"
	Target     string // the query parameter it edits: q, q2…
	TextareaID string // that query's box
	Query      string // the query its links were built on
	Open       bool   // with its lists; closed it is one link that opens it
	OpenURL    string
	// OpenFragment is OpenURL as a fragment, for the script.
	OpenFragment string
	CloseURL     string
	Scope        string // what the lists are about: `for up{job="a"}`
	Targets      []Link // the other query boxes it can browse for
	Error        string // the label names could not be read
	Groups       []PickerGroup
	Values       *PickerValues // a chosen label's values
}

// PickerGroup is one list of names: stream labels, detected fields.
type PickerGroup struct {
	Title string
	Note  string
	Error string
	Names []PickerName
}

// PickerName is a label (or field) to choose.
type PickerName struct {
	Name     string
	Label    string // Name as shown
	Hint     string // "json · 12 values"
	URL      string // the page with its values listed
	Fragment string // the same, as a fragment
	Current  bool
}

// PickerValues are one label's values, at most PickerMaxValues of them.
type PickerValues struct {
	Name   string
	Title  string // "Values of route"
	Error  string
	Note   string // where the values come from, when not the obvious
	Values []PickerValue
	// More is how many values are not listed (the filter finds them).
	More  int
	Total int
	// The filter: a GET form (action and hidden fields) that lists the
	// values containing Filter; the script filters as one types.
	Filter       string
	FilterAction string
	FilterHidden []Hidden
	Fragment     string // FilterAction's fragment, for the script
}

// PickerValue is one value: its link adds the matcher to the query.
type PickerValue struct {
	Label    string // as shown: "(empty)" for "", long ones cut
	Value    string
	URL      string // the page with the query narrowed, picker open
	Fragment string // the picker after choosing it, for the script
	Query    string // the narrowed query
	Title    string // Query as shown (invisible characters made visible)
}

// PickerMaxValues bounds a value list; the filter reaches the rest.
const PickerMaxValues = 200

// LatencyBuilder is the graph's service + route form: it writes the
// latency query (histogram_quantile over the request-duration histogram)
// for the chosen service, route and quantile. Without values from
// Prometheus its fields are free text.
type LatencyBuilder struct {
	Open      bool // open when it built the query on the page
	Services  []string
	Routes    []string
	Service   string
	Route     string
	Quantile  string
	Quantiles []string
	Hidden    []Hidden // the window and page settings it keeps
	Note      string   // e.g. Prometheus could not list the services
	Metric    string
}
