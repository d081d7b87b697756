package views

import (
	"net/url"
	"strconv"
	"time"

	"github.com/ariadne-dev/ariadne/correlation/chart"
	"github.com/ariadne-dev/ariadne/correlation/text"
	"github.com/ariadne-dev/ariadne/correlation/trace"
	"github.com/ariadne-dev/ariadne/datasources"
)

// The overview is the whole trace in one strip above the waterfall, what
// a window of rows cannot show: where in time the spans start, where the
// failures are and where the critical path runs. Each slice of time links
// to the rows around its first span.
const (
	OverviewWidth   = 1000 // SVG user units
	OverviewHeight  = 36
	overviewColumns = 200
	overviewBars    = 30 // tallest density bar
)

// Overview is the drawn strip.
type Overview struct {
	Columns  []OverviewColumn
	Critical []OverviewSegment
}

// OverviewColumn is one slice of the trace's time.
type OverviewColumn struct {
	X, Y, W, H string
	Error      bool   // a span starting in it failed
	Title      string // "12 spans from +1.20 s, 2 failed"
	URL        string // the rows around its first span
}

// OverviewSegment is a stretch of the critical path.
type OverviewSegment struct{ X, W string }

// buildOverview lays out the overview of t in one pass over the spans.
func buildOverview(t *trace.TraceTree, link func(func(url.Values)) string) Overview {
	var o Overview
	total := t.EndNs - t.StartNs
	if len(t.Nodes) == 0 || total <= 0 {
		return o
	}
	col := func(ns int64) int { return min(int((ns-t.StartNs)*overviewColumns/total), overviewColumns-1) }
	count := make([]int, overviewColumns)
	errs := make([]int, overviewColumns)
	first := make([]int, overviewColumns)
	for i := range first {
		first[i] = -1
	}
	for i := range t.Nodes {
		nd := &t.Nodes[i]
		c := col(nd.StartNs())
		count[c]++
		if nd.Span.Status == datasources.StatusError {
			errs[c]++
		}
		if f := first[c]; f < 0 || nd.StartNs() < t.Nodes[f].StartNs() {
			first[c] = i
		}
		// The critical path's own stretches: critical spans none of whose
		// children are critical (their parents only wait for them).
		if nd.Critical && !criticalChild(t, nd) {
			x0, x1 := chart.Percent(nd.StartNs()-t.StartNs, total), chart.PercentMin(nd.EndNs()-nd.StartNs(), total)
			o.Critical = append(o.Critical, OverviewSegment{X: x0, W: x1})
		}
	}
	peak := 1
	for _, n := range count {
		peak = max(peak, n)
	}
	w := float64(OverviewWidth) / overviewColumns
	for c, n := range count {
		if n == 0 {
			continue
		}
		h := max(float64(n)*overviewBars/float64(peak), 2)
		f := t.Nodes[first[c]].Span.SpanID
		title := Plural(n, "span") + " from +" + text.FormatDuration(time.Duration(int64(c)*total/overviewColumns))
		if errs[c] > 0 {
			title += ", " + strconv.Itoa(errs[c]) + " failed"
		}
		o.Columns = append(o.Columns, OverviewColumn{
			X: chart.Coord(float64(c) * w), W: chart.Coord(w), Y: chart.Coord(overviewBars - h), H: chart.Coord(h),
			Error: errs[c] > 0, Title: title,
			URL: link(func(q url.Values) { q.Set("at", f); q.Del("row") }) + "#s-" + f,
		})
	}
	return o
}

func criticalChild(t *trace.TraceTree, nd *trace.Node) bool {
	for _, c := range nd.Children {
		if t.Nodes[c].Critical {
			return true
		}
	}
	return false
}
