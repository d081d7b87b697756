package chart

import (
	"math"
	"slices"

	"github.com/ariadne-dev/ariadne/datasources"
)

// Spike is a stretch of a series well above its calm level.
type Spike struct {
	FromMs, ToMs int64 // the shaded window: half a step either side of its points
	PeakMs       int64
	Peak         float64
}

// SpikeStats are the figures a series' spikes were judged by.
type SpikeStats struct {
	Baseline  float64 // the calm level
	Noise     float64 // the point-to-point noise, as a standard deviation
	Threshold float64 // a point above this is anomalous
}

// Spike detection parameters (see FindSpikes).
const (
	spikeMinPoints = 8   // fewer finite points cannot tell a spike from noise
	spikeNoiseK    = 6.0 // how many noise deviations above the calm level
	spikeRelative  = 0.5 // and at least this much above it (50 % slower)
)

// FindSpikes finds the windows where points (in time order, step apart)
// rise well above the series' calm level over the visible range. It uses
// robust statistics only, so the spikes themselves do not hide the spikes:
//
//   - The calm level is the median of the lower half of the finite values
//     (their 25th percentile). A plain median would be the spike's own
//     level once a spike fills half the view, which a one-minute spike in
//     a two-minute view does; this one stays calm until spikes fill three
//     quarters of it. Latency spikes go up, never down, so the lower half
//     is where the calm is.
//   - The noise is the median absolute difference between neighbouring
//     points (×1.4826/√2, a standard deviation for Gaussian noise). A spike
//     adds only two large differences, at its edges, so it barely moves
//     this estimate, unlike a MAD around the level, which counts every
//     point of the spike as spread.
//   - A point is anomalous above calm + max(6 × noise, 50 % of calm): far
//     outside the noise, and large enough to matter to a user (a flat
//     series with no noise would otherwise flag any wobble).
//   - Consecutive anomalous points form one spike; a single calm point
//     between two anomalous ones does not split it (a noisy plateau is one
//     spike). NaN and ±Inf are gaps: ignored by the statistics, and they
//     end a spike, as does a missing point (a jump of more than 1.5 steps).
//
// Fewer than 8 finite points give no spikes: there is no calm to compare
// against.
func FindSpikes(points []datasources.Point, stepMs int64) ([]Spike, SpikeStats) {
	vals := make([]float64, 0, len(points))
	for _, p := range points {
		if finite(p.V) {
			vals = append(vals, p.V)
		}
	}
	if len(vals) < spikeMinPoints {
		return nil, SpikeStats{Baseline: math.NaN(), Noise: math.NaN(), Threshold: math.NaN()}
	}
	st := spikeStats(points, vals)
	if stepMs <= 0 {
		stepMs = 1
	}

	var out []Spike
	var cur *Spike
	lastAnom := -1 // index of the last anomalous point of cur
	calmRun := 0   // calm points since it
	end := func() {
		if cur != nil {
			cur.ToMs = points[lastAnom].TMs + stepMs/2
			out = append(out, *cur)
			cur = nil
		}
	}
	prevT := int64(math.MinInt64)
	for i, p := range points {
		if !finite(p.V) {
			end()
			prevT = p.TMs
			continue
		}
		if cur != nil && prevT != math.MinInt64 && p.TMs-prevT > stepMs*3/2 {
			end()
		}
		prevT = p.TMs
		if p.V <= st.Threshold {
			calmRun++
			if calmRun > 1 {
				end()
			}
			continue
		}
		calmRun = 0
		if cur == nil {
			cur = &Spike{FromMs: p.TMs - stepMs/2, PeakMs: p.TMs, Peak: p.V}
		}
		if p.V > cur.Peak {
			cur.Peak, cur.PeakMs = p.V, p.TMs
		}
		lastAnom = i
	}
	end()
	return out, st
}

// SeriesSpikes are a series' spikes as a chart shades them: found by
// FindSpikes, overlapping ones merged into one band.
func SeriesSpikes(points []datasources.Point, stepMs int64) []Spike {
	found, _ := FindSpikes(points, stepMs)
	return mergeSpikes(found, stepMs)
}

func spikeStats(points []datasources.Point, vals []float64) SpikeStats {
	sorted := slices.Clone(vals)
	slices.Sort(sorted)
	baseline := median(sorted[:(len(sorted)+1)/2])

	diffs := make([]float64, 0, len(points))
	prev := math.NaN()
	for _, p := range points {
		if !finite(p.V) {
			prev = math.NaN()
			continue
		}
		if !math.IsNaN(prev) {
			diffs = append(diffs, math.Abs(p.V-prev))
		}
		prev = p.V
	}
	noise := 0.0
	if len(diffs) > 0 {
		slices.Sort(diffs)
		noise = median(diffs) * 1.4826 / math.Sqrt2
	}
	margin := math.Max(spikeNoiseK*noise, spikeRelative*math.Abs(baseline))
	return SpikeStats{Baseline: baseline, Noise: noise, Threshold: baseline + margin}
}

// median of sorted values.
func median(sorted []float64) float64 {
	n := len(sorted)
	if n == 0 {
		return math.NaN()
	}
	if n%2 == 1 {
		return sorted[n/2]
	}
	return (sorted[n/2-1] + sorted[n/2]) / 2
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
