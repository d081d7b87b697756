// Package snapshot holds what an investigation freezes when something is
// pinned, and the pure builders that cut backend data (a trace, series, log
// lines) down to it within Limits. The types are the JSON stored in
// Postgres (store persists them as they are): their field tags are a
// storage format, and snapshots written by earlier versions must still
// decode (see testdata/snapshot-v1.json).
//
// The trace snapshot is ordered by the one trace tree (trace.BuildTree),
// the same order the trace page shows.
package snapshot
