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
// seconds, or relative ("now", "now-15m", "now-2d", "now+5m"). Empty values
// take the defaults. from must be before to.
func ParseTimeRange(from, to string, now time.Time) (TimeRange, error) {
	from, to = strings.TrimSpace(from), strings.TrimSpace(to)
	if from == "" {
		from = DefaultFrom
	}
	if to == "" {
		to = DefaultTo
	}
	f, err := ParseTime(from, now)
	if err != nil {
		return TimeRange{}, fmt.Errorf("from: %w", err)
	}
	t, err := ParseTime(to, now)
	if err != nil {
		return TimeRange{}, fmt.Errorf("to: %w", err)
	}
	if !f.Before(t) {
		return TimeRange{}, fmt.Errorf("from (%s) must be before to (%s)", from, to)
	}
	return TimeRange{From: f, To: t, RawFrom: from, RawTo: to}, nil
}

// ParseTime resolves one bound. See ParseTimeRange.
func ParseTime(s string, now time.Time) (time.Time, error) {
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
	return time.Time{}, fmt.Errorf("%q is not a time: use RFC3339 (2026-01-02T15:04:05Z), unix seconds, or now-1h", s)
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
