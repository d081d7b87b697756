package demo

import (
	"testing"
	"time"
)

func TestSpikesActive(t *testing.T) {
	every, length := 5*time.Minute, 90*time.Second
	tests := []struct {
		name    string
		s       Spikes
		elapsed time.Duration
		want    bool
	}{
		{"calm start by default", Spikes{Every: every, Length: length}, 0, false},
		{"calm before the first spike", Spikes{Every: every, Length: length}, 3*time.Minute + 29*time.Second, false},
		{"first spike at the end of the period", Spikes{Every: every, Length: length}, 3*time.Minute + 30*time.Second, true},
		{"still spiking at the period's end", Spikes{Every: every, Length: length}, every - time.Second, true},
		{"calm again in the next period", Spikes{Every: every, Length: length}, every + time.Second, false},
		{"at-start spikes immediately", Spikes{Every: every, Length: length, AtStart: true}, 0, true},
		{"at-start ends after length", Spikes{Every: every, Length: length, AtStart: true}, length, false},
		{"at-start repeats", Spikes{Every: every, Length: length, AtStart: true}, every + time.Second, true},
		{"disabled", Spikes{}, time.Minute, false},
		{"negative elapsed", Spikes{Every: every, Length: length, AtStart: true}, -time.Second, false},
	}
	for _, tt := range tests {
		if got := tt.s.Active(tt.elapsed); got != tt.want {
			t.Errorf("%s: Active(%s) = %v, want %v", tt.name, tt.elapsed, got, tt.want)
		}
	}
}

func TestLoadPerTick(t *testing.T) {
	spiking := true
	in := func() bool { return spiking }
	cases := []struct {
		name   string
		factor float64
		sched  bool // has a spike schedule
		spike  bool
		ticks  int
		wantOf int // requests over the ticks
	}{
		{"no factor", 0, true, true, 10, 10},
		{"a factor of 1", 1, true, true, 10, 10},
		{"calm", 4, true, false, 10, 10},
		{"spike ×4", 4, true, true, 10, 40},
		{"spike ×2.5 carries the halves", 2.5, true, true, 10, 25},
		{"no spike schedule", 4, false, true, 10, 10},
	}
	for _, tc := range cases {
		spiking = tc.spike
		l := &Load{SpikeFactor: tc.factor}
		if tc.sched {
			l.InSpike = in
		}
		var credit float64
		n := 0
		for range tc.ticks {
			n += l.perTick(&credit)
		}
		if n != tc.wantOf {
			t.Errorf("%s: %d requests over %d ticks, want %d", tc.name, n, tc.ticks, tc.wantOf)
		}
	}
}
