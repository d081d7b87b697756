package chart

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ariadne-dev/ariadne/datasources"
)

// calmWithSpike is a series every 5 s for 10 minutes: 0.1 s, with a
// plateau of 2 s from minute 4 to minute 6.
func calmWithSpike(labels map[string]string, from time.Time) datasources.Series {
	s := datasources.Series{Labels: labels}
	for t := from; !t.After(from.Add(10 * time.Minute)); t = t.Add(5 * time.Second) {
		v := 0.1 + 0.002*float64(t.Unix()%7)
		if off := t.Sub(from); off >= 4*time.Minute && off < 6*time.Minute {
			v = 2
		}
		s.Points = append(s.Points, datasources.Point{TMs: t.UnixMilli(), V: v})
	}
	return s
}

func exemplar(service, trace string, at time.Time, v float64) datasources.Exemplar {
	return datasources.Exemplar{SeriesLabels: map[string]string{"__name__": "x_bucket", "service": service, "le": "5"},
		Labels: map[string]string{"trace_id": trace}, TMs: at.UnixMilli(), Value: v}
}

func TestBuildChartMarkersAndSpikes(t *testing.T) {
	from := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	in := ChartInput{
		Series: []datasources.Series{
			calmWithSpike(map[string]string{"service": "orders"}, from),
			{Labels: map[string]string{"service": "payments"}, Points: []datasources.Point{{TMs: from.UnixMilli(), V: 0.2}, {TMs: from.Add(10 * time.Minute).UnixMilli(), V: 0.2}}},
		},
		Exemplars: []datasources.Exemplar{
			exemplar("orders", "00000000000000000000000000000aaa", from.Add(5*time.Minute), 1.9),             // in the spike
			exemplar("orders", "00000000000000000000000000000bbb", from.Add(5*time.Minute+time.Second), 2.6), // in it, slower
			exemplar("orders", "00000000000000000000000000000ccc", from.Add(time.Minute), 0.1),               // calm
			exemplar("payments", "00000000000000000000000000000ddd", from.Add(5*time.Minute), 3.0),           // slowest, other series
			exemplar("unknown", "not-a-trace-id", from.Add(2*time.Minute), 0.3),                              // nobody's, no link
		},
		From: from, To: from.Add(10 * time.Minute), Step: 5 * time.Second, Unit: UnitSeconds,
	}
	c := BuildChart(in)
	owner := map[string]string{}
	inSpike := map[string]bool{}
	for _, m := range c.Markers {
		owner[m.TraceID] = m.Series
		inSpike[m.TraceID] = m.InSpike
		if m.TraceID == "" && m.Href != "" {
			t.Errorf("a marker without a trace ID links to %q", m.Href)
		}
	}
	orders, payments := c.Series[0].ID, c.Series[1].ID
	if owner["00000000000000000000000000000aaa"] != orders || owner["00000000000000000000000000000ddd"] != payments || owner[""] != "" {
		t.Errorf("marker owners %v (orders %s, payments %s)", owner, orders, payments)
	}
	if !inSpike["00000000000000000000000000000aaa"] || !inSpike["00000000000000000000000000000bbb"] || inSpike["00000000000000000000000000000ccc"] || inSpike["00000000000000000000000000000ddd"] {
		t.Errorf("in spike: %v", inSpike)
	}
	if len(c.Spikes) != 1 {
		t.Fatalf("%d spikes, want the orders plateau only", len(c.Spikes))
	}
	sp := c.Spikes[0]
	x4, x6 := c.PlotX+0.4*c.PlotW, c.PlotX+0.6*c.PlotW
	if sp.SeriesID != orders || sp.X > x4+1 || sp.X+sp.W < x6-c.PlotW/120-1 || sp.X < x4-c.PlotW/60 {
		t.Errorf("spike shaded over [%.1f, %.1f], the plateau is [%.1f, %.1f]", sp.X, sp.X+sp.W, x4, x6)
	}
	// Investigate opens the slowest exemplar of its own series in it.
	if sp.TraceID != "00000000000000000000000000000bbb" || !strings.HasPrefix(sp.Investigate, "/traces/00000000000000000000000000000bbb?from=") {
		t.Errorf("investigate %q (%s)", sp.Investigate, sp.TraceID)
	}
	if !strings.HasPrefix(sp.Logs, "/logs?from=") || !strings.Contains(sp.Logs, "service_name%3D%22orders%22") {
		t.Errorf("logs %q", sp.Logs)
	}
	// The slow traces of the spike against the calm ones of the view: the
	// service's, at least the calm level (about 100 ms) long.
	for _, want := range []string{"/traces/compare?base_from=2026-11-26T10%3A00%3A00Z&base_to=2026-11-26T10%3A10%3A00Z&from=2026-11-26T10%3A03%3A57Z",
		"&min=10", "ms&service=orders&to=2026-11-26T10%3A05%3A58Z"} {
		if !strings.Contains(sp.Compare, want) {
			t.Errorf("compare %q lacks %q", sp.Compare, want)
		}
	}
	in.Unit = UnitNone
	if c := BuildChart(in); c.Spikes[0].Compare != "" {
		t.Errorf("a series not in seconds says what slow is: %q", c.Spikes[0].Compare)
	}
}

