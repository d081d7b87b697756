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
		{"calm start by default", Spikes{every, length, false}, 0, false},
		{"calm before the first spike", Spikes{every, length, false}, 3*time.Minute + 29*time.Second, false},
		{"first spike at the end of the period", Spikes{every, length, false}, 3*time.Minute + 30*time.Second, true},
		{"still spiking at the period's end", Spikes{every, length, false}, every - time.Second, true},
		{"calm again in the next period", Spikes{every, length, false}, every + time.Second, false},
		{"at-start spikes immediately", Spikes{every, length, true}, 0, true},
		{"at-start ends after length", Spikes{every, length, true}, length, false},
		{"at-start repeats", Spikes{every, length, true}, every + time.Second, true},
		{"disabled", Spikes{}, time.Minute, false},
		{"negative elapsed", Spikes{every, length, true}, -time.Second, false},
	}
	for _, tt := range tests {
		if got := tt.s.Active(tt.elapsed); got != tt.want {
			t.Errorf("%s: Active(%s) = %v, want %v", tt.name, tt.elapsed, got, tt.want)
		}
	}
}
