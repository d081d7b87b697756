package views

import (
	"fmt"

	"github.com/ariadne-dev/ariadne/correlation/chart"
	"github.com/ariadne-dev/ariadne/correlation/query"
)

// GraphBodyInput is one graph panel's data, fetched.
type GraphBodyInput struct {
	Query string
	Chart chart.ChartInput // its Series and Exemplars as the backends answered
	Notes []string         // the step note, then the backend's warnings and infos
	Hint  string           // why there are no exemplar markers, if there are none for a reason
	Pin   *PinFormData
	// With is this page's URL with one parameter changed (the legend's
	// isolate links).
	With func(key, value string) string
	// Built is Chart already laid out (and its exemplars' traces checked,
	// chart.MarkMissing); nil: BuildGraphBody lays it out.
	Built *chart.Chart
}

// GraphState is the panel head's state: "3 series · step 15s · 2 spikes".
type GraphState struct{ Text, Class string }

// BuildGraphBody lays out one graph panel: the chart and its legend, or a
// sentence instead of it (too many series, no data).
func BuildGraphBody(in GraphBodyInput) (GraphBody, GraphState) {
	ci := in.Chart
	body := GraphBody{Label: "Graph of " + in.Query, Notes: in.Notes, Hint: in.Hint, Unit: unitName(ci.Unit)}
	n := len(ci.Series)
	state := fmt.Sprintf("%d series · step %s", n, query.PromDuration(ci.Step))
	if n > chart.MaxSeries {
		body.Message = fmt.Sprintf("The query returned %d series; a graph draws at most %d. Aggregate it (sum by (service) (…)) or add label matchers.",
			n, chart.MaxSeries)
		return body, GraphState{"too many series", "status-down"}
	}
	c := in.Built
	if c == nil {
		c = chart.BuildChart(ci)
	}
	if c.Empty {
		body.Message = "No data: the query matched no samples between " + ci.From.In(ci.Loc).Format("Jan 2 15:04:05") +
			" and " + ci.To.In(ci.Loc).Format("Jan 2 15:04:05") + "."
		return body, GraphState{"no data", "status-off"}
	}
	body.Chart, body.Pin = c, in.Pin
	for _, s := range c.Series {
		e := LegendEntry{Series: s, IsolateURL: in.With("only", s.ID)}
		if ci.Only == s.ID {
			e.Isolated = true
			e.IsolateURL = in.With("only", "")
			body.ResetURL = in.With("only", "")
		}
		body.Legend = append(body.Legend, e)
	}
	if len(c.Markers) > 0 {
		state += fmt.Sprintf(" · %d exemplars", len(c.Markers))
	}
	if c.Check != nil && c.Check.Missing > 0 {
		state += fmt.Sprintf(" · %d traces missing", c.Check.Missing)
	}
	body.ExemplarCheck = c.Check.Note()
	if len(c.Spikes) > 0 {
		state += fmt.Sprintf(" · %d spikes", len(c.Spikes))
	}
	return body, GraphState{state, "status-ok"}
}

func unitName(u chart.Unit) string {
	switch u {
	case chart.UnitSeconds:
		return "seconds"
	case chart.UnitBytes:
		return "bytes"
	}
	return ""
}
