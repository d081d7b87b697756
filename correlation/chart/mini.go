package chart

import (
	"math"
	"strconv"

	"github.com/ariadne-dev/ariadne/datasources"
)

// A mini graph is the small line chart on an investigation card: a
// MiniWidth × MiniHeight box that the SVG stretches to the card's width,
// no axes, the y range written beside it.
const (
	MiniWidth  = 1000
	MiniHeight = 100
	miniTop    = 4  // room for the top stroke
	miniBottom = 96 // and the bottom one
)

// MiniInput is what a mini graph draws: series as stored in a snapshot
// (times in unix ms beside their values), an optional marked point (the
// pinned exemplar), and the pinned window, which is the x axis when set.
type MiniInput struct {
	Series []MiniSeries
	Mark   *MiniPoint
	// Exemplars are a pinned graph's exemplars, drawn as dots.
	Exemplars    []MiniPoint
	FromMs, ToMs int64 // both zero: the x axis is the data's extent
	MaxLines     int   // series past this many are not drawn
}

// MiniSeries is one stored series.
type MiniSeries struct {
	T []int64
	V []float64
}

// MiniPoint is one point in time and value.
type MiniPoint struct {
	TMs int64
	V   float64
}

// Mini is a laid-out mini graph.
type Mini struct {
	Paths        []string // SVG path data, one per drawn series, in input order
	MarkX, MarkY float64  // where Mark sits, when there is one
	Dots         []MiniDot
	// Bands are the drawn series' spikes, found as the main graph finds
	// them, as x ranges.
	Bands        []MiniBand
	Lo, Hi       float64 // the y range; Lo is at most 0
	FromMs, ToMs int64   // the x range
	Empty        bool    // nothing to draw at all
}

// MiniDot is where exemplar Index of the input sits.
type MiniDot struct {
	X, Y  float64
	Index int
}

// MiniBand is one spike of series Series, from X over W.
type MiniBand struct {
	X, W   float64
	Series int
}

// markWithoutData is the x range around a marked point when there is
// neither a pinned window nor data to span.
const markWithoutData = 60_000

// LayoutMini scales the input into the mini graph's box. Lines break at a
// gap (a missing step, NaN or ±Inf) as the main graph's do, with the
// step taken as the series' smallest interval.
func LayoutMini(in MiniInput) Mini {
	m := Mini{FromMs: in.FromMs, ToMs: in.ToMs}
	fixed := in.FromMs != 0 || in.ToMs != 0
	lo, hi := math.Inf(1), math.Inf(-1)
	n := 0
	for _, s := range in.Series {
		for i, t := range s.T {
			switch {
			case fixed:
			case n == 0:
				m.FromMs, m.ToMs = t, t
			default:
				m.FromMs, m.ToMs = min(m.FromMs, t), max(m.ToMs, t)
			}
			if v := s.V[i]; finite(v) {
				lo, hi = min(lo, v), max(hi, v)
			}
			n++
		}
	}
	if e := in.Mark; e != nil {
		lo, hi = min(lo, e.V), max(hi, e.V)
	}
	// Exemplars in the x range count for the y range (outside it they are
	// not drawn).
	for _, e := range in.Exemplars {
		if finite(e.V) && (fixed || n > 0) && e.TMs >= m.FromMs && e.TMs <= m.ToMs {
			lo, hi = min(lo, e.V), max(hi, e.V)
		}
	}
	if n == 0 {
		if in.Mark == nil {
			m.Empty = true
			return m
		}
		if !fixed {
			m.FromMs, m.ToMs = in.Mark.TMs-markWithoutData, in.Mark.TMs+markWithoutData
		}
	}
	if math.IsInf(lo, 1) { // only non-finite values
		lo, hi = 0, 1
	}
	lo = min(lo, 0)
	if hi <= lo {
		hi = lo + 1
	}
	if m.ToMs <= m.FromMs {
		m.ToMs = m.FromMs + 1
	}
	m.Lo, m.Hi = lo, hi
	x := func(t int64) float64 { return float64(t-m.FromMs) / float64(m.ToMs-m.FromMs) * MiniWidth }
	y := func(v float64) float64 { return miniBottom - (v-lo)/(hi-lo)*(miniBottom-miniTop) }
	var buf []byte
	var pts []datasources.Point
	for i, s := range in.Series {
		if in.MaxLines > 0 && i == in.MaxLines {
			break
		}
		pts = pts[:0]
		for j, t := range s.T {
			pts = append(pts, datasources.Point{TMs: t, V: s.V[j]})
		}
		step := smallestStep(s.T)
		buf = appendPath(buf[:0], pts, step, x, y)
		m.Paths = append(m.Paths, string(buf))
		for _, sp := range SeriesSpikes(pts, step) {
			from, to := max(sp.FromMs, m.FromMs), min(sp.ToMs, m.ToMs)
			if to > from {
				x0 := round1(x(from))
				m.Bands = append(m.Bands, MiniBand{X: x0, W: round1(max(x(to)-x0, 2)), Series: i})
			}
		}
	}
	if e := in.Mark; e != nil {
		m.MarkX, m.MarkY = round1(x(e.TMs)), round1(y(e.V))
	}
	for i, e := range in.Exemplars {
		if finite(e.V) && e.TMs >= m.FromMs && e.TMs <= m.ToMs {
			m.Dots = append(m.Dots, MiniDot{X: round1(x(e.TMs)), Y: round1(y(e.V)), Index: i})
		}
	}
	return m
}

// smallestStep is the smallest positive interval between times, or 0.
func smallestStep(ts []int64) int64 {
	var step int64
	for i := 1; i < len(ts); i++ {
		if d := ts[i] - ts[i-1]; d > 0 && (step == 0 || d < step) {
			step = d
		}
	}
	return step
}

// Coord writes a coordinate as the SVG attributes want it.
func Coord(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