func TestBuildChartIsolatesAndReportsEmpty(t *testing.T) {
	from := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	a := calmWithSpike(map[string]string{"service": "a"}, from)
	b := calmWithSpike(map[string]string{"service": "b"}, from)
	c := BuildChart(ChartInput{Series: []datasources.Series{a, b}, From: from, To: from.Add(10 * time.Minute), Step: 5 * time.Second})
	only := BuildChart(ChartInput{Series: []datasources.Series{a, b}, From: from, To: from.Add(10 * time.Minute), Step: 5 * time.Second, Only: c.Series[1].ID})
	if only.Series[0].Hidden == false || only.Series[1].Hidden || len(only.Spikes) != 1 || only.Spikes[0].SeriesID != c.Series[1].ID {
		t.Errorf("isolating b: hidden %v %v, spikes %+v", only.Series[0].Hidden, only.Series[1].Hidden, only.Spikes)
	}
	if c.Series[0].ID == c.Series[1].ID || c.Series[0].Color == c.Series[1].Color {
		t.Errorf("two series share an ID or a colour: %+v", c.Series)
	}
	nan := BuildChart(ChartInput{Series: []datasources.Series{{Points: []datasources.Point{{TMs: from.UnixMilli(), V: math.NaN()}}}}, From: from, To: from.Add(time.Minute), Step: time.Second})
	if !nan.Empty {
		t.Error("a chart of only NaN is not empty")
	}
}

func TestVolumeLayout(t *testing.T) {
	from := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	ms := func(s int) int64 { return from.Add(time.Duration(s) * time.Second).UnixMilli() }
	series := []datasources.Series{
		{Labels: map[string]string{"level": "error"}, Points: []datasources.Point{{TMs: ms(10), V: 2}, {TMs: ms(20), V: math.NaN()}}},
		{Labels: map[string]string{"level": "info"}, Points: []datasources.Point{{TMs: ms(10), V: 6}, {TMs: ms(20), V: 4}}},
		{Labels: map[string]string{"level": "audit"}, Points: []datasources.Point{{TMs: ms(20), V: 1}}},
	}
	v := VolumeLayout(series, func(s datasources.Series) string { return s.Labels["level"] }, []string{"error", "warn", "info", ""}, from, from.Add(100*time.Second), 10*time.Second, time.UTC)
	if v.Total != 13 || v.Max != 8 || strings.Join(v.Levels, ",") != "error,info," {
		t.Fatalf("total %v, max %v, levels %q", v.Total, v.Max, v.Levels)
	}
	if len(v.Bars) != 2 {
		t.Fatalf("%d bars", len(v.Bars))
	}
	b := v.Bars[0] // (0 s, 10 s]: 2 error at the bottom, 6 info above
	if b.X != 1 || b.W != 8 || len(b.Parts) != 2 || b.Parts[0].Level != "error" || b.Parts[0].Y != VolumeHeight-22 || b.Parts[0].H != 22 || b.Parts[1].Y != VolumeHeight-88 {
		t.Errorf("first bar %+v", b)
	}
	if got := v.Bars[1].Parts; len(got) != 2 || got[1].Level != "" || got[1].Count != 1 {
		t.Errorf("second bar: an unknown level counts as other on top: %+v", got)
	}
}

