// Package correlation is Ariadne's pure logic, one sub-package per kind of
// thing it holds. Nothing below does I/O or reads the clock: callers pass
// "now" in, and every package is table-tested without HTTP.
//
//   - trace: the one trace tree and its passes (clock skew, critical path,
//     self time, statistics, ordering)
//   - query: LogQL, TraceQL and PromQL built from IDs and forms, escaping
//   - logline: log line cleaning, field parsing, levels, derived fields
//   - chart: SVG geometry of every chart, axes, steps, decimation, spikes
//   - links: every in-app URL and every time window
//   - text: cutting strings and writing durations for people
//   - snapshot: what an investigation freezes when something is pinned,
//     cut from backend data within bounds (the trace by the one tree)
//   - quality: the span quality rules (names, essential and deprecated
//     attributes, personal data, limits), as data, and their reports
//   - baseline: a trace against similar ones (per-operation p50/p99, the
//     most unusual spans, structure), two traces aligned span by span,
//     and attribute values ranked by how much more a selection has them
//   - sampling: how a trace was sampled (tracestate thresholds, Jaeger's
//     sampler tags, tail policies) and why a trace ID may be missing
package correlation
