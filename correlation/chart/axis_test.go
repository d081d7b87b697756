package chart

import (
	"math"
	"slices"
	"testing"
	"time"
)

func TestTimeTicks(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	kolkata, _ := time.LoadLocation("Asia/Kolkata") // +05:30: hours are not UTC hours
	at := func(s string) time.Time {
		t.Helper()
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		name     string
		from, to string
		loc      *time.Location
		max      int
		want     []string
	}{
		{name: "five minutes, UTC", from: "2026-11-26T10:02:10Z", to: "2026-11-26T10:07:10Z", loc: time.UTC, max: 6,
			want: []string{"10:03", "10:04", "10:05", "10:06", "10:07"}},
		{name: "one minute with seconds", from: "2026-11-26T10:00:05Z", to: "2026-11-26T10:01:05Z", loc: time.UTC, max: 5,
			want: []string{"10:00:15", "10:00:30", "10:00:45", "10:01:00"}},
		{name: "an hour in Berlin", from: "2026-11-26T10:00:00Z", to: "2026-11-26T11:00:00Z", loc: berlin, max: 5,
			want: []string{"11:00", "11:15", "11:30", "11:45", "12:00"}},
		{name: "half-hour zone keeps round local hours", from: "2026-11-26T00:00:00Z", to: "2026-11-26T06:00:00Z", loc: kolkata, max: 4,
			want: []string{"06:00", "08:00", "10:00"}},
		{name: "across midnight shows the date", from: "2026-11-26T21:00:00Z", to: "2026-11-27T03:00:00Z", loc: time.UTC, max: 3,
			want: []string{"22:00", "Nov 27", "02:00"}},
		{name: "a week shows dates", from: "2026-11-20T12:00:00Z", to: "2026-11-27T12:00:00Z", loc: time.UTC, max: 8,
			want: []string{"Nov 21", "Nov 22", "Nov 23", "Nov 24", "Nov 25", "Nov 26", "Nov 27"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			from, to := at(tt.from), at(tt.to)
			ticks := TimeTicks(from, to, tt.loc, tt.max, func(x time.Time) float64 {
				return float64(x.Sub(from)) / float64(to.Sub(from)) * 1000
			})
			var labels []string
			for i, tk := range ticks {
				labels = append(labels, tk.Label)
				if tk.Pos < 0 || tk.Pos > 1000 || (i > 0 && tk.Pos <= ticks[i-1].Pos) {
					t.Errorf("tick %q at %v: outside the axis or out of order", tk.Label, tk.Pos)
				}
			}
			if !slices.Equal(labels, tt.want) {
				t.Errorf("ticks %q, want %q", labels, tt.want)
			}
		})
	}
}

func TestValueAxis(t *testing.T) {
	tests := []struct {
		name   string
		lo, hi float64
		unit   Unit
		want   []string
	}{
		{"sub-second latency in ms", 0.012, 0.87, UnitSeconds, []string{"0 ms", "200 ms", "400 ms", "600 ms", "800 ms", "1000 ms"}},
		{"quarter seconds", 0, 0.95, UnitSeconds, []string{"0 ms", "200 ms", "400 ms", "600 ms", "800 ms", "1000 ms"}},
		{"seconds", 0.3, 4.6, UnitSeconds, []string{"0 s", "1 s", "2 s", "3 s", "4 s", "5 s"}},
		{"half seconds", 0, 2.3, UnitSeconds, []string{"0.0 s", "0.5 s", "1.0 s", "1.5 s", "2.0 s", "2.5 s"}},
		{"microseconds", 0, 0.00042, UnitSeconds, []string{"0 µs", "100 µs", "200 µs", "300 µs", "400 µs", "500 µs"}},
		{"bytes", 0, 3 << 20, UnitBytes, []string{"0 MiB", "1 MiB", "2 MiB", "3 MiB"}},
		{"plain counts", 0, 42, UnitNone, []string{"0", "10", "20", "30", "40", "50"}},
		{"thousands", 0, 45000, UnitNone, []string{"0k", "10k", "20k", "30k", "40k", "50k"}},
		{"negative values", -3, 2, UnitNone, []string{"-3", "-2", "-1", "0", "1", "2"}},
		{"small values", 0, 0.037, UnitNone, []string{"0.00", "0.01", "0.02", "0.03", "0.04"}},
		{"all zero", 0, 0, UnitSeconds, []string{"0.0 s", "0.2 s", "0.4 s", "0.6 s", "0.8 s", "1.0 s"}},
		{"no finite data", math.NaN(), math.Inf(1), UnitNone, []string{"0.0", "0.2", "0.4", "0.6", "0.8", "1.0"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := NewValueAxis(tt.lo, tt.hi, 5, tt.unit)
			var got []string
			for _, v := range a.Ticks {
				got = append(got, a.Label(v))
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("ticks %q, want %q", got, tt.want)
			}
			if !(math.IsNaN(tt.lo) || math.IsInf(tt.hi, 0)) && (a.Min > tt.lo || a.Max < tt.hi) {
				t.Errorf("axis [%v, %v] does not cover [%v, %v]", a.Min, a.Max, tt.lo, tt.hi)
			}
		})
	}
}

func TestFormatValue(t *testing.T) {
	tests := []struct {
		v    float64
		unit Unit
		want string
	}{
		{0.0875, UnitSeconds, "87.5 ms"},
		{2.3456, UnitSeconds, "2.35 s"},
		{0.000012, UnitSeconds, "12 µs"},
		{0, UnitSeconds, "0 s"},
		{1536, UnitBytes, "1.5 KiB"},
		{1234567, UnitNone, "1.23M"},
		{0.5, UnitNone, "0.5"},
		{math.NaN(), UnitSeconds, "NaN"},
		{math.Inf(1), UnitSeconds, "+Inf"},
	}
	for _, tt := range tests {
		if got := FormatValue(tt.v, tt.unit); got != tt.want {
			t.Errorf("FormatValue(%v) = %q, want %q", tt.v, got, tt.want)
		}
	}
}

func TestUnitOf(t *testing.T) {
	tests := []struct {
		q    string
		want Unit
	}{
		{`histogram_quantile(0.99, sum by (le, service) (rate(http_server_request_duration_seconds_bucket[1m])))`, UnitSeconds},
		{`rate(http_server_request_duration_seconds_sum[5m]) / rate(http_server_request_duration_seconds_count[5m])`, UnitSeconds},
		{`sum(rate(http_server_request_duration_seconds_count[1m]))`, UnitNone},
		{`process_resident_memory_bytes{job="shop"}`, UnitBytes},
		{`up`, UnitNone},
	}
	for _, tt := range tests {
		if got := UnitOf(tt.q); got != tt.want {
			t.Errorf("UnitOf(%q) = %v, want %v", tt.q, got, tt.want)
		}
	}
}
