package sampling

import (
	"math"
	"strconv"
)

// ServiceCounts is what the metrics measured and the trace backend kept
// for one service over one range.
type ServiceCounts struct {
	Service string
	// Requests and Errors are the metrics' counts (5xx for errors).
	Requests, Errors float64
	// Kept and KeptErrors are the traces the backend has with a span of
	// the service (with an error, for KeptErrors); a Capped count is the
	// search's limit, so "at least".
	Kept, KeptErrors             int
	KeptCapped, KeptErrorsCapped bool
	// ExemplarsChecked exemplars of the service had their trace looked
	// up; ExemplarsFound of those exist.
	ExemplarsChecked, ExemplarsFound int
}

// Effective is one service's sampling as measured: each rate is -1 when
// there is nothing to divide by.
type Effective struct {
	// Rate is traces kept per request measured; ErrorRate error traces
	// kept per error measured; HitRate exemplars whose trace exists per
	// exemplar checked.
	Rate, ErrorRate, HitRate float64
	// Findings are what deserves a look: errors dropped, exemplars that
	// point nowhere.
	Findings []string
}

// ErrorsDroppedBelow is the share of errors kept under which a policy
// drops errors: a finding, since an error is what one samples for.
const ErrorsDroppedBelow = 0.9

// Measure computes a service's effective rates and findings.
func Measure(c ServiceCounts) Effective {
	ratio := func(a, b float64) float64 {
		if b <= 0 {
			return -1
		}
		return a / b
	}
	e := Effective{Rate: ratio(float64(c.Kept), c.Requests), ErrorRate: ratio(float64(c.KeptErrors), c.Errors),
		HitRate: ratio(float64(c.ExemplarsFound), float64(c.ExemplarsChecked))}
	// Counts of traces at the search's limit only say "at least": a rate
	// from them is a lower bound, and one above 1 says nothing.
	if c.KeptCapped && e.Rate > 1 {
		e.Rate = -1
	}
	if c.KeptErrorsCapped && e.ErrorRate > 1 {
		e.ErrorRate = -1
	}
	if e.ErrorRate >= 0 && e.ErrorRate < ErrorsDroppedBelow && c.Errors >= 1 && !c.KeptErrorsCapped {
		e.Findings = append(e.Findings, "Only "+Percent(e.ErrorRate)+" of the "+count(c.Errors)+" errors measured have a trace: the sampling policy drops errors.")
	}
	if e.HitRate >= 0 && e.HitRate < 1 {
		missing := c.ExemplarsChecked - c.ExemplarsFound
		e.Findings = append(e.Findings, strconv.Itoa(missing)+" of "+strconv.Itoa(c.ExemplarsChecked)+" exemplars point to traces no backend has.")
	}
	return e
}

// RateText writes a rate as a percentage, "—" when unknown, "≥ 5%" for a
// lower bound.
func RateText(r float64, atLeast bool) string {
	if r < 0 {
		return "—"
	}
	if atLeast {
		return "≥ " + Percent(r)
	}
	return Percent(r)
}

func count(v float64) string {
	if v >= 100 {
		return thousands(int64(math.Round(v)))
	}
	return sig3(v)
}

// CountText writes a measured count: whole from 100 up, three significant
// digits below (rates make fractional counts).
func CountText(v float64) string { return count(v) }

// Bin counts, for each bucket ending at endsMs[i] (buckets stepMs long),
// how many of the moments startsNs fall in (end - step, end].
func Bin(startsNs []int64, endsMs []int64, stepMs int64) []float64 {
	out := make([]float64, len(endsMs))
	for _, ns := range startsNs {
		ms := ns / 1e6
		for i, end := range endsMs {
			if ms > end-stepMs && ms <= end {
				out[i]++
				break
			}
		}
	}
	return out
}
