// Package baseline answers "what is unusual about this trace?" in pure
// code over trace trees (correlation/trace): per-operation baselines from
// similar traces and how far each span of one trace lies from them
// (Compare), the structure a trace has that its baseline lacks and the
// reverse, the alignment of two traces span by span (Align), and which
// attribute values a selection of traces shares more often than a
// baseline (Rank). Every function states the sample it needs and says
// "too small to judge" below it rather than guess.
package baseline
