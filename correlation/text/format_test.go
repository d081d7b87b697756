package text

import (
	"testing"
	"time"
)

func TestFormatDuration(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{0, "0 ns"},
		{999, "999 ns"},
		{1500, "1.50 µs"},
		{850 * time.Microsecond, "850 µs"},
		{12345 * time.Microsecond, "12.3 ms"},
		{999999 * time.Microsecond, "1.00 s"},
		{999600 * time.Nanosecond, "1.00 ms"},
		{1236 * time.Millisecond, "1.24 s"},
		{59 * time.Second, "59.0 s"},
		{125 * time.Second, "2m 5s"},
		{3*time.Hour + 4*time.Minute, "3h 4m"},
		{-2 * time.Millisecond, "-2.00 ms"},
	}
	for _, tt := range tests {
		if got := FormatDuration(tt.d); got != tt.want {
			t.Errorf("FormatDuration(%d) = %q, want %q", tt.d, got, tt.want)
		}
	}
}

func TestFormatAgo(t *testing.T) {
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		ago  time.Duration
		want string
	}{
		{-time.Minute, "in the future"},
		{3 * time.Second, "just now"},
		{42 * time.Second, "42 s ago"},
		{5 * time.Minute, "5 min ago"},
		{3 * time.Hour, "3 h ago"},
		{72 * time.Hour, "3 days ago"},
	}
	for _, tt := range tests {
		if got := FormatAgo(now.Add(-tt.ago), now); got != tt.want {
			t.Errorf("FormatAgo(-%s) = %q, want %q", tt.ago, got, tt.want)
		}
	}
}

func TestFormatTime(t *testing.T) {
	berlin := time.FixedZone("CET", 3600)
	at := time.Date(2026, 3, 4, 7, 47, 20, 0, time.UTC)
	tests := []struct {
		name string
		t    time.Time
		loc  *time.Location
		want string
	}{
		{"nil is UTC", at, nil, "2026-03-04 07:47:20 UTC"},
		{"viewer's zone", at, berlin, "2026-03-04 08:47:20 CET"},
		{"milliseconds kept", at.Add(1500 * time.Microsecond), time.UTC, "2026-03-04 07:47:20.001 UTC"},
		{"below a millisecond dropped", at.Add(999 * time.Microsecond), time.UTC, "2026-03-04 07:47:20 UTC"},
	}
	for _, tt := range tests {
		if got := FormatTime(tt.t, tt.loc); got != tt.want {
			t.Errorf("%s: FormatTime = %q, want %q", tt.name, got, tt.want)
		}
	}
}
