package links

import (
	"strings"
	"testing"
	"time"
)

func TestParseTimeRange(t *testing.T) {
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name, from, to string
		wantFrom       time.Time
		wantTo         time.Time
		relative       bool
		err            string
	}{
		{name: "defaults", wantFrom: now.Add(-time.Hour), wantTo: now, relative: true},
		{name: "relative minutes", from: "now-15m", to: "now", wantFrom: now.Add(-15 * time.Minute), wantTo: now, relative: true},
		{name: "days", from: "now-2d", to: "now-1d", wantFrom: now.Add(-48 * time.Hour), wantTo: now.Add(-24 * time.Hour), relative: true},
		{name: "week", from: "now-1w", wantFrom: now.Add(-7 * 24 * time.Hour), wantTo: now, relative: true},
		{name: "future bound", from: "now-1h", to: "now+5m", wantFrom: now.Add(-time.Hour), wantTo: now.Add(5 * time.Minute), relative: true},
		{name: "rfc3339", from: "2026-11-26T10:00:00Z", to: "2026-11-26T11:30:00+01:00",
			wantFrom: time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC), wantTo: time.Date(2026, 11, 26, 10, 30, 0, 0, time.UTC)},
		{name: "unix seconds", from: "1795600000", to: "1795603600",
			wantFrom: time.Unix(1795600000, 0).UTC(), wantTo: time.Unix(1795603600, 0).UTC()},
		{name: "mixed", from: "1795600000", to: "now", wantFrom: time.Unix(1795600000, 0).UTC(), wantTo: now, relative: true},
		{name: "spaces trimmed", from: " now-1h ", to: " now", wantFrom: now.Add(-time.Hour), wantTo: now, relative: true},
		{name: "reversed", from: "now", to: "now-1h", err: "must be before"},
		{name: "equal", from: "1795600000", to: "1795600000", err: "must be before"},
		{name: "garbage", from: "yesterday", err: `from: "yesterday" is not a time`},
		{name: "bad relative", from: "now*1h", err: "expected now"},
		{name: "bad unit", from: "now-1y", err: "bad duration"},
		{name: "negative duration", from: "now--1h", err: "bad duration"},
		{name: "missing duration", from: "now-", err: "missing duration"},
		{name: "bad to", to: "2026-13-01T00:00:00Z", err: "to:"},
		{name: "huge unix", from: "99999999999999999999", err: "out of range"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := ParseTimeRange(tt.from, tt.to, now)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error = %v, want it to contain %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !r.From.Equal(tt.wantFrom) || !r.To.Equal(tt.wantTo) {
				t.Errorf("got [%s, %s], want [%s, %s]", r.From, r.To, tt.wantFrom, tt.wantTo)
			}
			if r.Relative() != tt.relative {
				t.Errorf("Relative() = %v, want %v", r.Relative(), tt.relative)
			}
		})
	}
}

func TestTimeRangeAbsolute(t *testing.T) {
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	r, err := ParseTimeRange("now-30m", "now", now)
	if err != nil {
		t.Fatal(err)
	}
	a := r.Absolute()
	if a.RawFrom != "2026-11-26T11:30:00Z" || a.RawTo != "2026-11-26T12:00:00Z" || a.Relative() {
		t.Errorf("Absolute() = %+v", a)
	}
}

func TestClampToNow(t *testing.T) {
	now := time.Date(2026, 3, 4, 10, 0, 0, 0, time.UTC)
	abs := func(from, to time.Time) TimeRange {
		return TimeRange{From: from, To: to, RawFrom: from.Format(time.RFC3339), RawTo: to.Format(time.RFC3339)}
	}
	tests := []struct {
		name         string
		r            TimeRange
		wantFrom     string
		wantTo       string
		wantFromTime time.Time
	}{
		{"past window kept", abs(now.Add(-time.Hour), now.Add(-30*time.Minute)), "2026-03-04T09:00:00Z", "2026-03-04T09:30:00Z", now.Add(-time.Hour)},
		{"] past now: ends now, relative", abs(now.Add(-10*time.Minute), now.Add(5*time.Minute)), "now-10m", "now", now.Add(-10 * time.Minute)},
		{"odd lengths keep Go's form", abs(now.Add(-90*time.Second), now.Add(time.Minute)), "now-1m30s", "now", now.Add(-90 * time.Second)},
		{"relative stays", TimeRange{From: now.Add(-15 * time.Minute), To: now, RawFrom: "now-15m", RawTo: "now"}, "now-15m", "now", now.Add(-15 * time.Minute)},
		{"all in the future: left for the page to say", abs(now.Add(time.Hour), now.Add(2*time.Hour)), "2026-03-04T11:00:00Z", "2026-03-04T12:00:00Z", now.Add(time.Hour)},
	}
	for _, tt := range tests {
		got := tt.r.ClampToNow(now)
		if got.RawFrom != tt.wantFrom || got.RawTo != tt.wantTo || !got.From.Equal(tt.wantFromTime) || got.To.After(now) && tt.wantTo == "now" {
			t.Errorf("%s: %s … %s (%v), want %s … %s", tt.name, got.RawFrom, got.RawTo, got.From, tt.wantFrom, tt.wantTo)
		}
	}
}

// The range control shows absolute bounds as times in the viewer's zone,
// and reads them back in that zone.
func TestDisplayAndPlainTimes(t *testing.T) {
	cet := time.FixedZone("CET", 3600)
	at := time.Date(2026, 12, 1, 7, 47, 20, 0, time.UTC)
	if got := Display("1796111240", at, cet); got != "2026-12-01 08:47:20" {
		t.Errorf("Display = %q", got)
	}
	if got := Display("now-15m", at, cet); got != "now-15m" {
		t.Errorf("relative Display = %q", got)
	}
	for _, s := range []string{"2026-12-01 08:47:20", "2026-12-01T08:47:20"} {
		got, err := ParseTimeIn(s, at, cet)
		if err != nil || !got.Equal(at) {
			t.Errorf("ParseTimeIn(%q, CET) = %v, %v; want %v", s, got, err, at)
		}
	}
	if got, _ := ParseTimeIn("2026-12-01 08:47", at, cet); !got.Equal(at.Truncate(time.Minute)) {
		t.Errorf("minutes: %v", got)
	}
}
