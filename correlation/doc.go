// Package correlation holds Ariadne's pure logic: time ranges, links
// between signals, queries built from IDs, spikes, critical paths. Nothing
// here does I/O or reads the clock: callers pass "now" in.
package correlation
