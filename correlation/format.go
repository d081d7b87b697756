package correlation

import (
	"strconv"
	"time"
)

// FormatDuration renders a duration the way latency is read: three
// significant digits and the largest unit that keeps the number ≥ 1
// ("850 µs", "12.3 ms", "1.24 s", "2m 5s").
func FormatDuration(d time.Duration) string {
	neg := d < 0
	if neg {
		d = -d
	}
	var s string
	switch {
	case d < time.Microsecond:
		s = strconv.FormatInt(int64(d), 10) + " ns"
	// Thresholds sit where three digits would round up to 1000.
	case d < 999500*time.Nanosecond:
		s = sig3(float64(d)/1e3) + " µs"
	case d < 999500*time.Microsecond:
		s = sig3(float64(d)/1e6) + " ms"
	case d < time.Minute:
		s = sig3(float64(d)/1e9) + " s"
	case d < time.Hour:
		s = strconv.Itoa(int(d/time.Minute)) + "m " + strconv.Itoa(int(d%time.Minute/time.Second)) + "s"
	default:
		s = strconv.Itoa(int(d/time.Hour)) + "h " + strconv.Itoa(int(d%time.Hour/time.Minute)) + "m"
	}
	if neg {
		return "-" + s
	}
	return s
}

// sig3 formats v (≥ 1, < 1000) with three significant digits.
func sig3(v float64) string {
	switch {
	case v >= 99.95:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case v >= 9.995:
		return strconv.FormatFloat(v, 'f', 1, 64)
	default:
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
}

// FormatAgo says how long before now t was ("just now", "5 min ago",
// "3 h ago", "2 days ago"); a future t is "in the future".
func FormatAgo(t, now time.Time) string {
	d := now.Sub(t)
	switch {
	case d < -time.Second:
		return "in the future"
	case d < 10*time.Second:
		return "just now"
	case d < time.Minute:
		return strconv.Itoa(int(d/time.Second)) + " s ago"
	case d < time.Hour:
		return strconv.Itoa(int(d/time.Minute)) + " min ago"
	case d < 48*time.Hour:
		return strconv.Itoa(int(d/time.Hour)) + " h ago"
	}
	return strconv.Itoa(int(d/(24*time.Hour))) + " days ago"
}
