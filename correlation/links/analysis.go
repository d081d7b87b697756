package links

import "net/url"

// The analysis pages of #18.
const (
	TraceDiffPath = "/traces/diff"
	QualityPath   = "/quality"
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
