package chart

import (
	"math"
	"testing"

	"github.com/ariadne-dev/ariadne/datasources"
)

func TestDecimateKeepsExtrema(t *testing.T) {
	// 10,000 points of a gentle wave with one-point peaks and dips that a
	// naive "every nth point" would drop.
	const n = 10000
	pts := make([]datasources.Point, n)
	for i := range pts {
		pts[i] = datasources.Point{TMs: int64(i) * 1000, V: 1 + 0.1*math.Sin(float64(i)/300)}
	}
	peaks := map[int]float64{1234: 9.5, 5001: 7, 9999: 4}
	dips := map[int]float64{3333: -2, 7777: 0}
	for i, v := range peaks {
		pts[i].V = v
	}
	for i, v := range dips {
		pts[i].V = v
	}
	got := Decimate(pts, 0, n*1000, 500)
	if len(got) > 4*500+8 || len(got) < 500 {
		t.Fatalf("decimated to %d points, want at most 4 per pixel column (2000)", len(got))
	}
	kept := map[int64]float64{}
	for i, p := range got {
		kept[p.TMs] = p.V
		if i > 0 && p.TMs <= got[i-1].TMs {
			t.Fatalf("point %d at %d is not after %d: order lost", i, p.TMs, got[i-1].TMs)
		}
	}
	for _, m := range []map[int]float64{peaks, dips} {
		for i, v := range m {
			if kept[int64(i)*1000] != v {
				t.Errorf("extreme %v at point %d was dropped", v, i)
			}
		}
	}
	if got[0] != pts[0] || got[len(got)-1] != pts[n-1] {
		t.Error("first or last point dropped")
	}
}

func TestDecimateKeepsGapsAndShortSeries(t *testing.T) {
	short := series(1, 2, 3)
	if got := Decimate(short, 0, 3*stepMs, 100); len(got) != 3 {
		t.Errorf("a series shorter than the pixels changed: %v", got)
	}
	pts := make([]datasources.Point, 1000)
	for i := range pts {
		pts[i] = datasources.Point{TMs: int64(i), V: float64(i % 7)}
	}
	pts[500].V = math.NaN()
	got := Decimate(pts, 0, 1000, 10)
	gaps := 0
	for _, p := range got {
		if math.IsNaN(p.V) {
			gaps++
			if p.TMs != 500 {
				t.Errorf("gap moved to %d", p.TMs)
			}
		}
	}
	if gaps != 1 {
		t.Errorf("%d gaps after decimation, want the one", gaps)
	}
}
