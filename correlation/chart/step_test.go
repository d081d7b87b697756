package chart

import (
	"strings"
	"testing"
	"time"
)

func TestAutoStep(t *testing.T) {
	tests := []struct {
		window time.Duration
		pixels int
		want   time.Duration
	}{
		{5 * time.Minute, 1000, time.Second},
		{time.Hour, 1000, 5 * time.Second},      // 3.6 s a pixel: 5 s
		{time.Hour, 720, 10 * time.Second},      // 5 s would give 721 points for 720 pixels
		{6 * time.Hour, 1000, 30 * time.Second}, // 21.6 s: 30 s
		{24 * time.Hour, 1000, 2 * time.Minute},
		{7 * 24 * time.Hour, 1000, 15 * time.Minute},
		{90 * 24 * time.Hour, 1000, 3 * time.Hour},
		{2000 * 24 * time.Hour, 1000, 3 * 24 * time.Hour}, // past the nice steps: whole days
	}
	for _, tt := range tests {
		got := AutoStep(tt.window, tt.pixels)
		if got != tt.want {
			t.Errorf("AutoStep(%s, %d) = %s, want %s", tt.window, tt.pixels, got, tt.want)
		}
		if pointsFor(tt.window, got) > tt.pixels {
			t.Errorf("AutoStep(%s, %d) = %s gives %d points, more than the pixels", tt.window, tt.pixels, got, pointsFor(tt.window, got))
		}
	}
}

func TestChooseStep(t *testing.T) {
	tests := []struct {
		raw      string
		window   time.Duration
		want     time.Duration
		note     string
		errorHas string
	}{
		{raw: "", window: time.Hour, want: 5 * time.Second},
		{raw: "1m", window: time.Hour, want: time.Minute},
		{raw: "30", window: time.Hour, want: 30 * time.Second},
		{raw: "1s", window: 7 * 24 * time.Hour, want: time.Minute, note: "more than 11000 points"},
		{raw: "500ms", window: time.Hour, errorHas: "smallest step is 1s"},
		{raw: "fast", window: time.Hour, errorHas: `bad duration "fast"`},
		{raw: "99999999999", window: time.Hour, errorHas: "out of range"},
	}
	for _, tt := range tests {
		got, note, err := ChooseStep(tt.raw, tt.window, 1000)
		if tt.errorHas != "" {
			if err == nil || !strings.Contains(err.Error(), tt.errorHas) {
				t.Errorf("ChooseStep(%q) error %v, want %q", tt.raw, err, tt.errorHas)
			}
			continue
		}
		if err != nil || got != tt.want || !strings.Contains(note, tt.note) || (tt.note == "" && note != "") {
			t.Errorf("ChooseStep(%q, %s) = %s, %q, %v; want %s, %q", tt.raw, tt.window, got, note, err, tt.want, tt.note)
		}
	}
}
