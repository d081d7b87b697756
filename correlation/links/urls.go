package links

import (
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Every in-app URL is built here, from a route and typed parameters (the
// route table is handlers/router.go), so no page concatenates "/traces/"
// with an ID and every link carries its window the same way.

// The pages' paths, as the route table serves them.
const (
	HomePath           = "/"
	GraphPath          = "/graph"
	TracesPath         = "/traces"
	LogsPath           = "/logs"
	LogContextPath     = "/logs/context"
	LogLinePath        = "/logs/line"
	LogLineBodyPath    = "/logs/line/body"
	LogsLivePath       = "/logs/live"
	InvestigationsPath = "/investigations"
	PinsPath           = "/pins"
	SharePrefix        = "/s/"
)

// windowParams are w's from and to: as written when w carries its text
// (a relative range reopens relative; TimeRange.Absolute writes whole UTC
// seconds rounded outwards), else From and To made absolute. A zero w
// gives none.
func windowParams(w TimeRange) (from, to string) {
	if w.RawFrom == "" && w.RawTo == "" {
		if w.From.IsZero() && w.To.IsZero() {
			return "", ""
		}
		w = w.Absolute()
	}
	return w.RawFrom, w.RawTo
}

func setWindow(v url.Values, w TimeRange) {
	from, to := windowParams(w)
	if from != "" {
		v.Set("from", from)
	}
	if to != "" {
		v.Set("to", to)
	}
}

func withQuery(path string, v url.Values) string {
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}

// TraceParams are the trace page's parameters.
type TraceParams struct {
	// Window narrows where Tempo looks (LookupWindow widens it); zero
	// searches all of Tempo's retention.
	Window TimeRange
	// Span selects a span; the link also scrolls to its row.
	Span string
	// Backend is asked first for the trace ("jaeger"): the backend a
	// search result came from. Empty: the configured order.
	Backend string
}

// Trace is the page of trace id (a padded 32-hex ID). It is written by
// hand, parameters in url.Values.Encode's sorted order: every log line and
// waterfall link runs it.
func Trace(id string, p TraceParams) string {
	var b strings.Builder
	b.Grow(len(TracesPath) + 1 + len(id) + 96)
	b.WriteString(TracesPath)
	b.WriteByte('/')
	b.WriteString(url.PathEscape(id))
	sep := byte('?')
	add := func(k, v string) {
		if v == "" {
			return
		}
		b.WriteByte(sep)
		sep = '&'
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(v))
	}
	from, to := windowParams(p.Window)
	add("backend", p.Backend)
	add("from", from)
	add("span", p.Span)
	add("to", to)
	if p.Span != "" {
		b.WriteString("#s-")
		b.WriteString(url.PathEscape(p.Span))
	}
	return b.String()
}

// ExemplarTrace is the trace of an exemplar (or of a log line) at at,
// with the window Tempo should search around that moment.
func ExemplarTrace(id string, at time.Time) string {
	return Trace(id, TraceParams{Window: ExemplarWindow(at)})
}

// ExemplarTraces are ExemplarTrace's URLs for a page of log lines, where
// thousands of lines fall in one second: the window's query is written
// once per second (and whether the moment has a fraction, which rounds
// the window's end up), not once a line. They are not safe for
// concurrent use.
type ExemplarTraces struct {
	sec   int64
	frac  bool
	query string
}

// URL is ExemplarTrace(id, at).
func (e *ExemplarTraces) URL(id string, at time.Time) string {
	return TracesPath + "/" + url.PathEscape(id) + e.Query(at)
}

// Query is the query of the URLs of traces at at, "?from=…&to=…": a
// URL is TracesPath, "/", the trace ID escaped, and Query.
func (e *ExemplarTraces) Query(at time.Time) string {
	s, f := at.Unix(), at.Nanosecond() != 0
	if e.query == "" || s != e.sec || f != e.frac {
		// ExemplarPad is whole seconds, so the window is a function of
		// these two alone.
		e.sec, e.frac, e.query = s, f, ExemplarTrace("", at)[len(TracesPath)+1:]
	}
	return e.query
}

// SpanFragment is the URL trace.js fetches for one span's details.
func SpanFragment(traceID, spanID string) string {
	return TracesPath + "/" + url.PathEscape(traceID) + "/spans/" + url.PathEscape(spanID)
}

// TraceSearch is the search page running TraceQL q over w (zero: the
// default range).
func TraceSearch(q string, w TimeRange) string {
	v := url.Values{"q": {q}}
	setWindow(v, w)
	return withQuery(TracesPath, v)
}

// LogsParams are the logs page's parameters. With both Query and TraceID
// the page runs Query (the user's refinement) and the trace ID only
// chooses the window when none is given.
type LogsParams struct {
	Query   string
	TraceID string
	SpanID  string
	Window  TimeRange
}

// Logs is the logs page.
func Logs(p LogsParams) string {
	v := url.Values{}
	if p.Query != "" {
		v.Set("q", p.Query)
	}
	if p.TraceID != "" {
		v.Set("trace_id", p.TraceID)
	}
	if p.SpanID != "" {
		v.Set("span_id", p.SpanID)
	}
	setWindow(v, p.Window)
	return withQuery(LogsPath, v)
}

// ServiceLogs is the logs page of one service's streams over w, by Loki's
// service_name label.
func ServiceLogs(service string, w TimeRange) string {
	return Logs(LogsParams{Query: "{service_name=" + strconv.Quote(service) + "}", Window: w})
}

// LogContext is "show context" for the line at tsNs in stream selector,
// marked among lines of the same nanosecond by hash.
func LogContext(selector string, tsNs int64, hash string) string {
	return LogContextURLs(selector).URL(tsNs, hash)
}

// LogLine is one line's page, with its fields, labels and metadata, as
// the logs page's query q (which parsed those fields) finds it: the line
// at tsNs in stream selector, told from the others of its nanosecond by
// hash. LogLineBody is the same as a fragment, for a line opened in
// place.
func LogLine(q, selector string, tsNs int64, hash string) string {
	return LogLineURLs(q, selector).URL(tsNs, hash)
}

// LogLineBody is LogLine's expanded view alone, as a fragment (its path
// swapped).
func LogLineBody(lineURL string) string {
	if rest, ok := strings.CutPrefix(lineURL, LogLinePath+"?"); ok {
		return LogLineBodyPath + "?" + rest
	}
	return ""
}

// LineURLs are the URLs of one stream's lines (LogLine, LogContext),
// path?h=&q=&stream=&ts= in url.Values.Encode's (sorted) order, with what
// does not change from line to line escaped once: a line's URL is Head,
// its hash, Mid, then its time in nanoseconds. A logs page, which links
// every line, writes them from these parts.
type LineURLs struct{ Head, Mid string }

// LogContextURLs are LogContext's URLs for the lines of one stream.
func LogContextURLs(selector string) LineURLs { return lineURLs(LogContextPath, "", selector) }

// LogLineURLs are LogLine's URLs for the lines of one stream and query.
func LogLineURLs(q, selector string) LineURLs { return lineURLs(LogLinePath, q, selector) }

func lineURLs(path, q, selector string) LineURLs {
	mid := ""
	if q != "" {
		mid = "&q=" + url.QueryEscape(q)
	}
	return LineURLs{Head: path + "?h=", Mid: mid + "&stream=" + url.QueryEscape(selector) + "&ts="}
}

// URL is the URL of the line at tsNs marked by hash.
func (u LineURLs) URL(tsNs int64, hash string) string {
	return u.Head + url.QueryEscape(hash) + u.Mid + strconv.FormatInt(tsNs, 10)
}

// Graph is the graph page of up to four PromQL queries over w.
func Graph(queries []string, w TimeRange) string {
	v := url.Values{}
	for i, q := range queries {
		v.Set(GraphParam(i), q)
	}
	setWindow(v, w)
	return withQuery(GraphPath, v)
}

// GraphParam is the URL parameter of the graph's i-th query: q, q2, q3, q4.
func GraphParam(i int) string {
	if i == 0 {
		return "q"
	}
	return "q" + strconv.Itoa(i+1)
}

// Investigation is the page of investigation id.
func Investigation(id int64) string {
	return InvestigationsPath + "/" + strconv.FormatInt(id, 10)
}

// InvestigationItem is an item's place on its investigation's page.
func InvestigationItem(id, item int64) string {
	return Investigation(id) + "#item-" + strconv.FormatInt(item, 10)
}

// Share is a share link's path; the caller puts the configured public
// base URL before it.
func Share(token string) string { return SharePrefix + token }

// LogsWith is the logs page with exactly the parameters v: for the page's
// own links (paging, zoom) that keep its other parameters.
func LogsWith(v url.Values) string { return withQuery(LogsPath, v) }

// LogsLive is the live stream (server-sent events) of a log query.
func LogsLive(query string) string {
	return withQuery(LogsLivePath, url.Values{"q": {query}})
}

// Home is the on-call home (the service map) over w.
func Home(w TimeRange) string {
	v := url.Values{}
	setWindow(v, w)
	return withQuery(HomePath, v)
}

// ServicesPath is the prefix of a service's page (GET /services/{name}).
const ServicesPath = "/services/"

// Service is the page of one service (or of an uninstrumented peer) over w.
func Service(name string, w TimeRange) string {
	v := url.Values{}
	setWindow(v, w)
	return withQuery(ServicesPath+url.PathEscape(name), v)
}

// ServiceTraces is the search form's search for service's traces in
// backend ("" for the default), errors only when failed: for the trace
// backends searched by parameters (Jaeger, Zipkin), which TraceQL links
// cannot reach.
func ServiceTraces(service, backend string, failed bool, w TimeRange) string {
	v := url.Values{"service": {service}}
	if backend != "" {
		v.Set("backend", backend)
	}
	if failed {
		v.Set("errors", "1")
	}
	setWindow(v, w)
	return withQuery(TracesPath, v)
}
