package chart

import (
	"cmp"
	"hash/fnv"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ariadne-dev/ariadne/datasources"

	"github.com/ariadne-dev/ariadne/correlation/links"
)

// Chart geometry, in SVG user units. The SVG scales to its box; the plot
// width is also the pixel budget for the step and the decimation.
const (
	ChartWidth  = 1200
	ChartHeight = 360
	plotLeft    = 70
	plotRight   = 16
	plotTop     = 12
	plotBottom  = 28
	// PlotWidth is how many pixel columns a series is drawn over.
	PlotWidth = ChartWidth - plotLeft - plotRight
	// MaxSeries is the most series one chart draws; beyond it a line per
	// series is unreadable and the page says so instead.
	MaxSeries = 100
	// MaxMarkers caps exemplar markers; the slowest are kept.
	MaxMarkers = 5000
	// MarkersPerColumn exemplars of one series are drawn per
	// MarkerColumn-wide strip of the plot: the slowest, plus every
	// failed request's. More would be a smear nobody can click.
	MarkersPerColumn = 2
	MarkerColumn     = 4.0
	// Palette is the number of series colours (CSS classes c0…c11).
	Palette = 12
)

// ChartInput is everything a chart is drawn from.
type ChartInput struct {
	Series      []datasources.Series
	Exemplars   []datasources.Exemplar
	From, To    time.Time
	Step        time.Duration
	Loc         *time.Location // the zone of the time axis and tooltips
	Unit        Unit
	TraceLabels []string // exemplar labels holding the trace ID
	Only        string   // the ID of the series to isolate, if any
	// Legend names each series from its labels, Grafana's way:
	// "{{route}} {{status}}". Empty: the series' label set.
	Legend string
	// Fallback names a series with no labels to tell it by (a query that
	// aggregates everything away would otherwise be called "{}").
	Fallback string
}

// Chart is a chart laid out: every coordinate computed, every label and
// link written, ready for a template to print.
type Chart struct {
	Width, Height         float64
	PlotX, PlotY          float64
	PlotW, PlotH          float64
	PlotRight, PlotBottom float64
	XTicks, YTicks        []Tick
	Series                []ChartSeries
	Markers               []Marker
	Spikes                []ChartSpike
	// Check is what MarkMissing found of the markers' traces; nil when
	// they were not checked.
	Check *ExemplarCheck
	// Empty: no finite point at all ("no data").
	Empty   bool
	Dropped int // exemplar markers not drawn (over MaxMarkers, or thinned per column)
	// FromMs and ToMs are the time range, for the script's crosshair and
	// zoom; YMin and YMax the value range.
	FromMs, ToMs int64
	YMin, YMax   float64
}

// ChartSeries is one line and its legend entry.
type ChartSeries struct {
	ID     string // stable across reloads: a hash of the labels
	Name   string // {service="orders"}
	Labels []Label
	Color  int
	Path   string // SVG path data, one subpath per unbroken stretch
	Hidden bool   // another series is isolated
	Max    string // the largest value, formatted
	Last   string
}

// Label is one label pair, in name order.
type Label struct{ Name, Value string }

// Marker is one exemplar drawn at (time, value).
type Marker struct {
	X, Y    float64
	Color   int
	TraceID string // "" when the exemplar carries no valid trace ID
	Href    string
	Title   string // the tooltip: trace ID, value, time, series labels
	Series  string // the chart series' ID, "" when none matches
	InSpike bool
	// Missing is set when no trace backend has the exemplar's trace
	// (MarkMissing): drawn hollow.
	Missing bool
}

// ChartSpike is a shaded window of one series with its links.
type ChartSpike struct {
	X, W        float64
	Color       int
	SeriesID    string
	SeriesName  string
	Service     string
	When        string // "10:03:05–10:04:10"
	Peak        string // "2.4 s"
	Calm        string // "300 ms"
	Title       string
	Investigate string // the slowest exemplar's trace, "" when none
	TraceID     string
	Logs        string // the service's logs in the window, "" without a service label
	// Compare is "what do the slow traces have in common?": the service's
	// traces with a span at least as slow as the calm level in the spike's
	// window against its other traces over the chart's window; "" without
	// a service label or for a series not in seconds.
	Compare string
	// markers are the indexes of the markers in the spike, for
	// MarkMissing to choose Investigate again.
	markers []int
}

