package views

// TraceCompareView is GET /traces/compare: what the traces a search
// selects have in common, against the rest of the window.
type TraceCompareView struct {
	// Selection and Baseline say what each side is.
	Selection, Baseline CompareSide
	// Sample says how much was read: "50 traces of the selection (the
	// search's first 50: the window has more) and 47 of the baseline …".
	Sample string
	// Problem replaces the ranking: a search failed (the backend's
	// message, with the side it failed on) or nothing was selected.
	Problem string
	// TooSmall replaces the ranking: a side has too few traces.
	TooSmall string
	// None is said when the ranking is empty although both sides are
	// large enough.
	None string
	Rows []CompareRow
	More string // "and 12 more values", or ""
	// The sample-size form: the page's other parameters kept.
	Hidden  []Hidden
	Samples []int
	Sample0 int // the size chosen
	// EditURL opens the selection in the search form.
	EditURL string
}

// CompareSide is one side of the comparison, as the page names it.
type CompareSide struct {
	Title    string // "Selection"
	What     string // "traces with a span of payments that failed"
	Window   string // "2026-01-02 10:00:00 UTC – 2026-01-02 11:00:00 UTC"
	Query    string // what the backend was sent: TraceQL, or the parameters
	QueryFor string // "TraceQL", "Sent to Jaeger"
	Problem  string // this side's search failed: the backend's message
}

// CompareRow is one attribute value, ranked.
type CompareRow struct {
	Attr                string // "http.route=/api/checkout", invisible characters shown
	Scope               string // "span" or "resource"
	Selection, Baseline string // "92%", "11%"
	Counts              string // "46 of 50 · 5 of 47"
	SelW, BaseW         string // bar widths, percent of the cell
	URL                 string // the selection's search with this value added; "" when it cannot be written as a filter
}
