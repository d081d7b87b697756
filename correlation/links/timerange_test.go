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