// BuildChart lays out a chart. Series are in the caller's order, coloured
// by their labels (stable across reloads and queries).
func BuildChart(in ChartInput) *Chart {
	if in.Loc == nil {
		in.Loc = time.UTC
	}
	c := &Chart{Width: ChartWidth, Height: ChartHeight, PlotX: plotLeft, PlotY: plotTop,
		PlotW: PlotWidth, PlotH: ChartHeight - plotTop - plotBottom,
		FromMs: in.From.UnixMilli(), ToMs: in.To.UnixMilli()}
	c.PlotRight, c.PlotBottom = c.PlotX+c.PlotW, c.PlotY+c.PlotH
	span := float64(c.ToMs - c.FromMs)
	xOf := func(ms int64) float64 { return c.PlotX + float64(ms-c.FromMs)/span*c.PlotW }

	// The value range covers the series and the exemplars in the window.
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, s := range in.Series {
		for _, p := range s.Points {
			if finite(p.V) {
				lo, hi = math.Min(lo, p.V), math.Max(hi, p.V)
			}
		}
	}
	c.Empty = math.IsInf(lo, 1)
	for _, e := range in.Exemplars {
		if finite(e.Value) && e.TMs >= c.FromMs && e.TMs <= c.ToMs {
			lo, hi = math.Min(lo, e.Value), math.Max(hi, e.Value)
		}
	}
	axis := NewValueAxis(lo, hi, 5, in.Unit)
	c.YMin, c.YMax = axis.Min, axis.Max
	yOf := func(v float64) float64 { return c.PlotBottom - (v-axis.Min)/(axis.Max-axis.Min)*c.PlotH }
	for _, v := range axis.Ticks {
		c.YTicks = append(c.YTicks, Tick{Pos: round1(yOf(v)), Label: axis.Label(v)})
	}
	c.XTicks = TimeTicks(in.From, in.To, in.Loc, 10, func(t time.Time) float64 { return round1(xOf(t.UnixMilli())) })

	stepMs := in.Step.Milliseconds()
	var buf []byte
	c.Series = make([]ChartSeries, len(in.Series))
	for i, s := range in.Series {
		cs := &c.Series[i]
		cs.Labels = sortedLabels(s.Labels)
		cs.ID, cs.Color = seriesID(cs.Labels)
		cs.Name = seriesName(cs.Labels, in.Legend, in.Fallback)
		cs.Hidden = in.Only != "" && in.Only != cs.ID
		buf = appendPath(buf[:0], Decimate(s.Points, c.FromMs, c.ToMs, PlotWidth), stepMs, xOf, yOf)
		cs.Path = string(buf)
		maxV, last := math.Inf(-1), math.NaN()
		for _, p := range s.Points {
			if finite(p.V) {
				maxV, last = math.Max(maxV, p.V), p.V
			}
		}
		if !math.IsInf(maxV, -1) {
			cs.Max, cs.Last = FormatValue(maxV, in.Unit), FormatValue(last, in.Unit)
		}
	}
	if in.Only != "" && !slices.ContainsFunc(c.Series, func(s ChartSeries) bool { return !s.Hidden }) {
		// The isolated series is not in this chart: show them all.
		for i := range c.Series {
			c.Series[i].Hidden = false
		}
	}

	owners := c.markers(in, xOf, yOf)
	c.spikes(in, owners, xOf)
	return c
}

