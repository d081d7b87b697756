package views

import (
	"strconv"
	"time"

	"github.com/ariadne-dev/ariadne/correlation/chart"
	"github.com/ariadne-dev/ariadne/correlation/links"
	"github.com/ariadne-dev/ariadne/correlation/query"
	"github.com/ariadne-dev/ariadne/correlation/sampling"
)

// SamplingView is GET /sampling: per service, what the metrics measured
// against what the trace backend kept.
type SamplingView struct {
	Backend  string // "Tempo"
	Backends []Choice
	Hidden   []Hidden // the range, kept by the backend form
	Rows     []SamplingRow
	Notes    []string
	Problem  string
}

// SamplingRow is one service's line of the table and its chart.
type SamplingRow struct {
	Service                     string
	Requests, Kept, Rate        string
	Errors, KeptErrors, ErrRate string
	HitRate                     string
	Findings                    []string
	Graph                       *InvGraph
	Traces, Metrics             string // links: the service's traces, its request rate
	// Ops are the root operations the service starts, per second over
	// the range.
	Ops []SamplingOpRow
	// StandsFor is "Its kept traces: 62 traces ≈ 1,240 requests, where
	// the metrics counted 1,300."; "" with no kept trace.
	StandsFor string
}

// SamplingOpRow is one root operation: requests per second measured,
// traces kept per second with it as root, and the rate between them.
type SamplingOpRow struct {
	Operation                  string
	RequestsPerSec, KeptPerSec string
	Rate                       string
}

// SamplingService is one service's measurements, fetched.
type SamplingService struct {
	Counts sampling.ServiceCounts
	// EndsMs are the buckets' ends (StepMs long); Requests the metrics'
	// count per bucket, Kept the kept traces that started in each.
	EndsMs   []int64
	StepMs   int64
	Requests []float64
	Kept     []float64
	// Ops are the service's root operations (sampling.Operations); a
	// kept count from a search at its limit (OpsCapped) is "at least".
	Ops       []sampling.OperationCounts
	OpsCapped bool
	// StandsFor is how many requests the kept traces stand for, as far as
	// they say (TraceRequestCount): beside the metrics' count, the
	// adjusted counts' check.
	StandsFor string
}

// SamplingInput is what the page is built from.
type SamplingInput struct {
	Services []SamplingService
	Range    links.TimeRange
	Zone     *time.Location
	// TraceLimit is the search's bound per service (a count at it is "at
	// least").
	TraceLimit int
}

// BuildSampling lays out the table and one chart per service.
func BuildSampling(in SamplingInput) SamplingView {
	var v SamplingView
	tf := func(t time.Time) string { return t.In(in.Zone).Format("15:04:05") }
	for _, s := range in.Services {
		c := s.Counts
		e := sampling.Measure(c)
		keptText := func(n int, capped bool) string {
			if capped {
				return "≥ " + strconv.Itoa(n)
			}
			return strconv.Itoa(n)
		}
		row := SamplingRow{Service: c.Service,
			Requests: sampling.CountText(c.Requests), Kept: keptText(c.Kept, c.KeptCapped), Rate: sampling.RateText(e.Rate, c.KeptCapped),
			Errors: sampling.CountText(c.Errors), KeptErrors: keptText(c.KeptErrors, c.KeptErrorsCapped), ErrRate: sampling.RateText(e.ErrorRate, c.KeptErrorsCapped),
			HitRate: "—", Findings: e.Findings,
			Traces:  links.TraceSearch(`{ resource.service.name = `+query.QuoteTraceQL(c.Service)+` }`, in.Range),
			Metrics: links.Graph([]string{`sum(rate(http_server_request_duration_seconds_count{service="` + query.PromLabelValue(c.Service) + `"}[1m]))`}, in.Range),
		}
		if e.HitRate >= 0 {
			row.HitRate = sampling.Percent(e.HitRate) + " of " + strconv.Itoa(c.ExemplarsChecked)
		}
		row.Graph = samplingGraph(s, in.Range, tf)
		row.Ops = samplingOps(s, in.Range.Duration())
		if s.StandsFor != "" {
			at := ""
			if c.KeptCapped {
				at = " (the first " + strconv.Itoa(c.Kept) + " found)"
			}
			row.StandsFor = "Its kept traces" + at + ": " + s.StandsFor + ", where the metrics counted " + row.Requests + " requests."
		}
		v.Rows = append(v.Rows, row)
	}
	if in.TraceLimit > 0 {
		v.Notes = append(v.Notes, "Traces kept are counted by one search per service (at most "+strconv.Itoa(in.TraceLimit)+
			"; a count at the limit reads “≥”). A trace counts for every service it has spans of; requests are the metrics' count of the service's server requests.")
	}
	return v
}

// samplingOps writes a service's root operations per second over a range
// of length d: "3.2/s", "≥ 1.1/s" from a search at its limit.
func samplingOps(s SamplingService, d time.Duration) []SamplingOpRow {
	secs := d.Seconds()
	if secs <= 0 {
		return nil
	}
	perSec := func(v float64) string { return sampling.CountText(v/secs) + "/s" }
	var out []SamplingOpRow
	for _, o := range s.Ops {
		r := SamplingOpRow{Operation: o.Operation, RequestsPerSec: "—", KeptPerSec: perSec(float64(o.Kept)), Rate: "—"}
		if s.OpsCapped {
			r.KeptPerSec = "≥ " + r.KeptPerSec
		}
		if o.Requests >= 0 {
			r.RequestsPerSec = perSec(o.Requests)
			if o.Requests > 0 {
				r.Rate = sampling.RateText(float64(o.Kept)/o.Requests, s.OpsCapped)
			}
		}
		out = append(out, r)
	}
	return out
}

// samplingGraph draws requests per bucket against traces kept per bucket.
func samplingGraph(s SamplingService, r links.TimeRange, tf func(time.Time) string) *InvGraph {
	in := chart.MiniInput{FromMs: r.From.UnixMilli(), ToMs: r.To.UnixMilli(), MaxLines: 2,
		Series: []chart.MiniSeries{{T: s.EndsMs, V: s.Requests}, {T: s.EndsMs, V: s.Kept}}}
	m := chart.LayoutMini(in)
	g := &InvGraph{Empty: m.Empty}
	if m.Empty {
		return g
	}
	per := "per " + chart.FormatValue(float64(s.StepMs)/1000, chart.UnitSeconds)
	labels := []string{"requests " + per + " (metrics)", "traces kept " + per}
	for i, d := range m.Paths {
		p := InvGraphPath{D: d, Class: "s" + strconv.Itoa(i), Label: labels[i]}
		g.Paths = append(g.Paths, p)
		g.Legend = append(g.Legend, p)
	}
	g.YMax, g.YMin = chart.FormatValue(m.Hi, chart.UnitNone), chart.FormatValue(m.Lo, chart.UnitNone)
	g.From, g.To = tf(time.UnixMilli(m.FromMs)), tf(time.UnixMilli(m.ToMs))
	return g
}