// A series is never called "{}": a query that aggregates everything away
// is named by the fallback, and a legend format names series from their
// labels (#20 item 5).
func TestSeriesNames(t *testing.T) {
	route := []Label{{"route", "/api/checkout"}, {"status", "500"}}
	tests := []struct {
		name     string
		labels   []Label
		legend   string
		fallback string
		want     string
	}{
		{"label set", route, "", "Query 1", `{route="/api/checkout", status="500"}`},
		{"aggregated away", nil, "", "sum(rate(x[1m]))", "sum(rate(x[1m]))"},
		{"metric name only", []Label{{"__name__", "up"}}, "", "Query 1", "up"},
		{"legend format", route, "{{route}} → {{status}}", "Query 1", "/api/checkout → 500"},
		{"legend naming a missing label", route, "{{service}}", "Query 2", "Query 2"},
		{"unclosed braces kept", route, "{{route", "Query 1", "{{route"},
	}
	for _, tt := range tests {
		if got := seriesName(tt.labels, tt.legend, tt.fallback); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}

// A busy view draws at most a few exemplars per series and sliver of
// time, the slowest and every failed one, and says how many it left out;
// one series' overlapping spikes are one band (#20 item 10).
func TestBuildChartThinsExemplarsAndMergesSpikes(t *testing.T) {
	from := time.Date(2026, 3, 4, 10, 0, 0, 0, time.UTC)
	to := from.Add(15 * time.Minute)
	s := datasources.Series{Labels: map[string]string{"service": "shop"}}
	for ts := from; !ts.After(to); ts = ts.Add(15 * time.Second) {
		s.Points = append(s.Points, datasources.Point{TMs: ts.UnixMilli(), V: 0.1})
	}
	var ex []datasources.Exemplar
	at := from.Add(5 * time.Minute)
	for i := range 1000 { // 1,000 requests in the same second
		e := exemplar("shop", fmt.Sprintf("%032x", i+1), at.Add(time.Duration(i)*time.Millisecond), 0.1+float64(i)/10000)
		ex = append(ex, e)
	}
	failed := exemplar("shop", fmt.Sprintf("%032x", 5000), at, 0.05)
	failed.SeriesLabels["status"] = "503"
	ex = append(ex, failed)
	c := BuildChart(ChartInput{Series: []datasources.Series{s}, Exemplars: ex, From: from, To: to, Step: 15 * time.Second, Loc: time.UTC})
	var ids []string
	for _, m := range c.Markers {
		ids = append(ids, m.TraceID)
	}
	if len(c.Markers) != MarkersPerColumn+1 || c.Dropped != len(ex)-len(c.Markers) {
		t.Fatalf("%d markers drawn, %d dropped: %v", len(c.Markers), c.Dropped, ids)
	}
	if !slices.Contains(ids, fmt.Sprintf("%032x", 1000)) || !slices.Contains(ids, fmt.Sprintf("%032x", 5000)) {
		t.Errorf("kept %v, want the slowest (…3e8) and the failed one (…1388)", ids)
	}

	spikes := []Spike{{FromMs: 0, ToMs: 100, Peak: 2}, {FromMs: 90, ToMs: 200, Peak: 5, PeakMs: 150}, {FromMs: 215, ToMs: 300, Peak: 3}, {FromMs: 1000, ToMs: 1100, Peak: 1}}
	got := mergeSpikes(spikes, 15)
	if len(got) != 2 || got[0].FromMs != 0 || got[0].ToMs != 300 || got[0].Peak != 5 || got[0].PeakMs != 150 || got[1].FromMs != 1000 {
		t.Errorf("merged %+v", got)
	}
}
