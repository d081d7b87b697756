package chart

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/ariadne-dev/ariadne/correlation/query"
)

// Tick is one labelled mark on an axis, at Pos in chart units.
type Tick struct {
	Pos   float64
	Label string
}

// timeTickSteps are the spacings a time axis may use, each aligned to the
// viewer's wall clock (a 15m tick falls on :00, :15, :30, :45).
var timeTickSteps = []time.Duration{
	time.Second, 2 * time.Second, 5 * time.Second, 10 * time.Second, 15 * time.Second, 30 * time.Second,
	time.Minute, 2 * time.Minute, 5 * time.Minute, 10 * time.Minute, 15 * time.Minute, 30 * time.Minute,
	time.Hour, 2 * time.Hour, 3 * time.Hour, 6 * time.Hour, 12 * time.Hour,
	24 * time.Hour, 2 * 24 * time.Hour, 7 * 24 * time.Hour, 14 * 24 * time.Hour, 30 * 24 * time.Hour,
}

// TimeTicks returns ticks for [from, to] in loc, at most maxTicks of them,
// at the smallest round spacing that fits. Labels are wall-clock times in
// loc ("15:04", with seconds when the spacing is under a minute); a tick
// that starts a new day, and every tick of a spacing of a day or more,
// shows the date instead. pos maps a time to chart units.
func TimeTicks(from, to time.Time, loc *time.Location, maxTicks int, pos func(time.Time) float64) []Tick {
	if !from.Before(to) || maxTicks < 1 {
		return nil
	}
	window := to.Sub(from)
	step := timeTickSteps[len(timeTickSteps)-1]
	for _, s := range timeTickSteps {
		if int(window/s) <= maxTicks {
			step = s
			break
		}
	}
	layout := "15:04"
	if step < time.Minute {
		layout = "15:04:05"
	}
	var ticks []Tick
	t := alignUp(from.In(loc), step)
	prevDay := from.In(loc).YearDay()
	for ; !t.After(to); t = nextTick(t, step) {
		label := t.Format(layout)
		if step >= 24*time.Hour || (t.YearDay() != prevDay && t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0) {
			label = t.Format("Jan 2")
		}
		prevDay = t.YearDay()
		ticks = append(ticks, Tick{Pos: pos(t), Label: label})
	}
	return ticks
}

// alignUp returns the first wall-clock multiple of step at or after t, in
// t's location: whole days start at local midnight; shorter steps count
// from the local midnight of t's day, so ticks sit on round local times
// whatever the zone's offset.
func alignUp(t time.Time, step time.Duration) time.Time {
	if step >= 24*time.Hour {
		d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
		if d.Before(t) {
			d = d.AddDate(0, 0, 1)
		}
		return d
	}
	midnight := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
	since := t.Sub(midnight)
	n := (since + step - 1) / step
	return midnight.Add(n * step)
}

func nextTick(t time.Time, step time.Duration) time.Time {
	if step >= 24*time.Hour {
		return t.AddDate(0, 0, int(step/(24*time.Hour)))
	}
	next := t.Add(step)
	// Across midnight, restart the count from the new day so ticks stay on
	// round local times (3h ticks are 00, 03, 06... every day).
	if next.Day() != t.Day() {
		return alignUp(next, step)
	}
	return next
}

// Unit is what a series' values measure, as the value axis shows it.
type Unit int

const (
	UnitNone    Unit = iota
	UnitSeconds      // shown as µs, ms or s
	UnitBytes        // shown as B, KiB, MiB, GiB
)

// UnitOf guesses the unit of a query's values from Prometheus's naming
// conventions (the base unit is the name's suffix): a histogram_quantile or
// rate over *_seconds is in seconds, *_bytes in bytes. A count or rate of
// a histogram (…_count, …_bucket without histogram_quantile) is not.
func UnitOf(q string) Unit {
	for _, sel := range query.Selectors(q) {
		name := sel.Metric
		quantile := strings.Contains(q, "histogram_quantile")
		switch {
		case strings.HasSuffix(name, "_seconds"), strings.HasSuffix(name, "_seconds_sum"),
			quantile && strings.HasSuffix(name, "_seconds_bucket"):
			return UnitSeconds
		case strings.HasSuffix(name, "_bytes"), quantile && strings.HasSuffix(name, "_bytes_bucket"):
			return UnitBytes
		}
	}
	return UnitNone
}

