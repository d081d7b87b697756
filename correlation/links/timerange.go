package links

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Default range when the URL names none.
const (
	DefaultFrom = "now-1h"
	DefaultTo   = "now"
)

// TimeRange is a resolved [From, To] window plus the text it came from, so
// a relative view ("now-1h") reopens relative and an absolute one stays put.
type TimeRange struct {
	From, To       time.Time
	RawFrom, RawTo string
}

// Relative reports whether either bound moves with the clock.
func (r TimeRange) Relative() bool {
	return strings.HasPrefix(r.RawFrom, "now") || strings.HasPrefix(r.RawTo, "now")
}

// Duration is the window's length.
func (r TimeRange) Duration() time.Duration { return r.To.Sub(r.From) }

// Absolute returns the same window with RFC3339 UTC bounds, for saving.
func (r TimeRange) Absolute() TimeRange {
	// Whole seconds read well in a URL; rounding outwards keeps every
	// instant of the window inside it (a span ending at .09 s is not cut).
	from := r.From.Truncate(time.Second)
	to := r.To.Truncate(time.Second)
	if to.Before(r.To) {
		to = to.Add(time.Second)
	}
	return TimeRange{From: from, To: to,
		RawFrom: from.UTC().Format(time.RFC3339), RawTo: to.UTC().Format(time.RFC3339)}
}

// ParseTimeRange resolves from/to as written in a URL: RFC3339, unix
// seconds, or relative ("now", "now-15m", "now-2d", "now+5m"), and a
// plain "2026-12-01 08:47:20" read in UTC. Empty values take the
// defaults. from must be before to.
func ParseTimeRange(from, to string, now time.Time) (TimeRange, error) {
	return ParseTimeRangeIn(from, to, now, time.UTC)
}

// ParseTimeRangeIn is ParseTimeRange with plain times ("2026-12-01
// 08:47:20", as the range control shows them) read in loc, the viewer's
// zone.
func ParseTimeRangeIn(from, to string, now time.Time, loc *time.Location) (TimeRange, error) {
	from, to = strings.TrimSpace(from), strings.TrimSpace(to)
	if from == "" {
		from = DefaultFrom
	}
	if to == "" {
		to = DefaultTo
	}
	f, err := ParseTimeIn(from, now, loc)
	if err != nil {
		return TimeRange{}, fmt.Errorf("from: %w", err)
	}
	t, err := ParseTimeIn(to, now, loc)
	if err != nil {
		return TimeRange{}, fmt.Errorf("to: %w", err)
	}
	if !f.Before(t) {
		return TimeRange{}, fmt.Errorf("from (%s) must be before to (%s)", from, to)
	}
	return TimeRange{From: f, To: t, RawFrom: from, RawTo: to}, nil
}

// ParseTime resolves one bound. See ParseTimeRange.
func ParseTime(s string, now time.Time) (time.Time, error) { return ParseTimeIn(s, now, time.UTC) }

// plainLayouts are the zone-less forms a person types or the range
// control shows, read in the viewer's zone.
var plainLayouts = []string{"2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02T15:04:05", "2006-01-02T15:04"}

// ParseTimeIn resolves one bound, plain times read in loc.
func ParseTimeIn(s string, now time.Time, loc *time.Location) (time.Time, error) {
	if rest, ok := strings.CutPrefix(s, "now"); ok {
		if rest == "" {
			return now, nil
		}
		sign := rest[0]
		if sign != '-' && sign != '+' {
			return time.Time{}, fmt.Errorf("%q: expected now, now-<duration> or now+<duration>", s)
		}
		d, err := ParseDuration(rest[1:])
		if err != nil {
			return time.Time{}, fmt.Errorf("%q: %w", s, err)
		}
		if sign == '-' {
			d = -d
		}
		return now.Add(d), nil
	}
	if isDigits(s) {
		sec, err := strconv.ParseInt(s, 10, 64)
		if err != nil || sec > 1<<33 {
			return time.Time{}, fmt.Errorf("%q: unix seconds out of range", s)
		}
		return time.Unix(sec, 0).UTC(), nil
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), nil
	}
	for _, layout := range plainLayouts {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a time: use 2026-01-02 15:04:05, RFC3339 (2026-01-02T15:04:05Z), unix seconds, or now-1h", s)
}

// ClampToNow ends the window at now when it runs past it, and a window
// that then ends now reads as relative ("now-15m" … "now"), so it moves
// with the clock as one typed that way does. A window into the future
// shows the live edge as a fake drop to zero (no data yet), and a view
// shifted past now with "]" has nothing to show. One wholly in the future
// is left as it is: the page says there is no data.
func (r TimeRange) ClampToNow(now time.Time) TimeRange {
	if !r.To.After(now) || !r.From.Before(now) {
		return r
	}
	if r.RawTo == DefaultTo && strings.HasPrefix(r.RawFrom, "now") {
		return r // already relative and ending now
	}
	d := now.Sub(r.From).Round(time.Second)
	return TimeRange{From: now.Add(-d), To: now, RawFrom: "now-" + FormatDuration(d), RawTo: DefaultTo}
}

// FormatDuration writes d in the URL's duration syntax (the one
// ParseDuration reads): the largest unit that divides it, "15m", "2h",
// "3d", else Go's form ("1h30m").
func FormatDuration(d time.Duration) string {
	switch {
	case d >= 7*24*time.Hour && d%(7*24*time.Hour) == 0:
		return strconv.FormatInt(int64(d/(7*24*time.Hour)), 10) + "w"
	case d >= 24*time.Hour && d%(24*time.Hour) == 0:
		return strconv.FormatInt(int64(d/(24*time.Hour)), 10) + "d"
	case d >= time.Hour && d%time.Hour == 0:
		return strconv.FormatInt(int64(d/time.Hour), 10) + "h"
	case d >= time.Minute && d%time.Minute == 0:
		return strconv.FormatInt(int64(d/time.Minute), 10) + "m"
	}
	return d.String()
}

// Display is a bound as the range control shows it: relative text as it
// is, an absolute time as "2026-12-01 08:47:20" in loc.
func Display(raw string, t time.Time, loc *time.Location) string {
	if strings.HasPrefix(raw, "now") || raw == "" {
		return raw
	}
	return t.In(loc).Format("2006-01-02 15:04:05")
}

// ParseDuration extends time.ParseDuration with days and weeks ("2d", "1w"),
// which time pickers use and Go does not know.
func ParseDuration(s string) (time.Duration, error) {
	if s == "" {
		return 0, fmt.Errorf("missing duration")
	}
	if n, unit := s[:len(s)-1], s[len(s)-1]; (unit == 'd' || unit == 'w') && isDigits(n) {
		v, err := strconv.Atoi(n)
		if err != nil || v > 3650 {
			return 0, fmt.Errorf("duration %q too long", s)
		}
		day := 24 * time.Hour
		if unit == 'w' {
			day *= 7
		}
		return time.Duration(v) * day, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("bad duration %q", s)
	}
	if d < 0 {
		return 0, fmt.Errorf("bad duration %q", s)
	}
	return d, nil
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
