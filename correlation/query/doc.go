// Package query builds the backends' query languages from IDs and forms:
// LogQL for a trace's or a span's lines (both forms of a 64-bit trace ID),
// volume and stream selectors, TraceQL from the search form, and PromQL
// selectors for exemplars. Every value written into a query is validated
// or escaped here.
package query
