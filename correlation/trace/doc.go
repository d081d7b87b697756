// Package trace holds the one trace tree (BuildTree) and its passes:
// parent links and orphans, clock-skew detection and adjustment, the
// critical path, self time, per-operation statistics and service edges.
// The trace page, snapshots and comparisons all use this tree.
package trace
