package baseline

import (
	"slices"
	"sort"

	"github.com/ariadne-dev/ariadne/correlation/trace"
	"github.com/ariadne-dev/ariadne/datasources"
)

// Op is an operation: a service and a span name.
type Op struct{ Service, Name string }

// OpOf is the operation of a span.
func OpOf(s *datasources.Span) Op { return Op{s.Service(), s.Name} }

// The samples below which nothing is judged.
const (
	// MinTraces is the fewest baseline traces for any judgement of a
	// trace against them (structure, per-span scores).
	MinTraces = 5
	// MinSpans is the fewest baseline spans of one operation for a span
	// of that operation to be scored.
	MinSpans = 5
)

// OpBaseline is one operation's figures over the baseline traces.
type OpBaseline struct {
	Op
	Spans  int // spans of this operation in the baseline
	Traces int // baseline traces with at least one
	// Duration and self time quantiles (nearest rank), nanoseconds.
	P50Ns, P99Ns         int64
	SelfP50Ns, SelfP99Ns int64
	Errors               int
	// Counts is the per-trace count of this operation in each baseline
	// trace, zeros included, sorted.
	Counts []int
}

// ErrorShare is the share of its spans that failed.
func (o *OpBaseline) ErrorShare() float64 {
	if o.Spans == 0 {
		return 0
	}
	return float64(o.Errors) / float64(o.Spans)
}

// Presence is the share of baseline traces with this operation.
func (o *OpBaseline) Presence() float64 {
	if len(o.Counts) == 0 {
		return 0
	}
	return float64(o.Traces) / float64(len(o.Counts))
}

// TypicalCount is the median count per baseline trace, zeros included.
func (o *OpBaseline) TypicalCount() int {
	if len(o.Counts) == 0 {
		return 0
	}
	return o.Counts[(len(o.Counts)-1)/2]
}

// Judged reports whether the operation has enough spans to score against.
func (o *OpBaseline) Judged() bool { return o != nil && o.Spans >= MinSpans }

// Baseline is every operation's figures over a set of traces.
type Baseline struct {
	Traces int
	Ops    map[Op]*OpBaseline
}

// Judged reports whether there are enough traces to judge against.
func (b *Baseline) Judged() bool { return b.Traces >= MinTraces }

// Build computes the baseline of trees (nil trees are skipped).
func Build(trees []*trace.TraceTree) *Baseline {
	b := &Baseline{Ops: map[Op]*OpBaseline{}}
	durs, selfs := map[Op][]int64{}, map[Op][]int64{}
	var perTrace []map[Op]int
	for _, t := range trees {
		if t == nil || len(t.Nodes) == 0 {
			continue
		}
		counts := map[Op]int{}
		for i := range t.Nodes {
			nd := &t.Nodes[i]
			op := OpOf(nd.Span)
			o := b.Ops[op]
			if o == nil {
				o = &OpBaseline{Op: op}
				b.Ops[op] = o
			}
			o.Spans++
			if nd.Span.Status == datasources.StatusError {
				o.Errors++
			}
			if counts[op] == 0 {
				o.Traces++
			}
			counts[op]++
			durs[op] = append(durs[op], nd.EndNs()-nd.StartNs())
			selfs[op] = append(selfs[op], nd.SelfNs)
		}
		perTrace = append(perTrace, counts)
	}
	b.Traces = len(perTrace)
	for op, o := range b.Ops {
		o.P50Ns, o.P99Ns = quantiles(durs[op])
		o.SelfP50Ns, o.SelfP99Ns = quantiles(selfs[op])
		o.Counts = make([]int, len(perTrace))
		for i, c := range perTrace {
			o.Counts[i] = c[op]
		}
		sort.Ints(o.Counts)
	}
	return b
}

// quantiles are the nearest-rank p50 and p99 of xs (sorted in place).
func quantiles(xs []int64) (p50, p99 int64) {
	if len(xs) == 0 {
		return 0, 0
	}
	slices.Sort(xs)
	return nearestRank(xs, 50), nearestRank(xs, 99)
}

func nearestRank(sorted []int64, p int) int64 {
	r := (p*len(sorted) + 99) / 100 // ceil(p/100 · n)
	return sorted[max(r, 1)-1]
}
