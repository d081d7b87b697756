package sampling

import (
	"strings"
	"testing"
)

func TestMeasure(t *testing.T) {
	cases := []struct {
		name                string
		c                   ServiceCounts
		rate, errRate, hits string
		findings            []string
	}{
		{"tail: 5% of the rest, every error, exemplars mostly missing",
			ServiceCounts{Requests: 1000, Errors: 20, Kept: 70, KeptErrors: 20, ExemplarsChecked: 50, ExemplarsFound: 4},
			"7%", "100%", "8%", []string{"46 of 50 exemplars point to traces no backend has."}},
		{"a policy dropping errors", ServiceCounts{Requests: 1000, Errors: 40, Kept: 50, KeptErrors: 2},
			"5%", "5%", "—", []string{"Only 5% of the 40 errors measured have a trace: the sampling policy drops errors."}},
		{"nothing measured", ServiceCounts{Kept: 3}, "—", "—", "—", nil},
		{"a capped search above the requests says nothing", ServiceCounts{Requests: 10, Kept: 500, KeptCapped: true}, "—", "—", "—", nil},
		{"everything kept", ServiceCounts{Requests: 100, Errors: 3, Kept: 100, KeptErrors: 3, ExemplarsChecked: 9, ExemplarsFound: 9}, "100%", "100%", "100%", nil},
	}
	for _, c := range cases {
		e := Measure(c.c)
		if got := RateText(e.Rate, false); got != c.rate {
			t.Errorf("%s: rate %s, want %s", c.name, got, c.rate)
		}
		if got := RateText(e.ErrorRate, false); got != c.errRate {
			t.Errorf("%s: error rate %s, want %s", c.name, got, c.errRate)
		}
		if got := RateText(e.HitRate, false); got != c.hits {
			t.Errorf("%s: hit rate %s, want %s", c.name, got, c.hits)
		}
		if strings.Join(e.Findings, "|") != strings.Join(c.findings, "|") {
			t.Errorf("%s: findings %q", c.name, e.Findings)
		}
	}
	if RateText(0.05, true) != "≥ 5%" || CountText(1234.4) != "1,234" || CountText(12.34) != "12.3" {
		t.Error("texts")
	}
}

func TestBin(t *testing.T) {
	ends := []int64{10_000, 20_000, 30_000}
	got := Bin([]int64{1e9, 10e9, 10_001e6, 25e9, 31e9, -5e9}, ends, 10_000)
	if len(got) != 3 || got[0] != 2 || got[1] != 1 || got[2] != 1 {
		t.Errorf("bins %v", got)
	}
}
