package chart

import (
	"math"
	"slices"
	"time"

	"github.com/ariadne-dev/ariadne/datasources"
)

// VolumeHeight is the height of the volume histogram in SVG user units;
// bars reach up to VolumeHeight-2 so the tallest keeps a margin.
const VolumeHeight = 90.0

// Volume is the geometry of a log volume histogram: one stacked bar per
// step, x in percent of the width, y in units of a VolumeHeight-high box.
type Volume struct {
	Bars   []VolumeBar
	Levels []string // the levels present, in stacking order
	Total  float64  // lines in the window
	Max    float64  // lines in the tallest bar
	Ticks  []Tick   // the time axis, Pos in percent
}

// VolumeBar is one step: the lines of (Start, End], stacked by level.
type VolumeBar struct {
	Start, End time.Time
	X, W       float64
	Parts      []VolumePart
}

// VolumePart is one level's share of a bar.
type VolumePart struct {
	Level string
	Count float64
	Y, H  float64
}

// VolumeLayout lays out per-level count series (a point at t counts the
// lines of (t-step, t]) over [from, to]. levels is the stacking order from
// the bottom; a series whose level is not in it counts under "". Bars are
// 80% of a step wide (at least 0.2%) and centred in it; time ticks are in
// loc.
func VolumeLayout(series []datasources.Series, level func(datasources.Series) string, levels []string, from, to time.Time, step time.Duration, loc *time.Location) Volume {
	type bucket struct {
		t      int64
		counts map[string]float64
		sum    float64
	}
	buckets := map[int64]*bucket{}
	present := map[string]bool{}
	var v Volume
	for _, s := range series {
		lvl := level(s)
		if !slices.Contains(levels, lvl) {
			lvl = ""
		}
		present[lvl] = true
		for _, p := range s.Points {
			if math.IsNaN(p.V) || math.IsInf(p.V, 0) {
				continue
			}
			b := buckets[p.TMs]
			if b == nil {
				b = &bucket{t: p.TMs, counts: map[string]float64{}}
				buckets[p.TMs] = b
			}
			b.counts[lvl] += p.V
			b.sum += p.V
			v.Total += p.V
		}
	}
	for _, b := range buckets {
		v.Max = max(v.Max, b.sum)
	}
	span := float64(to.Sub(from))
	pos := func(t time.Time) float64 { return 100 * float64(t.Sub(from)) / span }
	stepW := 100 * float64(step) / span
	barW := max(stepW*0.8, 0.2)
	keys := make([]int64, 0, len(buckets))
	for k := range buckets {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		b := buckets[k]
		end := time.UnixMilli(k)
		start := end.Add(-step)
		bar := VolumeBar{Start: start, End: end, X: max(pos(start)+(stepW-barW)/2, 0), W: barW}
		y := VolumeHeight
		for _, lvl := range levels {
			n := b.counts[lvl]
			if n == 0 {
				continue
			}
			h := (VolumeHeight - 2) * n / v.Max
			y -= h
			bar.Parts = append(bar.Parts, VolumePart{Level: lvl, Count: n, Y: y, H: h})
		}
		v.Bars = append(v.Bars, bar)
	}
	for _, lvl := range levels {
		if present[lvl] {
			v.Levels = append(v.Levels, lvl)
		}
	}
	v.Ticks = TimeTicks(from, to, loc, 8, pos)
	return v
}
