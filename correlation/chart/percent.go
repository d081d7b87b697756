package chart

import "strconv"

// DurationTicks picks 4–8 round offsets across a span of total ns (a
// trace's waterfall axis).
func DurationTicks(total int64) []int64 {
	if total <= 0 {
		return []int64{0}
	}
	// Steps of 1, 2 and 5 times a power of ten, the smallest that gives
	// at most eight ticks.
	step := int64(1)
	for mult := 0; step*8 < total; mult = (mult + 1) % 3 {
		if mult == 1 {
			step = step / 2 * 5
		} else {
			step *= 2
		}
	}
	var out []int64
	for x := int64(0); x <= total; x += step {
		out = append(out, x)
	}
	return out
}

// Percent is part of total as a CSS/SVG percentage ("12.50%").
func Percent(part, total int64) string {
	if total <= 0 {
		return "0%"
	}
	return percent(100 * float64(part) / float64(total))
}

// PercentMin is Percent with a floor, so a 1 µs span in a 10 s trace still shows.
func PercentMin(part, total int64) string {
	if total <= 0 {
		return "100%"
	}
	return percent(max(100*float64(part)/float64(total), 0.15))
}

// percent writes p with two decimals and a % sign in one allocation: it
// runs twice per waterfall row.
func percent(p float64) string {
	var buf [24]byte
	return string(append(strconv.AppendFloat(buf[:0], p, 'f', 2, 64), '%'))
}