// markers places the exemplars and returns, for each, the index of the
// series it belongs to (-1 for none).
func (c *Chart) markers(in ChartInput, xOf func(int64) float64, yOf func(float64) float64) []int {
	ex := in.Exemplars
	if len(ex) > MaxMarkers {
		ex = slices.Clone(ex)
		slices.SortFunc(ex, func(a, b datasources.Exemplar) int { return -cmpFloat(a.Value, b.Value) })
		c.Dropped = len(ex) - MaxMarkers
		ex = ex[:MaxMarkers]
	}
	// Thin per series and pixel strip: the slowest few, and every
	// exemplar of a failed request, which is what one looks for.
	type candidate struct {
		e     datasources.Exemplar
		owner int
		x     float64
		i     int // order in the answer, which the markers keep
	}
	cands := make([]candidate, 0, len(ex))
	for _, e := range ex {
		if !finite(e.Value) || e.TMs < c.FromMs || e.TMs > c.ToMs {
			continue
		}
		owner := c.ownerOf(e.SeriesLabels)
		if owner >= 0 && c.Series[owner].Hidden {
			continue
		}
		cands = append(cands, candidate{e, owner, round1(xOf(e.TMs)), len(cands)})
	}
	slices.SortStableFunc(cands, func(a, b candidate) int { return -cmpFloat(a.e.Value, b.e.Value) })
	type strip struct {
		owner int
		col   int
	}
	perStrip := map[strip]int{}
	kept := cands[:0:0]
	for _, cd := range cands {
		k := strip{cd.owner, int(cd.x / MarkerColumn)}
		if perStrip[k] >= MarkersPerColumn && !failedExemplar(cd.e) {
			c.Dropped++
			continue
		}
		perStrip[k]++
		kept = append(kept, cd)
	}
	slices.SortFunc(kept, func(a, b candidate) int { return a.i - b.i })
	owners := make([]int, 0, len(kept))
	c.Markers = make([]Marker, 0, len(kept))
	var sb strings.Builder
	for _, cd := range kept {
		e, owner := cd.e, cd.owner
		m := Marker{X: cd.x, Y: round1(yOf(e.Value)), Color: -1}
		if owner >= 0 {
			m.Color, m.Series = c.Series[owner].Color, c.Series[owner].ID
		}
		at := time.UnixMilli(e.TMs)
		sb.Reset()
		if id, ok := links.ExemplarTraceID(e.Labels, in.TraceLabels); ok {
			m.TraceID, m.Href = id, links.ExemplarTrace(id, at)
			sb.WriteString("Trace ")
			sb.WriteString(id)
		} else {
			sb.WriteString("Exemplar without a trace ID")
		}
		sb.WriteString("\n")
		sb.WriteString(FormatValue(e.Value, in.Unit))
		sb.WriteString(" at ")
		sb.WriteString(at.In(in.Loc).Format("15:04:05"))
		sb.WriteString("\n")
		sb.WriteString(labelSetName(sortedLabels(e.SeriesLabels)))
		m.Title = sb.String()
		c.Markers = append(c.Markers, m)
		owners = append(owners, owner)
	}
	return owners
}

// mergeSpikes joins one series' spikes that overlap or lie within a step
// of each other into one band with the higher peak: a long incident read
// as a dozen flickering bands is one incident.
func mergeSpikes(sp []Spike, stepMs int64) []Spike {
	if len(sp) < 2 {
		return sp
	}
	sp = slices.Clone(sp)
	slices.SortFunc(sp, func(a, b Spike) int { return cmp.Compare(a.FromMs, b.FromMs) })
	out := sp[:1]
	for _, s := range sp[1:] {
		last := &out[len(out)-1]
		if s.FromMs <= last.ToMs+stepMs {
			last.ToMs = max(last.ToMs, s.ToMs)
			if s.Peak > last.Peak {
				last.Peak, last.PeakMs = s.Peak, s.PeakMs
			}
			continue
		}
		out = append(out, s)
	}
	return out
}

