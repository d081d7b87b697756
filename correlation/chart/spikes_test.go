package chart

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/ariadne-dev/ariadne/datasources"
)

const stepMs = 15_000

// series builds points stepMs apart from values.
func series(vals ...float64) []datasources.Point {
	out := make([]datasources.Point, len(vals))
	for i, v := range vals {
		out[i] = datasources.Point{TMs: int64(i) * stepMs, V: v}
	}
	return out
}

// noisy is n points of Gaussian noise around mean, the same every run.
func noisy(n int, mean, sd float64, seed uint64) []float64 {
	r := rand.New(rand.NewPCG(seed, 1))
	out := make([]float64, n)
	for i := range out {
		out[i] = mean + sd*r.NormFloat64()
	}
	return out
}

func fill(n int, v float64) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = v
	}
	return out
}

// with sets vals[from:to] to v (in a copy).
func with(vals []float64, from, to int, v float64) []float64 {
	out := append([]float64{}, vals...)
	for i := from; i < to; i++ {
		out[i] = v
	}
	return out
}

// window is a spike by point indexes: shaded from half a step before the
// first to half a step after the last.
type window struct{ first, last int }

func TestFindSpikes(t *testing.T) {
	base := noisy(120, 0.100, 0.005, 7) // p99 of 100 ms ± 5 ms
	// The e2e demo's shape: a 2.3 s plateau that fills most of the view,
	// over a calm p99 that jumps between 0.1 s and 0.7 s (one slow request
	// in a bucket or none).
	demo := []float64{2.33, 2.37, 2.38, 2.24, 2.05, 2.14, 2.03, 2.34, 2.35, 2.34, 2.20, 2.13,
		0.70, 0.10, 0.10, 0.70, 0.80, 0.10, 0.70, 0.70, 0.10, 0.70, 0.10,
		2.06, 2.27, 4.41, 4.76, 4.58, 4.47, 4.86, 3.38, 2.34, 2.37, 2.32, 2.24}
	nan, inf := math.NaN(), math.Inf(1)
	tests := []struct {
		name string
		vals []float64
		want []window
		peak []float64
	}{
		{name: "flat", vals: fill(60, 0.25)},
		{name: "noisy", vals: noisy(300, 0.2, 0.03, 1)},
		{name: "heavy noise", vals: noisy(300, 1, 0.4, 2)},
		{name: "all zero", vals: fill(60, 0)},
		{name: "too few points", vals: []float64{0.1, 0.1, 5, 0.1, 0.1}},
		{name: "one spike", vals: with(base, 50, 58, 0.9), want: []window{{50, 57}}, peak: []float64{0.9}},
		{name: "two spikes", vals: with(with(base, 10, 14, 0.5), 90, 100, 1.5),
			want: []window{{10, 13}, {90, 99}}, peak: []float64{0.5, 1.5}},
		{name: "spike on a flat line", vals: with(fill(40, 0.2), 20, 21, 0.31), want: []window{{20, 20}}, peak: []float64{0.31}},
		{name: "rise too small to matter on a flat line", vals: with(fill(40, 0.2), 20, 25, 0.29)},
		{name: "from zero", vals: with(fill(40, 0), 5, 7, 3), want: []window{{5, 6}}, peak: []float64{3}},
		{name: "spike filling two thirds of the view", vals: with(base, 20, 100, 2), want: []window{{20, 99}}, peak: []float64{2}},
		{name: "one calm point does not split a plateau", vals: with(with(base, 30, 40, 1), 35, 36, 0.1),
			want: []window{{30, 39}}, peak: []float64{1}},
		{name: "two calm points do", vals: with(with(base, 30, 40, 1), 35, 37, 0.1),
			want: []window{{30, 34}, {37, 39}}, peak: []float64{1, 1}},
		{name: "demo plateau and calm", vals: demo, want: []window{{0, 11}, {23, 34}}, peak: []float64{2.38, 4.86}},
		{name: "NaN gap ends a spike", vals: with(with(base, 40, 50, 1), 45, 46, nan),
			want: []window{{40, 44}, {46, 49}}, peak: []float64{1, 1}},
		{name: "Inf is a gap, not a peak", vals: with(with(base, 40, 41, inf), 80, 82, math.Inf(-1))},
		{name: "NaN everywhere but a few", vals: with(fill(30, nan), 0, 5, 1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, st := FindSpikes(series(tt.vals...), stepMs)
			if len(got) != len(tt.want) {
				t.Fatalf("found %d spikes %+v, want %d (stats %+v)", len(got), got, len(tt.want), st)
			}
			for i, w := range tt.want {
				wantFrom, wantTo := int64(w.first)*stepMs-stepMs/2, int64(w.last)*stepMs+stepMs/2
				if got[i].FromMs != wantFrom || got[i].ToMs != wantTo {
					t.Errorf("spike %d covers points %d..%d, want %d..%d",
						i, (got[i].FromMs+stepMs/2)/stepMs, (got[i].ToMs-stepMs/2)/stepMs, w.first, w.last)
				}
				if got[i].Peak != tt.peak[i] {
					t.Errorf("spike %d peak %v, want %v", i, got[i].Peak, tt.peak[i])
				}
				if tt.vals[(got[i].PeakMs)/stepMs] != got[i].Peak {
					t.Errorf("spike %d PeakMs %d does not point at its peak", i, got[i].PeakMs)
				}
			}
		})
	}
}

func TestFindSpikesMissingPointEndsSpike(t *testing.T) {
	pts := series(with(noisy(40, 0.1, 0.004, 3), 20, 30, 1)...)
	pts = append(pts[:25], pts[26:]...) // Prometheus had no sample at point 25
	got, _ := FindSpikes(pts, stepMs)
	if len(got) != 2 || got[0].ToMs != 24*stepMs+stepMs/2 || got[1].FromMs != 26*stepMs-stepMs/2 {
		t.Errorf("spikes around a missing point = %+v, want two split at point 25", got)
	}
}

func TestSpikeStats(t *testing.T) {
	// The calm level ignores a spike filling 60% of the view; the noise is
	// the Gaussian deviation of the series (the spike's edges do not count).
	vals := noisy(400, 0.1, 0.01, 9)
	copy(vals[100:340], noisy(240, 3, 0.01, 10))
	_, st := FindSpikes(series(vals...), stepMs)
	if st.Baseline > 0.11 || st.Baseline < 0.08 {
		t.Errorf("baseline %v, want about 0.1 (the calm level)", st.Baseline)
	}
	if st.Noise < 0.004 || st.Noise > 0.016 {
		t.Errorf("noise %v, want about 0.01", st.Noise)
	}
}
