package views

import (
	"strconv"

	"github.com/a-h/templ"

	"github.com/ariadne-dev/ariadne/correlation/chart"
)

// GraphPage is the graph page around its panels: the query boxes, kept as
// typed, and the page-wide controls.
type GraphPage struct {
	Queries   []GraphQuery
	Hidden    []Hidden // from, to, step, utc, only: kept when the queries are submitted
	Step      string   // as typed; empty for automatic
	StepError string
	UTC       bool
	ZoneLink  Link // toggles UTC and the viewer's zone
	Example   string
	// ExampleURL opens the demo's latency graph.
	ExampleURL string
	// Picker is the label picker under the query boxes and Builder the
	// latency builder (pickers.templ); nil leaves them out.
	Picker, Builder templ.Component
}

// GraphQuery is one query box.
type GraphQuery struct {
	Name  string // the URL parameter: q, q2, q3…
	Label string
	Value string
	// LegendName is its legend format's parameter (legend, legend2, …)
	// and Legend the format ("{{route}}").
	LegendName, Legend string
}

// GraphBody is the body of one query's panel.
type GraphBody struct {
	Chart  *chart.Chart // nil with Message set
	Legend []LegendEntry
	// ResetURL shows every series again, set while one is isolated.
	ResetURL string
	Message  string // "no data", "too many series": replaces the chart
	Hint     string // e.g. exemplar storage is off
	// ExemplarCheck says how many exemplar traces were checked and how
	// many are missing; "" when none were checked.
	ExemplarCheck string
	Notes         []string
	Unit          string // "seconds", "bytes" or "": for the script's readout
	Label         string // the chart's accessible name
	Pin           *PinFormData
}

// LegendEntry is one series in the legend.
type LegendEntry struct {
	Series     chart.ChartSeries
	IsolateURL string // the page with only this series (or all again)
	Isolated   bool
}

func f1(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func colorClass(c int) string {
	if c < 0 {
		return "cx"
	}
	return "c" + strconv.Itoa(c)
}

func ms(v int64) string { return strconv.FormatInt(v, 10) }

// firstSpikes is at most n of spikes.
func firstSpikes(spikes []chart.ChartSpike, n int) []chart.ChartSpike {
	return spikes[:min(n, len(spikes))]
}
