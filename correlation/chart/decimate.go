package chart

import (
	"math"

	"github.com/ariadne-dev/ariadne/datasources"
)

// Decimate reduces points (in time order) for drawing over pixels columns
// between fromMs and toMs. Each column keeps its first, lowest, highest and
// last point, in time order (the "M4" reduction): a line through them
// draws exactly the pixels the full series would, so no peak is lost,
// which is the point of a latency graph.
//
// NaN and ±Inf values are kept: they are gaps for the drawing, and a gap
// must not be smoothed away. Points already sparse enough come back as is.
func Decimate(points []datasources.Point, fromMs, toMs int64, pixels int) []datasources.Point {
	if pixels < 1 || len(points) <= 4*pixels || toMs <= fromMs {
		return points
	}
	out := make([]datasources.Point, 0, 4*pixels+8)
	span := float64(toMs - fromMs)
	col := func(t int64) int {
		c := int(float64(t-fromMs) / span * float64(pixels))
		return max(-1, min(c, pixels)) // points outside the window share one column each side
	}
	for i := 0; i < len(points); {
		c := col(points[i].TMs)
		j := i
		first, last := i, i
		lo, hi := -1, -1
		for ; j < len(points) && col(points[j].TMs) == c; j++ {
			v := points[j].V
			if math.IsNaN(v) || math.IsInf(v, 0) {
				// A gap splits the column: flush what came before it and
				// keep the gap itself.
				out = appendColumn(out, points, first, lo, hi, j-1)
				out = append(out, points[j])
				first, lo, hi = j+1, -1, -1
				continue
			}
			if lo < 0 || v < points[lo].V {
				lo = j
			}
			if hi < 0 || v > points[hi].V {
				hi = j
			}
			last = j
		}
		out = appendColumn(out, points, first, lo, hi, last)
		i = j
	}
	return out
}

// appendColumn adds the distinct indexes among first, lo, hi, last in time
// order. lo < 0 means the run held no finite value.
func appendColumn(out []datasources.Point, points []datasources.Point, first, lo, hi, last int) []datasources.Point {
	if lo < 0 || first > last {
		return out
	}
	idx := [4]int{first, lo, hi, last}
	// Sort four indexes in place: tiny, no allocation.
	for a := 1; a < 4; a++ {
		for b := a; b > 0 && idx[b] < idx[b-1]; b-- {
			idx[b], idx[b-1] = idx[b-1], idx[b]
		}
	}
	prev := -1
	for _, k := range idx {
		if k != prev {
			out = append(out, points[k])
			prev = k
		}
	}
	return out
}
