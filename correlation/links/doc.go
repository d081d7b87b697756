// Package links owns every time window Ariadne uses between signals and
// the URLs that carry them: how far around a trace, a span, an exemplar or
// a log line each page looks (window.go), the from/to of a URL
// (timerange.go), and the in-app links between graphs, traces and logs.
package links
