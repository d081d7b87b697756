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

// TestLayoutMiniSpikesAndExemplars: a card graph shades a series' spike
// where /graph would (the same detector) and places a graph's exemplars,
// which also widen the y range; exemplars outside the window are not
// drawn.
func TestLayoutMiniSpikesAndExemplars(t *testing.T) {
	var s MiniSeries
	for i := range 20 {
		v := 0.1 + 0.001*float64(i%3)
		if i >= 10 && i < 13 {
			v = 2 // a spike over three steps
		}
		s.T, s.V = append(s.T, int64(i)*1000), append(s.V, v)
	}
	m := LayoutMini(MiniInput{Series: []MiniSeries{s}, FromMs: 0, ToMs: 19000,
		Exemplars: []MiniPoint{{TMs: 11000, V: 3}, {TMs: 25000, V: 9}}})
	if len(m.Bands) != 1 || m.Bands[0].Series != 0 {
		t.Fatalf("bands %+v, want the one spike", m.Bands)
	}
	// Half a step either side of 10 s … 12 s.
	if b := m.Bands[0]; b.X < 490 || b.X > 500 || b.W < 150 || b.W > 160 {
		t.Errorf("band at %.1f over %.1f, want about 500 over 158", b.X, b.W)
	}
	if len(m.Dots) != 1 || m.Dots[0].Index != 0 || m.Dots[0].Y != miniTop || m.Hi != 3 {
		t.Errorf("dots %+v, range up to %v: want the in-window exemplar at the top of a range up to 3", m.Dots, m.Hi)
	}
	calm := LayoutMini(MiniInput{Series: []MiniSeries{{T: s.T[:10], V: s.V[:10]}}})
	if len(calm.Bands) != 0 {
		t.Errorf("a calm series has bands %+v", calm.Bands)
	}
}
