package baseline

import (
	"sort"

	"github.com/ariadne-dev/ariadne/datasources"
)

// AttrValue is one attribute value as found on a trace's spans or its
// resources.
type AttrValue struct {
	Resource   bool // a resource (process) attribute, not a span's
	Key, Value string
}

// MaxRankedValueBytes: longer values (statements, payloads) are not
// ranked: they are unique to a trace and unreadable in a list.
const MaxRankedValueBytes = 200

// Values is the set of attribute values on tr's spans and resources,
// sorted, each once.
func Values(tr *datasources.Trace) []AttrValue {
	seen := map[AttrValue]bool{}
	add := func(res bool, as []datasources.Attribute) {
		for _, a := range as {
			if len(a.Value) <= MaxRankedValueBytes {
				seen[AttrValue{res, a.Key, a.Value}] = true
			}
		}
	}
	resources := map[*datasources.Resource]bool{}
	for i := range tr.Spans {
		s := &tr.Spans[i]
		add(false, s.Attributes())
		if r := s.Resource; r != nil && !resources[r] {
			resources[r] = true
			add(true, r.Attributes)
		}
	}
	out := make([]AttrValue, 0, len(seen))
	for v := range seen {
		out = append(out, v)
	}
	sort.Slice(out, func(i, j int) bool { return less(out[i], out[j]) })
	return out
}

func less(a, b AttrValue) bool {
	if a.Key != b.Key {
		return a.Key < b.Key
	}
	if a.Value != b.Value {
		return a.Value < b.Value
	}
	return !a.Resource && b.Resource
}

// The samples a ranking needs.
const (
	// MinRankTraces is the fewest traces on each side for a ranking.
	MinRankTraces = 5
	// MinSelected is the fewest selection traces a value must be on to be
	// ranked: a value on one trace (an order ID) says nothing shared.
	MinSelected = 2
)

// Ranked is one attribute value and how often each side has it.
type Ranked struct {
	AttrValue
	InSelection, InBaseline int     // traces with the value
	Selection, Baseline     float64 // those as shares of each side
}

// Lift is how much more often the selection has the value: the
// difference of the shares (0.92 − 0.11 = 0.81).
func (r Ranked) Lift() float64 { return r.Selection - r.Baseline }

// Ranking is the result of Rank.
type Ranking struct {
	SelectionTraces, BaselineTraces int
	// TooSmall is set when a side has fewer than MinRankTraces traces:
	// then Values is empty and the page says so.
	TooSmall bool
	Values   []Ranked
}

// Rank ranks the attribute values of the selection's traces (each trace's
// Values) by how much more often they occur there than in the baseline's:
// by Lift, largest first; ties by the larger selection share, then the
// smaller baseline share, then by key and value. Only values on at least
// MinSelected selection traces and more common there than in the
// baseline are kept, at most limit of them (0: all).
func Rank(selection, baseline [][]AttrValue, limit int) Ranking {
	r := Ranking{SelectionTraces: len(selection), BaselineTraces: len(baseline)}
	if len(selection) < MinRankTraces || len(baseline) < MinRankTraces {
		r.TooSmall = true
		return r
	}
	count := func(traces [][]AttrValue) map[AttrValue]int {
		m := map[AttrValue]int{}
		for _, vs := range traces {
			for _, v := range dedup(vs) {
				m[v]++
			}
		}
		return m
	}
	sel, base := count(selection), count(baseline)
	for v, n := range sel {
		if n < MinSelected {
			continue
		}
		x := Ranked{AttrValue: v, InSelection: n, InBaseline: base[v],
			Selection: float64(n) / float64(len(selection)), Baseline: float64(base[v]) / float64(len(baseline))}
		if x.Lift() > 0 {
			r.Values = append(r.Values, x)
		}
	}
	sort.Slice(r.Values, func(i, j int) bool {
		a, b := r.Values[i], r.Values[j]
		switch {
		case a.Lift() != b.Lift():
			return a.Lift() > b.Lift()
		case a.Selection != b.Selection:
			return a.Selection > b.Selection
		case a.Baseline != b.Baseline:
			return a.Baseline < b.Baseline
		}
		return less(a.AttrValue, b.AttrValue)
	})
	if limit > 0 && len(r.Values) > limit {
		r.Values = r.Values[:limit]
	}
	return r
}

// dedup drops repeats, so a trace counts once per value whatever its
// caller passed.
func dedup(vs []AttrValue) []AttrValue {
	seen := make(map[AttrValue]bool, len(vs))
	out := vs[:0:0]
	for _, v := range vs {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

// RankTraces is Rank over each trace's Values (nil traces are skipped).
func RankTraces(selection, baseline []*datasources.Trace, limit int) Ranking {
	values := func(trs []*datasources.Trace) [][]AttrValue {
		out := make([][]AttrValue, 0, len(trs))
		for _, tr := range trs {
			if tr != nil {
				out = append(out, Values(tr))
			}
		}
		return out
	}
	return Rank(values(selection), values(baseline), limit)
}