// failedExemplar reports an exemplar of a failed request: its series
// carries a 5xx status or an error label.
func failedExemplar(e datasources.Exemplar) bool {
	for _, k := range []string{"status", "code", "status_code", "http_status_code", "http_response_status_code"} {
		if v := e.SeriesLabels[k]; len(v) == 3 && v[0] == '5' {
			return true
		}
	}
	return e.SeriesLabels["error"] == "true"
}

// ownerOf finds the chart series an exemplar's series belongs to: the
// first whose every label the exemplar's series has with the same value
// (a p99 "by service" owns the buckets of that service).
func (c *Chart) ownerOf(labels map[string]string) int {
	for i, s := range c.Series {
		ok := true
		for _, l := range s.Labels {
			if l.Name == "__name__" {
				continue
			}
			if labels[l.Name] != l.Value {
				ok = false
				break
			}
		}
		if ok {
			return i
		}
	}
	return -1
}

// spikes finds each visible series' spikes and links each to its slowest
// exemplar and its service's logs.
func (c *Chart) spikes(in ChartInput, owners []int, xOf func(int64) float64) {
	stepMs := in.Step.Milliseconds()
	for i, s := range in.Series {
		cs := c.Series[i]
		if cs.Hidden {
			continue
		}
		found, st := FindSpikes(s.Points, stepMs)
		for _, sp := range mergeSpikes(found, stepMs) { // as SeriesSpikes, keeping st for the labels
			from, to := max(sp.FromMs, c.FromMs), min(sp.ToMs, c.ToMs)
			if to <= from {
				continue
			}
			x0, x1 := round1(xOf(from)), round1(xOf(to))
			out := ChartSpike{X: x0, W: round1(max(x1-x0, 2)), Color: cs.Color, SeriesID: cs.ID, SeriesName: cs.Name,
				Service: s.Labels["service"],
				When:    time.UnixMilli(from).In(in.Loc).Format("15:04:05") + "–" + time.UnixMilli(to).In(in.Loc).Format("15:04:05"),
				Peak:    FormatValue(sp.Peak, in.Unit), Calm: FormatValue(st.Baseline, in.Unit)}
			slowest := -1
			for k := range c.Markers {
				m := &c.Markers[k]
				if owners[k] != i || m.X < x0 || m.X > x1 {
					continue
				}
				m.InSpike = true
				out.markers = append(out.markers, k)
				if m.TraceID != "" && (slowest < 0 || m.Y < c.Markers[slowest].Y) {
					slowest = k
				}
			}
			if slowest >= 0 {
				out.Investigate, out.TraceID = c.Markers[slowest].Href, c.Markers[slowest].TraceID
			}
			if out.Service != "" {
				out.Logs = links.ServiceLogs(out.Service, links.TimeRange{From: time.UnixMilli(from), To: time.UnixMilli(to)})
				out.Compare = spikeCompare(out.Service, st.Baseline, in.Unit, links.TimeRange{From: time.UnixMilli(from), To: time.UnixMilli(to)},
					links.TimeRange{From: time.UnixMilli(c.FromMs), To: time.UnixMilli(c.ToMs)})
			}
			out.Title = cs.Name + ": spike " + out.When + ", peak " + out.Peak + " (calm " + out.Calm + ")"
			c.Spikes = append(c.Spikes, out)
		}
	}
}

// spikeCompare compares a latency spike's slow traces with the calm ones:
// the service's traces with a span lasting at least the calm level, in
// the spike, against the service's others over the whole view. Only a
// series in seconds says what "slow" is.
func spikeCompare(service string, calm float64, unit Unit, spike, view links.TimeRange) string {
	if unit != UnitSeconds || !finite(calm) || calm <= 0 {
		return ""
	}
	slow := max(time.Duration(calm*float64(time.Second)).Round(time.Millisecond), time.Millisecond)
	return links.TraceCompare(links.SearchForm{Service: service, Min: slow.String(), Window: spike}, view, 0)
}

