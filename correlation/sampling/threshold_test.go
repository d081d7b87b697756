package sampling

import (
	"math"
	"testing"
)

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }

// The thresholds, probabilities and adjusted counts of the OpenTelemetry
// probability sampling spec's table (1-in-N at precision 3, 4, 5) and its
// definitions (th:0 is 100%, 1% with five digits is fd70a4).
func TestThresholdSpecExamples(t *testing.T) {
	cases := []struct {
		th       string
		prob     float64
		adjusted float64
	}{
		{"0", 1, 1},
		{"8", 0.5, 2},
		{"aab", 0.333251953125, 3.0007326007326007},
		{"aaab", 0.3333282470703125, 3.00004577706569},
		{"aaaab", 0.33333301544189453, 3.0000028610256777},
		{"c", 0.25, 4},
		{"ccd", 0.199951171875, 5.001221001221001},
		{"cccd", 0.1999969482421875, 5.0000762951094835},
		{"e", 0.125, 8},
		{"e66", 0.10009765625, 9.990243902439024},
		{"e666", 0.100006103515625, 9.99938968568813},
		{"f", 0.0625, 16},
		{"fd71", 0.0099945068359375, 100.05496183206107},
		{"fd70a", 0.010000228881835938, 99.99771123402633},
		{"fd70a4", 0.009999990463256836, 100.00009536752259},
		{"ffbe7", 0.0010004043579101562, 999.5958055290753},
		{"ffbe76d", 0.000999998301267624, 1000.0016987352618},
		{"fff9724", 0.00010000169277191162, 9999.830725674266},
		{"ffff583a", 1.00000761449337e-05, 99999.238556461},
		{"ffffef39", 1.00000761449337e-06, 999992.38556461},
	}
	for _, c := range cases {
		th, err := ParseThreshold(c.th)
		if err != nil {
			t.Errorf("%s: %v", c.th, err)
			continue
		}
		if !near(th.Probability(), c.prob) || !near(th.AdjustedCount(), c.adjusted) {
			t.Errorf("th:%s = p %v, adjusted %v; want %v, %v", c.th, th.Probability(), th.AdjustedCount(), c.prob, c.adjusted)
		}
		if th.String() != c.th {
			t.Errorf("th:%s writes back as %s", c.th, th.String())
		}
	}
	// (1 - 0.01) * 2^56 with five digits of precision.
	if th, _ := ParseThreshold("fd70a4"); th != 0xfd70a400000000 || uint64(th) != 71337018784743424 {
		t.Errorf("fd70a4 = %#x", uint64(th))
	}
}

func TestParseThreshold(t *testing.T) {
	cases := []struct {
		in   string
		want Threshold
		ok   bool
	}{
		{"0", 0, true},
		{"00000000000000", 0, true},
		{"1", 0x10000000000000, true},
		{"F", 0xf0000000000000, true}, // hexdigit allows A-F
		{"ffffffffffffff", 0xffffffffffffff, true},
		{"fffffffffffffff", 0, false}, // 15 digits
		{"", 0, false},
		{"g", 0, false},
		{"-1", 0, false},
		{"0x8", 0, false},
	}
	for _, c := range cases {
		got, err := ParseThreshold(c.in)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("ParseThreshold(%q) = %#x, %v; want %#x, ok %v", c.in, uint64(got), err, uint64(c.want), c.ok)
		}
	}
	// The smallest probability: 2^-56, adjusted count 2^56.
	th, _ := ParseThreshold("ffffffffffffff")
	if th.Probability() != 1.0/MaxAdjustedCount || th.AdjustedCount() != MaxAdjustedCount {
		t.Errorf("max th: p %v, adjusted %v", th.Probability(), th.AdjustedCount())
	}
}

func TestThresholdOf(t *testing.T) {
	cases := []struct {
		ts   string
		want string // th as written back, "" for none
	}{
		{"ot=th:c", "c"},
		{"ot=th:0", "0"},
		{"ot=rv:0123456789abcd;th:fd70a4", "fd70a4"},
		{"vendor=abc,ot=th:8;rv:01", "8"},
		{"vendor=abc , ot=p:8;th:e", "e"},
		{"tenant@ot=th:8", ""}, // another tenant's entry
		{"ot=rv:01", ""},
		{"ot=th:", ""},
		{"ot=th:xyz", ""},
		{"", ""},
		{"other=th:8", ""},
	}
	for _, c := range cases {
		th, err := ThresholdOf(c.ts)
		got := ""
		if err == nil {
			got = th.String()
		}
		if got != c.want {
			t.Errorf("ThresholdOf(%q) = %q (%v), want %q", c.ts, got, err, c.want)
		}
	}
}

func TestThresholdFor(t *testing.T) {
	for _, c := range []struct {
		p    float64
		want string
	}{{1, "0"}, {0.5, "8"}, {0.25, "c"}, {0.0625, "f"}, {2, "0"}} {
		if got := ThresholdFor(c.p).String(); got != c.want {
			t.Errorf("ThresholdFor(%v) = %s, want %s", c.p, got, c.want)
		}
	}
	for _, p := range []float64{0.05, 0.01, 1.0 / 3, 0.001} {
		if got := ThresholdFor(p).Probability(); !near(got, p) {
			t.Errorf("ThresholdFor(%v) stands for %v", p, got)
		}
	}
	if ThresholdFor(0) != MaxAdjustedCount-1 {
		t.Error("a zero probability is the largest threshold")
	}
}
