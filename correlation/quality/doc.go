// Package quality owns the span quality rules: what in a span breaks good
// instrumentation practice (a generic or high-cardinality name, missing
// HTTP or database attributes, an unexplained error, personal data, very
// large or too many attributes, deprecated attribute names). The rules are
// data in one table (rules.go), each with its reason and its fix; Check
// runs them over one span and CheckTraces over whole traces, grouped by
// rule with example spans. It reads spans only: no I/O, no clock.
package quality
