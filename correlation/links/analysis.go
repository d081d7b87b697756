package links

import (
	"net/url"
	"strconv"
)

// The analysis pages of #18.
const (
	TraceDiffPath    = "/traces/diff"
	QualityPath      = "/quality"
	TraceComparePath = "/traces/compare"
)

// TraceDiff compares trace a with trace b (padded 32-hex IDs; b alone
// empty gives the page's form with a filled in).
func TraceDiff(a, b string) string {
	v := url.Values{}
	if a != "" {
		v.Set("a", a)
	}
	if b != "" {
		v.Set("b", b)
	}
	return withQuery(TraceDiffPath, v)
}

// Quality is the span quality report of one service's traces over w
// (zero: the default range).
func Quality(service string, w TimeRange) string {
	v := url.Values{}
	if service != "" {
		v.Set("service", service)
	}
	setWindow(v, w)
	return withQuery(QualityPath, v)
}

// SearchForm is the trace search form's fields as /traces takes them
// (service, name, min, max, errors, attr, backend), over Window.
type SearchForm struct {
	Backend, Service, Name string
	Min, Max               string // durations as typed: "250ms", "1s"
	Errors                 bool
	Attrs                  []string // key=value, one per entry
	Window                 TimeRange
}

func (f SearchForm) values() url.Values {
	v := url.Values{}
	for _, p := range [][2]string{{"backend", f.Backend}, {"service", f.Service}, {"name", f.Name}, {"min", f.Min}, {"max", f.Max}} {
		if p[1] != "" {
			v.Set(p[0], p[1])
		}
	}
	if f.Errors {
		v.Set("errors", "1")
	}
	for _, a := range f.Attrs {
		v.Add("attr", a)
	}
	setWindow(v, f.Window)
	return v
}

// WithAttr is f with one more attribute filter.
func (f SearchForm) WithAttr(kv string) SearchForm {
	f.Attrs = append(f.Attrs[:len(f.Attrs):len(f.Attrs)], kv)
	return f
}

// TraceSearchForm is the search page running form f, as if submitted.
func TraceSearchForm(f SearchForm) string {
	v := f.values()
	v.Set("build", "1")
	return withQuery(TracesPath, v)
}

// TraceCompare is "what do these have in common?": the traces form f
// selects against the rest, looked for over base (zero: f's window),
// sample traces on each side (0: the page's default).
func TraceCompare(f SearchForm, base TimeRange, sample int) string {
	v := f.values()
	from, to := windowParams(base)
	if from != "" {
		v.Set("base_from", from)
	}
	if to != "" {
		v.Set("base_to", to)
	}
	if sample > 0 {
		v.Set("sample", strconv.Itoa(sample))
	}
	return withQuery(TraceComparePath, v)
}