// appendPath writes points as SVG path data, coordinates rounded to one
// decimal: a new subpath ("M") after a gap (NaN, ±Inf, or a missing
// point), a line ("L") otherwise. A lone point becomes a dot-sized
// segment, so it stays visible.
func appendPath(b []byte, pts []datasources.Point, stepMs int64, xOf func(int64) float64, yOf func(float64) float64) []byte {
	pen := false
	var prevMs int64
	var lastX, lastY float64
	lone := false
	for _, p := range pts {
		if !finite(p.V) {
			pen = false
			continue
		}
		if pen && stepMs > 0 && p.TMs-prevMs > stepMs*3/2 {
			pen = false
		}
		x, y := round1(xOf(p.TMs)), round1(yOf(p.V))
		if !pen {
			if lone {
				b = append(b, "h0.1"...)
			}
			b = append(b, 'M')
			lone = true
		} else {
			if x == lastX && y == lastY {
				prevMs = p.TMs
				continue
			}
			b = append(b, 'L')
			lone = false
		}
		b = strconv.AppendFloat(b, x, 'f', -1, 64)
		b = append(b, ' ')
		b = strconv.AppendFloat(b, y, 'f', -1, 64)
		pen, prevMs, lastX, lastY = true, p.TMs, x, y
	}
	if lone {
		b = append(b, "h0.1"...)
	}
	return b
}

func round1(v float64) float64 { return math.Round(v*10) / 10 }

func sortedLabels(m map[string]string) []Label {
	out := make([]Label, 0, len(m))
	for k, v := range m {
		out = append(out, Label{k, v})
	}
	slices.SortFunc(out, func(a, b Label) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// seriesID hashes the labels: the same series gets the same ID and
// colour on every reload, whatever order Prometheus returns series in.
func seriesID(labels []Label) (string, int) {
	h := fnv.New64a()
	for _, l := range labels {
		h.Write([]byte(l.Name))
		h.Write([]byte{0})
		h.Write([]byte(l.Value))
		h.Write([]byte{0})
	}
	sum := h.Sum64()
	return strconv.FormatUint(sum&0xffffffff, 16), int(sum % Palette)
}

// seriesName writes labels as PromQL does: metric{a="1", b="2"}.
// seriesName is a series' name in the legend, readout and spike list:
// the legend format filled from its labels, else its label set; a name
// that says nothing ("", "{}") is fallback.
func seriesName(labels []Label, legend, fallback string) string {
	name := labelSetName(labels)
	if legend != "" {
		name = strings.TrimSpace(FormatLegend(legend, labels))
	}
	if name == "" || name == "{}" {
		return fallback
	}
	return name
}

// FormatLegend fills "{{name}}" placeholders with the label's value (""
// for a label the series lacks), as Grafana's legend format does.
func FormatLegend(format string, labels []Label) string {
	var b strings.Builder
	for {
		i := strings.Index(format, "{{")
		if i < 0 {
			b.WriteString(format)
			return b.String()
		}
		j := strings.Index(format[i:], "}}")
		if j < 0 {
			b.WriteString(format)
			return b.String()
		}
		b.WriteString(format[:i])
		key := strings.TrimSpace(format[i+2 : i+j])
		for _, l := range labels {
			if l.Name == key {
				b.WriteString(l.Value)
			}
		}
		format = format[i+j+2:]
	}
}

// labelSetName writes labels as PromQL does: name{k="v", …}, the metric
// name alone when it has no other labels, and "{}" for none at all.
func labelSetName(labels []Label) string {
	var b strings.Builder
	others := 0
	for _, l := range labels {
		if l.Name == "__name__" {
			b.WriteString(l.Value)
		} else {
			others++
		}
	}
	if others == 0 && b.Len() > 0 {
		return b.String()
	}
	b.WriteByte('{')
	first := true
	for _, l := range labels {
		if l.Name == "__name__" {
			continue
		}
		if !first {
			b.WriteString(", ")
		}
		first = false
		b.WriteString(l.Name)
		b.WriteByte('=')
		b.WriteString(strconv.Quote(l.Value))
	}
	b.WriteByte('}')
	return b.String()
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
