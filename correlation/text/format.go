package text

import (
	"strconv"
	"time"
)

// FormatDuration renders a duration the way latency is read: three
// significant digits and the largest unit that keeps the number ≥ 1
// ("850 µs", "12.3 ms", "1.24 s", "2m 5s").
func FormatDuration(d time.Duration) string {
	// Built in one buffer: this runs for every row of a large waterfall.
	var buf [32]byte
	b := buf[:0]
	if d < 0 {
		b = append(b, '-')
		d = -d
	}
	switch {
	case d < time.Microsecond:
		b = append(strconv.AppendInt(b, int64(d), 10), " ns"...)
	// Thresholds sit where three digits would round up to 1000.
	case d < 999500*time.Nanosecond:
		b = append(appendSig3(b, float64(d)/1e3), " µs"...)
	case d < 999500*time.Microsecond:
		b = append(appendSig3(b, float64(d)/1e6), " ms"...)
	case d < time.Minute:
		b = append(appendSig3(b, float64(d)/1e9), " s"...)
	case d < time.Hour:
		b = strconv.AppendInt(b, int64(d/time.Minute), 10)
		b = append(b, "m "...)
		b = append(strconv.AppendInt(b, int64(d%time.Minute/time.Second), 10), 's')
	default:
		b = strconv.AppendInt(b, int64(d/time.Hour), 10)
		b = append(b, "h "...)
		b = append(strconv.AppendInt(b, int64(d%time.Hour/time.Minute), 10), 'm')
	}
	return string(b)
}

// appendSig3 appends v (≥ 1, < 1000) with three significant digits.
func appendSig3(b []byte, v float64) []byte {
	switch {
	case v >= 99.95:
		return strconv.AppendFloat(b, v, 'f', 0, 64)
	case v >= 9.995:
		return strconv.AppendFloat(b, v, 'f', 1, 64)
	default:
		return strconv.AppendFloat(b, v, 'f', 2, 64)
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

// FormatTime writes a moment as people quote it, in loc (UTC when nil):
// "2026-12-01 08:47:20 CET", with milliseconds when it has them.
func FormatTime(t time.Time, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	t = t.In(loc)
	if t.Nanosecond()/1e6 != 0 {
		return t.Format("2006-01-02 15:04:05.000 MST")
	}
	return t.Format("2006-01-02 15:04:05 MST")
}