// ValueAxis is a linear value scale with round ticks.
type ValueAxis struct {
	Min, Max float64 // the scale's ends, tick-aligned
	Ticks    []float64
	// Scale and Suffix display a value: v*Scale then Suffix (" ms").
	Scale  float64
	Suffix string
	digits int
}

// NewValueAxis covers [lo, hi] with about n round ticks. The scale starts
// at zero for non-negative data (a latency graph that does not start at
// zero exaggerates every wobble). The display unit follows the largest
// tick: 0.25 seconds reads "250 ms".
func NewValueAxis(lo, hi float64, n int, unit Unit) ValueAxis {
	if math.IsNaN(lo) || math.IsNaN(hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) || lo > hi {
		lo, hi = 0, 1
	}
	if lo > 0 {
		lo = 0
	}
	if hi == lo {
		if hi == 0 {
			hi = 1
		} else {
			hi = lo + math.Abs(lo)
		}
	}
	if n < 2 {
		n = 2
	}
	// Round steps are round in the unit shown: 0.25 s reads as 250 ms, and
	// a MiB axis steps by whole MiB, not by 10^6 bytes.
	scale, suffix := displayUnit(math.Max(math.Abs(lo), math.Abs(hi)), unit)
	step := niceNumber((hi-lo)*scale/float64(n-1)) / scale
	a := ValueAxis{Min: math.Floor(lo/step+1e-9) * step, Max: math.Ceil(hi/step-1e-9) * step, Scale: scale, Suffix: suffix}
	for i := 0; ; i++ {
		v := a.Min + float64(i)*step
		if v > a.Max+step/2 {
			break
		}
		a.Ticks = append(a.Ticks, roundTo(v, step))
	}
	a.digits = decimals(step * scale)
	return a
}

// decimals is how many decimals show x exactly (0.25 needs 2, 500 none).
func decimals(x float64) int {
	for d := 0; d < 9; d++ {
		p := x * math.Pow(10, float64(d))
		if math.Abs(p-math.Round(p)) < 1e-6*math.Max(1, p) {
			return d
		}
	}
	return 9
}

// Label formats a tick value.
func (a ValueAxis) Label(v float64) string {
	return strconv.FormatFloat(v*a.Scale, 'f', a.digits, 64) + a.Suffix
}

// FormatValue shows one value with its own unit and three significant
// digits, as a tooltip does: 0.0875 seconds is "87.5 ms".
func FormatValue(v float64, unit Unit) string {
	switch {
	case math.IsNaN(v):
		return "NaN"
	case math.IsInf(v, 1):
		return "+Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	}
	scale, suffix := displayUnit(math.Abs(v), unit)
	s := strconv.FormatFloat(v*scale, 'g', 3, 64)
	if strings.ContainsAny(s, "e") {
		s = strconv.FormatFloat(v*scale, 'f', 0, 64)
	}
	return s + suffix
}

// displayUnit picks the multiplier and suffix that make mag readable.
func displayUnit(mag float64, unit Unit) (float64, string) {
	switch unit {
	case UnitSeconds:
		switch {
		case mag == 0 || mag >= 1:
			return 1, " s"
		case mag >= 1e-3:
			return 1e3, " ms"
		default:
			return 1e6, " µs"
		}
	case UnitBytes:
		switch {
		case mag >= 1<<30:
			return 1.0 / (1 << 30), " GiB"
		case mag >= 1<<20:
			return 1.0 / (1 << 20), " MiB"
		case mag >= 1<<10:
			return 1.0 / (1 << 10), " KiB"
		default:
			return 1, " B"
		}
	}
	switch {
	case mag >= 1e9:
		return 1e-9, "G"
	case mag >= 1e6:
		return 1e-6, "M"
	case mag >= 1e4:
		return 1e-3, "k"
	}
	return 1, ""
}

// niceNumber rounds x to 1, 2 or 5 times a power of ten, whichever is
// nearest (Heckbert's "nice numbers for graph labels").
func niceNumber(x float64) float64 {
	if x <= 0 || math.IsNaN(x) || math.IsInf(x, 0) {
		return 1
	}
	exp := math.Floor(math.Log10(x))
	f := x / math.Pow(10, exp)
	var nf float64
	switch {
	case f < 1.5:
		nf = 1
	case f < 3:
		nf = 2
	case f < 7:
		nf = 5
	default:
		nf = 10
	}
	return nf * math.Pow(10, exp)
}

// roundTo removes the float error of repeated additions (0.30000000000000004).
func roundTo(v, step float64) float64 {
	return math.Round(v/step*1e6) / 1e6 * step
}
