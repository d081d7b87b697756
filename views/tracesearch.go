package views

// TraceSearchView is the trace search page: the form (already holding what
// the user sent) and the TraceQL it compiled to.
type TraceSearchView struct {
	Service, SpanName string
	MinDuration       string
	MaxDuration       string
	ErrorsOnly        bool
	Attributes        string // one key=value per line
	Query             string // the TraceQL in the box
	FormError         string
	Limit             int
	Limits            []int
	Hidden            []Hidden // from/to/sort to keep across submits
	// Backend is the trace backend searched ("tempo", "jaeger"); Backends
	// the choices, shown when there is more than one. TraceQL says whether
	// it is searched in TraceQL (Tempo) rather than by parameters.
	Backend  string
	Backends []Choice
	TraceQL  bool
}

// Choice is one option of a select.
type Choice struct {
	Value, Label string
	Selected     bool
}

// TraceResults is the body of the results panel.
type TraceResults struct {
	Rows      []TraceResultRow
	Sort      []Link // column headers, each a sort link
	Limit     int
	More      bool // as many results as the limit: there may be more
	Inspected string
	Services  []string // choices for the form's service box
	Names     []string // choices for the form's span-name box
	// Sent is the request a parameter-searched backend was sent, in its
	// own terms, and Backend its name ("Jaeger").
	Sent    string
	Backend string
	// Common is "what do these have in common?" for this search (the
	// form's, not a typed TraceQL query); "" when it cannot be carried.
	Common string
	// Count is how many requests the traces found stand for, as far as
	// they say: "62 traces ≈ 1,240 requests" (TraceRequestCount).
	Count string
}

// TraceResultRow is one trace found.
type TraceResultRow struct {
	URL         string
	TraceID     string
	RootService string
	RootName    string
	SvcClass    string
	Start       string
	StartAgo    string
	Duration    string
	DurationMs  int64
	BarW        string // percent of the slowest result
	Spans       int
	Errors      int
}

// MaxNameChoices bounds the span names offered as the search form's
// choices.
const MaxNameChoices = 200
