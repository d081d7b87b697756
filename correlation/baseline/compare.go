package baseline

import (
	"sort"

	"github.com/ariadne-dev/ariadne/correlation/trace"
	"github.com/ariadne-dev/ariadne/datasources"
)

// What "far outside the baseline" means.
const (
	// UnusualRatio: a span this many times its operation's p50 (and over
	// its p99) is slow for it.
	UnusualRatio = 3.0
	// MinExcessNs: and at least this much longer than the p50, so that
	// microsecond spans are never "slow" by a ratio alone.
	MinExcessNs = int64(1e6)
	// RatioFloorNs is the least p50 a rank divides by, for the same reason.
	RatioFloorNs = int64(1e6)
	// RareErrorShare: a failed span whose operation fails less often than
	// this in the baseline is unusual.
	RareErrorShare = 0.1
	// RarePresence and UsualPresence bound "the baseline rarely has it"
	// and "the baseline nearly always has it" (shares of its traces).
	RarePresence  = 0.2
	UsualPresence = 0.8
)

// SpanScore is one span of the open trace against its operation's
// baseline.
type SpanScore struct {
	Node int // index in the open tree's Nodes
	Op
	DurationNs, SelfNs int64
	// Base is the operation's baseline, nil when no baseline trace has
	// the operation.
	Base *OpBaseline
	// Judged is false when Base has fewer than MinSpans spans (or the
	// baseline fewer than MinTraces traces): "too small to judge", and
	// nothing below is set.
	Judged bool
	// Ratio and SelfRatio are duration and self time over their p50
	// (0 when the p50 is 0).
	Ratio, SelfRatio float64
	// Slow and SlowSelf: over the p99 and at least UnusualRatio times the
	// p50 and MinExcessNs beyond it. RareError: failed where the
	// operation seldom fails.
	Slow, SlowSelf, RareError bool
	// Score ranks unusual spans: self time over its p50 (floored at
	// RatioFloorNs), so a parent slowed only by a child ranks below the
	// child; a rare error counts at least UnusualRatio.
	Score float64
}

// Unusual reports whether the span is far outside its baseline.
func (s *SpanScore) Unusual() bool { return s.Slow || s.SlowSelf || s.RareError }

// StructureKind is how the open trace's shape differs from the baseline.
type StructureKind uint8

const (
	// Extra: an operation the baseline rarely has (a retry, a fallback).
	Extra StructureKind = iota
	// Count: an operation both have, this trace at least twice as often
	// or at most half as often as typical (7 DB calls where it has 1).
	Count
	// Missing: an operation nearly every baseline trace has and this
	// trace lacks.
	Missing
)

// Structure is one difference in shape.
type Structure struct {
	Op
	Kind     StructureKind
	Count    int     // in the open trace
	Typical  int     // median per baseline trace
	Presence float64 // share of baseline traces with the operation
}

// Result is the open trace against its baseline.
type Result struct {
	Baseline *Baseline
	// Spans is one score per node of the open tree, in tree order.
	Spans []SpanScore
	// Unusual are indices into Spans of the unusual spans, most unusual
	// first.
	Unusual []int
	// Structure is empty when the baseline is too small to judge.
	Structure []Structure
}

// Judged reports whether the baseline had enough traces (MinTraces);
// when not, the page says "too small to judge" and shows no marks.
func (r *Result) Judged() bool { return r.Baseline.Judged() }

// Compare scores open against the baseline of similar (the open trace
// itself, by ID, and nil trees are left out of it).
func Compare(open *trace.TraceTree, similar []*trace.TraceTree) *Result {
	others := make([]*trace.TraceTree, 0, len(similar))
	for _, t := range similar {
		if t != nil && (open.Trace == nil || t.Trace == nil || t.Trace.ID != open.Trace.ID) {
			others = append(others, t)
		}
	}
	b := Build(others)
	r := &Result{Baseline: b, Spans: make([]SpanScore, len(open.Nodes))}
	counts := map[Op]int{}
	for i := range open.Nodes {
		nd := &open.Nodes[i]
		s := SpanScore{Node: i, Op: OpOf(nd.Span), DurationNs: nd.EndNs() - nd.StartNs(), SelfNs: nd.SelfNs, Base: b.Ops[OpOf(nd.Span)]}
		counts[s.Op]++
		if b.Judged() && s.Base.Judged() {
			score(&s, nd.Span.Status == datasources.StatusError)
			if s.Unusual() {
				r.Unusual = append(r.Unusual, i)
			}
		}
		r.Spans[i] = s
	}
	sort.SliceStable(r.Unusual, func(x, y int) bool {
		a, c := &r.Spans[r.Unusual[x]], &r.Spans[r.Unusual[y]]
		if a.Score != c.Score {
			return a.Score > c.Score
		}
		return a.Ratio > c.Ratio
	})
	if b.Judged() {
		r.Structure = structure(counts, b)
	}
	return r
}

func score(s *SpanScore, failed bool) {
	o := s.Base
	s.Judged = true
	s.Ratio, s.SelfRatio = ratio(s.DurationNs, o.P50Ns), ratio(s.SelfNs, o.SelfP50Ns)
	far := func(v, p50, p99 int64) bool {
		return v > p99 && v-p50 >= MinExcessNs && float64(v) >= UnusualRatio*float64(p50)
	}
	s.Slow = far(s.DurationNs, o.P50Ns, o.P99Ns)
	s.SlowSelf = far(s.SelfNs, o.SelfP50Ns, o.SelfP99Ns)
	s.RareError = failed && o.ErrorShare() < RareErrorShare
	s.Score = float64(s.SelfNs) / float64(max(o.SelfP50Ns, RatioFloorNs))
	if s.RareError {
		s.Score = max(s.Score, UnusualRatio)
	}
}

func ratio(v, p50 int64) float64 {
	if p50 <= 0 {
		return 0
	}
	return float64(v) / float64(p50)
}

// structure lists extra operations, then differing counts, then missing
// ones, each by service and name.
func structure(counts map[Op]int, b *Baseline) []Structure {
	var out []Structure
	for op, n := range counts {
		o := b.Ops[op]
		switch {
		case o == nil:
			out = append(out, Structure{Op: op, Kind: Extra, Count: n})
		case o.Presence() < RarePresence:
			out = append(out, Structure{Op: op, Kind: Extra, Count: n, Typical: o.TypicalCount(), Presence: o.Presence()})
		case o.TypicalCount() >= 1 && (n >= 2*o.TypicalCount() || 2*n <= o.TypicalCount()):
			out = append(out, Structure{Op: op, Kind: Count, Count: n, Typical: o.TypicalCount(), Presence: o.Presence()})
		}
	}
	for op, o := range b.Ops {
		if counts[op] == 0 && o.Presence() >= UsualPresence {
			out = append(out, Structure{Op: op, Kind: Missing, Typical: o.TypicalCount(), Presence: o.Presence()})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Kind != out[j].Kind {
			return out[i].Kind < out[j].Kind
		}
		if out[i].Service != out[j].Service {
			return out[i].Service < out[j].Service
		}
		return out[i].Name < out[j].Name
	})
	return out
}
