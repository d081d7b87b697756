package views

import (
	"strings"
	"testing"
	"time"

	"github.com/ariadne-dev/ariadne/correlation/chart"
	"github.com/ariadne-dev/ariadne/datasources"
)

func TestBuildGraphBody(t *testing.T) {
	from := time.Date(2026, 3, 4, 7, 0, 0, 0, time.UTC)
	to := from.Add(10 * time.Minute)
	series := func(n int) []datasources.Series {
		var out []datasources.Series
		for i := range n {
			s := datasources.Series{Labels: map[string]string{"service": string(rune('a' + i%26)), "i": strings.Repeat("x", i)}}
			for ts := from; !ts.After(to); ts = ts.Add(time.Minute) {
				s.Points = append(s.Points, datasources.Point{TMs: ts.UnixMilli(), V: 1})
			}
			out = append(out, s)
		}
		return out
	}
	with := func(k, v string) string { return "/graph?" + k + "=" + v }
	in := func(s []datasources.Series, only string) GraphBodyInput {
		return GraphBodyInput{Query: "up", With: with,
			Chart: chart.ChartInput{Series: s, From: from, To: to, Step: time.Minute, Loc: time.UTC, Only: only}}
	}

	body, st := BuildGraphBody(in(series(chart.MaxSeries+1), ""))
	if body.Chart != nil || !strings.Contains(body.Message, "at most") || st.Text != "too many series" {
		t.Errorf("too many series: chart %v, message %q, state %q", body.Chart != nil, body.Message, st.Text)
	}

	body, st = BuildGraphBody(in(nil, ""))
	if body.Chart != nil || body.Message != "No data: the query matched no samples between Mar 4 07:00:00 and Mar 4 07:10:00." || st.Class != "status-off" {
		t.Errorf("no data: message %q, state %+v", body.Message, st)
	}

	body, st = BuildGraphBody(in(series(2), ""))
	if body.Chart == nil || len(body.Legend) != 2 || body.ResetURL != "" || st.Text != "2 series · step 1m" {
		t.Fatalf("two series: legend %d, reset %q, state %q", len(body.Legend), body.ResetURL, st.Text)
	}
	id := body.Legend[1].Series.ID
	body, _ = BuildGraphBody(in(series(2), id))
	if !body.Legend[1].Isolated || body.Legend[1].IsolateURL != "/graph?only=" || body.ResetURL != "/graph?only=" {
		t.Errorf("isolated: %+v, reset %q", body.Legend[1], body.ResetURL)
	}
	if body.Legend[0].Isolated || body.Legend[0].IsolateURL != "/graph?only="+body.Legend[0].Series.ID {
		t.Errorf("the other series isolates itself: %+v", body.Legend[0])
	}
}
