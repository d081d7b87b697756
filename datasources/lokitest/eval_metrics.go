package lokitest

import (
	"math"
	"slices"
	"sort"
	"strings"
	"time"
)

// steps are the evaluation times of a metric query: start + k·step ≤ end.
type steps struct {
	start, step int64 // ns
	n           int
}

func (s steps) at(k int) int64 { return s.start + int64(k)*s.step }

type point struct {
	k int // step index
	v float64
}

// series is one metric series; points are sorted by k, absent steps
// (no logs in the window) have no point.
type series struct {
	labels []Label
	key    string
	points []point
}

// evalResult is a metric expression's value: a scalar or a set of series.
type evalResult struct {
	scalar bool
	v      float64
	series []*series
	stats  queryStats
}

func (s *Server) evalSample(tenant string, e sampleExpr, sp steps) *evalResult {
	switch e := e.(type) {
	case *literal:
		return &evalResult{scalar: true, v: e.v}
	case *vectorLit:
		ser := &series{labels: nil, key: "{}"}
		for k := range sp.n {
			ser.points = append(ser.points, point{k, e.v})
		}
		return &evalResult{series: []*series{ser}}
	case *rangeAgg:
		return s.evalRange(tenant, e, sp)
	case *vectorAgg:
		in := s.evalSample(tenant, e.inner, sp)
		if in.scalar {
			in = &evalResult{series: []*series{constSeries(in.v, sp)}, stats: in.stats}
		}
		return &evalResult{series: aggregate(e, in.series), stats: in.stats}
	case *binaryExpr:
		l, r := s.evalSample(tenant, e.l, sp), s.evalSample(tenant, e.r, sp)
		st := queryStats{lines: l.stats.lines + r.stats.lines, bytes: l.stats.bytes + r.stats.bytes}
		res := binary(e.op, l, r)
		res.stats = st
		return res
	}
	return &evalResult{}
}

func constSeries(v float64, sp steps) *series {
	ser := &series{key: "{}"}
	for k := range sp.n {
		ser.points = append(ser.points, point{k, v})
	}
	return ser
}

// evalRange counts (or sums the bytes of) the lines of each series in the
// window (t−d, t] at every step.
func (s *Server) evalRange(tenant string, e *rangeAgg, sp steps) *evalResult {
	d := int64(e.window)
	last := sp.at(sp.n - 1)
	snaps := s.store.read(tenant, e.log.matchers, sp.start-d+1, last+1)
	type raw struct {
		labels []Label
		ts     []int64
		bytes  []int64
	}
	byKey := map[string]*raw{}
	var st queryStats
	for _, sn := range snaps {
		for i := range sn.entries {
			en := &sn.entries[i]
			st.lines++
			st.bytes += int64(len(en.line))
			r := newRow(sn.stream, en)
			if !run(e.log.stages, r) {
				continue
			}
			ls := make([]Label, len(r.lbls))
			for j, l := range r.lbls {
				ls[j] = Label{l.name, l.value}
			}
			slices.SortFunc(ls, func(a, b Label) int { return strings.Compare(a.Name, b.Name) })
			key := labelsKey(ls)
			rw := byKey[key]
			if rw == nil {
				rw = &raw{labels: ls}
				byKey[key] = rw
			}
			rw.ts = append(rw.ts, en.ts)
			rw.bytes = append(rw.bytes, int64(len(r.line)))
		}
	}
	secs := time.Duration(d).Seconds()
	var out []*series
	for key, rw := range byKey {
		// drop/keep can merge streams, so times may be out of order.
		idx := make([]int, len(rw.ts))
		for i := range idx {
			idx[i] = i
		}
		sort.SliceStable(idx, func(a, b int) bool { return rw.ts[idx[a]] < rw.ts[idx[b]] })
		ts := make([]int64, len(idx))
		cum := make([]int64, len(idx)+1) // prefix sums of bytes
		for i, j := range idx {
			ts[i] = rw.ts[j]
			cum[i+1] = cum[i] + rw.bytes[j]
		}
		ser := &series{labels: rw.labels, key: key}
		for k := range sp.n {
			t := sp.at(k)
			lo := sort.Search(len(ts), func(i int) bool { return ts[i] > t-d })
			hi := sort.Search(len(ts), func(i int) bool { return ts[i] > t })
			if hi <= lo {
				continue
			}
			var v float64
			switch e.op {
			case "count_over_time":
				v = float64(hi - lo)
			case "rate":
				v = float64(hi-lo) / secs
			case "bytes_over_time":
				v = float64(cum[hi] - cum[lo])
			case "bytes_rate":
				v = float64(cum[hi]-cum[lo]) / secs
			}
			ser.points = append(ser.points, point{k, v})
		}
		if len(ser.points) > 0 {
			out = append(out, ser)
		}
	}
	sortSeries(out)
	return &evalResult{series: out, stats: st}
}

// sortSeries orders series as Prometheus' labels.Compare does: pairwise
// by name then value, a prefix first (so {} leads).
func sortSeries(ss []*series) {
	slices.SortFunc(ss, func(a, b *series) int {
		for i := range min(len(a.labels), len(b.labels)) {
			if c := strings.Compare(a.labels[i].Name, b.labels[i].Name); c != 0 {
				return c
			}
			if c := strings.Compare(a.labels[i].Value, b.labels[i].Value); c != 0 {
				return c
			}
		}
		return len(a.labels) - len(b.labels)
	})
}

