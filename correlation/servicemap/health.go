package servicemap

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/ariadne-dev/ariadne/correlation/chart"
	"github.com/ariadne-dev/ariadne/correlation/text"
	"github.com/ariadne-dev/ariadne/datasources"
)

// Signals are a node's per-step series over the range, in time order and
// step apart: what its health is judged on.
type Signals struct {
	StepMs int64
	P99    []datasources.Point // seconds
	Mean   []datasources.Point // seconds
	Errors []datasources.Point // share failed, 0–1
}

// Level is a node's health.
type Level int

const (
	Unjudged Level = iota // too little history to compare with
	Healthy
	Degraded // above its usual level
	Failing  // far above it (twice or more)
)

// Class is the CSS class a level is drawn with.
func (l Level) Class() string {
	return [...]string{"health-unknown", "health-ok", "health-warn", "health-bad"}[l]
}

// Word is the level as the page writes it.
func (l Level) Word() string {
	return [...]string{"not judged", "as usual", "degraded", "failing"}[l]
}

// Health is a node's state now against its own recent baseline.
type Health struct {
	Level Level
	// Score orders the unhealthy: the largest ratio of now to the usual
	// level among the signals above their threshold.
	Score float64
	// Reason is the worst signal in words: "mean latency 412 ms, 16× its
	// usual 26 ms".
	Reason string
}

// minErrorShare is the smallest error share worth calling out: below it
// a jump from 0.1 % to 0.4 % is four times the baseline and still nothing
// an on-call engineer should look at first.
const minErrorShare = 0.01

// Judge compares the latest point of each signal with the signal's own
// calm level over the range, by chart.FindSpikes's robust statistics (the
// calm level is the lower half's median, so a spike covering half the
// range does not become the baseline; the threshold is well outside the
// point-to-point noise and at least 50 % above calm). A signal with too
// few points is not judged; a node with no judged signal is Unjudged.
func Judge(s Signals) Health {
	h := Health{Level: Unjudged}
	judge := func(what string, pts []datasources.Point, format func(float64) string, floor float64) {
		now, ok := latest(pts)
		if !ok {
			return
		}
		_, st := chart.FindSpikes(pts, s.StepMs)
		if !finite(st.Threshold) {
			return
		}
		if h.Level == Unjudged {
			h.Level = Healthy
		}
		if now <= st.Threshold || now < floor {
			return
		}
		base := math.Max(st.Baseline, floor/10)
		ratio := now / math.Max(base, 1e-9)
		lvl := Degraded
		if ratio >= 2 {
			lvl = Failing
		}
		if lvl > h.Level || (lvl == h.Level && ratio > h.Score) {
			h.Level, h.Score = lvl, ratio
			h.Reason = fmt.Sprintf("%s %s, %s its usual %s", what, format(now), times(ratio), format(st.Baseline))
		}
	}
	judge("error rate", s.Errors, FormatShare, minErrorShare)
	judge("mean latency", s.Mean, FormatSeconds, 0)
	judge("p99", s.P99, FormatSeconds, 0)
	return h
}

// latest is the last finite value of pts.
func latest(pts []datasources.Point) (float64, bool) {
	for i := len(pts) - 1; i >= 0; i-- {
		if finite(pts[i].V) {
			return pts[i].V, true
		}
	}
	return 0, false
}

func times(r float64) string {
	if r >= 10 {
		return fmt.Sprintf("%.0f×", r)
	}
	return fmt.Sprintf("%.1f×", r)
}

// JudgeAll sets every node's health from its signals.
func (m *Map) JudgeAll() {
	for i := range m.Nodes {
		m.Nodes[i].Health = Judge(m.Nodes[i].Series)
	}
}

// Worst are up to n nodes that are not as usual, worst first (failing
// before degraded, then by how far above their usual level).
func (m *Map) Worst(n int) []Node {
	var out []Node
	for _, nd := range m.Nodes {
		if nd.Health.Level >= Degraded {
			out = append(out, nd)
		}
	}
	slices.SortStableFunc(out, func(a, b Node) int {
		return cmp.Or(cmp.Compare(b.Health.Level, a.Health.Level), cmp.Compare(b.Health.Score, a.Health.Score), cmp.Compare(a.Name, b.Name))
	})
	return out[:min(n, len(out))]
}

// FormatSeconds writes a latency in seconds as the pages write
// durations (text.FormatDuration: "840 µs", "26.1 ms", "1.40 s").
func FormatSeconds(s float64) string {
	if !finite(s) {
		return "–"
	}
	return text.FormatDuration(time.Duration(s * 1e9))
}

// FormatShare writes an error share: "0 %", "0.4 %", "12 %".
func FormatShare(f float64) string {
	switch {
	case !finite(f):
		return "–"
	case f == 0:
		return "0%"
	case f < 0.1:
		return fmt.Sprintf("%.1f%%", f*100)
	default:
		return fmt.Sprintf("%.0f%%", f*100)
	}
}

// FormatRate writes a rate per second: "0.2/s", "15/s".
func FormatRate(r float64) string {
	switch {
	case !finite(r):
		return "–"
	case r < 10:
		return fmt.Sprintf("%.1f/s", r)
	default:
		return fmt.Sprintf("%.0f/s", r)
	}
}
