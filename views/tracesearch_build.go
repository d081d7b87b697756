package views

import (
	"sort"
	"time"

	"github.com/ariadne-dev/ariadne/correlation/chart"
	"github.com/ariadne-dev/ariadne/correlation/links"
	"github.com/ariadne-dev/ariadne/correlation/sampling"
	"github.com/ariadne-dev/ariadne/correlation/text"
	"github.com/ariadne-dev/ariadne/datasources"
)

// BuildTraceResultRows is the results table: one row per trace found,
// its bar scaled to the slowest, coloured by root service among services
// (the search window's services, so colours match the form's list). Each
// row links to the trace over the search's window made absolute, so the
// link still finds the trace later, asking backend (the one searched)
// first.
func BuildTraceResultRows(traces []datasources.TraceSummary, services []string, backend string, r links.TimeRange, now time.Time) []TraceResultRow {
	colour := ServiceClasses(services)
	var slowest int64
	for _, t := range traces {
		slowest = max(slowest, t.Duration.Milliseconds())
	}
	rows := make([]TraceResultRow, 0, len(traces))
	for _, t := range traces {
		start := time.Unix(0, t.StartNs)
		ms := t.Duration.Milliseconds()
		rows = append(rows, TraceResultRow{
			TraceID: t.TraceID, RootService: text.Visible(t.RootService), RootName: text.Visible(t.RootName), SvcClass: colour[t.RootService],
			Start: start.UTC().Format(time.RFC3339Nano), StartAgo: text.FormatAgo(start, now),
			Duration:   text.FormatDuration(t.Duration),
			BarW:       chart.PercentMin(ms, max(slowest, 1)),
			DurationMs: ms,
			Spans:      t.Spans, Errors: t.Errors,
			URL: links.Trace(t.TraceID, links.TraceParams{Window: r.Absolute(), Backend: backend}),
		})
	}
	return rows
}

// SortTraceResults orders rows by a column, largest (or newest) first;
// an unknown column keeps the backend's order (newest first).
func SortTraceResults(rows []TraceResultRow, by string) {
	less := map[string]func(a, b *TraceResultRow) bool{
		"service":  func(a, b *TraceResultRow) bool { return a.RootService < b.RootService },
		"duration": func(a, b *TraceResultRow) bool { return a.DurationMs > b.DurationMs },
		"spans":    func(a, b *TraceResultRow) bool { return a.Spans > b.Spans },
		"errors":   func(a, b *TraceResultRow) bool { return a.Errors > b.Errors },
		"start":    func(a, b *TraceResultRow) bool { return a.Start > b.Start },
	}[by]
	if less == nil {
		return
	}
	sort.SliceStable(rows, func(i, j int) bool { return less(&rows[i], &rows[j]) })
}

// TraceRequestCount is how many requests a search's traces stand for
// (sampling.CountRequests over each trace's decision, read from the spans
// its summary keeps); a summary without spans counts as unknown, for
// unsaid (a backend whose search answers without them says why).
func TraceRequestCount(traces []datasources.TraceSummary, unsaid string) string {
	var ds []sampling.Decision
	without := 0
	for i := range traces {
		if traces[i].Sampling == nil {
			without++
			continue
		}
		ds = append(ds, sampling.OfTrace(&datasources.Trace{ID: traces[i].TraceID, Spans: traces[i].Sampling}))
	}
	c := sampling.CountRequests(ds)
	c.AddUnknown(unsaid, without)
	return c.Text()
}
