package chart

import (
	"math"
	"strings"
	"testing"
)

func TestLayoutMini(t *testing.T) {
	tests := []struct {
		name      string
		in        MiniInput
		wantPaths []string
		wantLoHi  [2]float64
		wantX     [2]int64
		wantMark  [2]float64
		wantEmpty bool
	}{
		{
			name:      "x is the data's extent, y starts at zero",
			in:        MiniInput{Series: []MiniSeries{{T: []int64{0, 1000, 2000}, V: []float64{1, 2, 4}}}},
			wantPaths: []string{"M0 73L500 50L1000 4"},
			wantLoHi:  [2]float64{0, 4}, wantX: [2]int64{0, 2000},
		},
		{
			name: "a missing step breaks the line",
			in:   MiniInput{Series: []MiniSeries{{T: []int64{0, 1000, 3000, 4000}, V: []float64{1, 1, 1, 1}}}},
			// One sample missing at 2000: two subpaths, as on /graph.
			wantPaths: []string{"M0 4L250 4M750 4L1000 4"},
			wantLoHi:  [2]float64{0, 1}, wantX: [2]int64{0, 4000},
		},
		{
			name:      "NaN breaks the line and does not poison the range",
			in:        MiniInput{Series: []MiniSeries{{T: []int64{0, 1000, 2000}, V: []float64{2, math.NaN(), 2}}}},
			wantPaths: []string{"M0 4h0.1M1000 4h0.1"},
			wantLoHi:  [2]float64{0, 2}, wantX: [2]int64{0, 2000},
		},
		{
			name: "the pinned window is the x axis and the mark is placed in it",
			in: MiniInput{Series: []MiniSeries{{T: []int64{1000, 2000}, V: []float64{1, 1}}}, Mark: &MiniPoint{TMs: 3000, V: 2},
				FromMs: 0, ToMs: 4000},
			wantPaths: []string{"M250 50L500 50"},
			wantLoHi:  [2]float64{0, 2}, wantX: [2]int64{0, 4000}, wantMark: [2]float64{750, 4},
		},
		{
			name:     "a mark alone gets a minute each side",
			in:       MiniInput{Mark: &MiniPoint{TMs: 600_000, V: 5}},
			wantLoHi: [2]float64{0, 5}, wantX: [2]int64{540_000, 660_000}, wantMark: [2]float64{500, 4},
		},
		{
			name:      "lines past MaxLines are not drawn",
			in:        MiniInput{Series: []MiniSeries{{T: []int64{0, 1}, V: []float64{1, 1}}, {T: []int64{0, 1}, V: []float64{1, 1}}}, MaxLines: 1},
			wantPaths: []string{"M0 4L1000 4"},
			wantLoHi:  [2]float64{0, 1}, wantX: [2]int64{0, 1},
		},
		{name: "nothing at all", in: MiniInput{}, wantEmpty: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := LayoutMini(tt.in)
			if m.Empty != tt.wantEmpty {
				t.Fatalf("Empty = %v", m.Empty)
			}
			if m.Empty {
				return
			}
			if strings.Join(m.Paths, "|") != strings.Join(tt.wantPaths, "|") {
				t.Errorf("paths %q, want %q", m.Paths, tt.wantPaths)
			}
			if m.Lo != tt.wantLoHi[0] || m.Hi != tt.wantLoHi[1] {
				t.Errorf("y range %v..%v, want %v", m.Lo, m.Hi, tt.wantLoHi)
			}
			if m.FromMs != tt.wantX[0] || m.ToMs != tt.wantX[1] {
				t.Errorf("x range %d..%d, want %v", m.FromMs, m.ToMs, tt.wantX)
			}
			if tt.in.Mark != nil && (m.MarkX != tt.wantMark[0] || m.MarkY != tt.wantMark[1]) {
				t.Errorf("mark at %v,%v, want %v", m.MarkX, m.MarkY, tt.wantMark)
			}
		})
	}
}