// groupLabels applies by/without to a series' labels.
func groupLabels(g grouping, ls []Label) []Label {
	var out []Label
	for _, l := range ls {
		in := slices.Contains(g.labels, l.Name)
		if g.without != in {
			out = append(out, l)
		}
	}
	return out
}

func aggregate(e *vectorAgg, in []*series) []*series {
	g := e.group
	if !g.set {
		g = grouping{set: true} // by (): one group
	}
	if e.op == "topk" || e.op == "bottomk" {
		return topk(e, g, in)
	}
	type acc struct {
		sum, min, max float64
		n             int
	}
	type group struct {
		labels []Label
		steps  map[int]*acc
	}
	groups := map[string]*group{}
	for _, s := range in {
		ls := groupLabels(g, s.labels)
		key := labelsKey(ls)
		gr := groups[key]
		if gr == nil {
			gr = &group{labels: ls, steps: map[int]*acc{}}
			groups[key] = gr
		}
		for _, p := range s.points {
			a := gr.steps[p.k]
			if a == nil {
				a = &acc{min: p.v, max: p.v}
				gr.steps[p.k] = a
			}
			a.sum += p.v
			a.n++
			a.min, a.max = math.Min(a.min, p.v), math.Max(a.max, p.v)
		}
	}
	var out []*series
	for key, gr := range groups {
		ser := &series{labels: gr.labels, key: key}
		for k, a := range gr.steps {
			var v float64
			switch e.op {
			case "sum":
				v = a.sum
			case "count":
				v = float64(a.n)
			case "avg":
				v = a.sum / float64(a.n)
			case "min":
				v = a.min
			case "max":
				v = a.max
			}
			ser.points = append(ser.points, point{k, v})
		}
		slices.SortFunc(ser.points, func(a, b point) int { return a.k - b.k })
		out = append(out, ser)
	}
	sortSeries(out)
	return out
}

// topk keeps, at each step and within each group, the k series with the
// highest (bottomk: lowest) values; the series keep all their labels.
func topk(e *vectorAgg, g grouping, in []*series) []*series {
	type cand struct {
		s *series
		v float64
	}
	chosen := map[*series][]point{}
	perStep := map[string]map[int][]cand{}
	for _, s := range in {
		gk := labelsKey(groupLabels(g, s.labels))
		if perStep[gk] == nil {
			perStep[gk] = map[int][]cand{}
		}
		for _, p := range s.points {
			perStep[gk][p.k] = append(perStep[gk][p.k], cand{s, p.v})
		}
	}
	for _, bySteps := range perStep {
		for k, cs := range bySteps {
			slices.SortStableFunc(cs, func(a, b cand) int {
				if e.op == "bottomk" {
					a, b = b, a
				}
				switch {
				case a.v > b.v:
					return -1
				case a.v < b.v:
					return 1
				}
				return 0
			})
			for _, c := range cs[:min(e.param, len(cs))] {
				chosen[c.s] = append(chosen[c.s], point{k, c.v})
			}
		}
	}
	var out []*series
	for s, pts := range chosen {
		slices.SortFunc(pts, func(a, b point) int { return a.k - b.k })
		out = append(out, &series{labels: s.labels, key: s.key, points: pts})
	}
	sortSeries(out)
	return out
}

func applyOp(op string, a, b float64) float64 {
	switch op {
	case "+":
		return a + b
	case "-":
		return a - b
	case "*":
		return a * b
	case "/":
		return a / b
	default:
		return math.Mod(a, b)
	}
}

// binary applies an arithmetic operator; vectors match one-to-one on
// identical label sets.
func binary(op string, l, r *evalResult) *evalResult {
	switch {
	case l.scalar && r.scalar:
		return &evalResult{scalar: true, v: applyOp(op, l.v, r.v)}
	case l.scalar || r.scalar:
		vec, sc, scalarLeft := r, l.v, true
		if r.scalar {
			vec, sc, scalarLeft = l, r.v, false
		}
		out := make([]*series, len(vec.series))
		for i, s := range vec.series {
			ns := &series{labels: s.labels, key: s.key, points: make([]point, len(s.points))}
			for j, p := range s.points {
				if scalarLeft {
					ns.points[j] = point{p.k, applyOp(op, sc, p.v)}
				} else {
					ns.points[j] = point{p.k, applyOp(op, p.v, sc)}
				}
			}
			out[i] = ns
		}
		return &evalResult{series: out}
	}
	right := map[string]*series{}
	for _, s := range r.series {
		right[s.key] = s
	}
	var out []*series
	for _, ls := range l.series {
		rs := right[ls.key]
		if rs == nil {
			continue
		}
		rv := map[int]float64{}
		for _, p := range rs.points {
			rv[p.k] = p.v
		}
		ns := &series{labels: ls.labels, key: ls.key}
		for _, p := range ls.points {
			if v, ok := rv[p.k]; ok {
				ns.points = append(ns.points, point{p.k, applyOp(op, p.v, v)})
			}
		}
		if len(ns.points) > 0 {
			out = append(out, ns)
		}
	}
	return &evalResult{series: out}
}
