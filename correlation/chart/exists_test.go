package chart

import (
	"strings"
	"testing"
	"time"

	"github.com/ariadne-dev/ariadne/datasources"
)

func spikeChart() *Chart {
	from := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	return BuildChart(ChartInput{
		Series: []datasources.Series{calmWithSpike(map[string]string{"service": "orders"}, from)},
		Exemplars: []datasources.Exemplar{
			exemplar("orders", "00000000000000000000000000000aaa", from.Add(5*time.Minute), 1.9),
			exemplar("orders", "00000000000000000000000000000bbb", from.Add(5*time.Minute+time.Second), 2.6), // slowest in the spike
			exemplar("orders", "00000000000000000000000000000eee", from.Add(5*time.Minute+2*time.Second), 2.2),
			exemplar("orders", "00000000000000000000000000000ccc", from.Add(time.Minute), 0.1),
			exemplar("orders", "not-a-trace-id", from.Add(2*time.Minute), 0.3),
		},
		From: from, To: from.Add(10 * time.Minute), Step: 5 * time.Second, Unit: UnitSeconds,
	})
}

func TestMarkerTraceIDs(t *testing.T) {
	c := spikeChart()
	got := MarkerTraceIDs(c, 3)
	want := []string{"00000000000000000000000000000bbb", "00000000000000000000000000000eee", "00000000000000000000000000000aaa"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("slowest first, at most 3: %v", got)
	}
	if n := len(MarkerTraceIDs(c, 100)); n != 4 {
		t.Errorf("%d distinct trace IDs, want 4 (the one without an ID left out)", n)
	}
}

func TestMarkMissing(t *testing.T) {
	cases := []struct {
		name        string
		found       map[string]bool
		investigate string // the spike's trace
		check       ExemplarCheck
		note        string
	}{
		{"the slowest is missing: Investigate picks the slowest that exists",
			map[string]bool{"00000000000000000000000000000bbb": false, "00000000000000000000000000000eee": false, "00000000000000000000000000000aaa": true, "00000000000000000000000000000ccc": true},
			"00000000000000000000000000000aaa", ExemplarCheck{Checked: 4, Missing: 2},
			"Checked 4 exemplar traces: 2 missing (hollow markers)"},
		{"an existing one wins over an unchecked faster one",
			map[string]bool{"00000000000000000000000000000bbb": false, "00000000000000000000000000000aaa": true},
			"00000000000000000000000000000aaa", ExemplarCheck{Checked: 2, Missing: 1, Unchecked: 2}, "2 more not checked."},
		{"unchecked only: the slowest unchecked", map[string]bool{"00000000000000000000000000000bbb": false},
			"00000000000000000000000000000eee", ExemplarCheck{Checked: 1, Missing: 1, Unchecked: 3}, "1 missing (hollow markers): no trace backend has it"},
		{"all missing: no Investigate",
			map[string]bool{"00000000000000000000000000000bbb": false, "00000000000000000000000000000eee": false, "00000000000000000000000000000aaa": false, "00000000000000000000000000000ccc": false},
			"", ExemplarCheck{Checked: 4, Missing: 4}, "4 missing"},
		{"all exist", map[string]bool{"00000000000000000000000000000bbb": true, "00000000000000000000000000000eee": true, "00000000000000000000000000000aaa": true, "00000000000000000000000000000ccc": true},
			"00000000000000000000000000000bbb", ExemplarCheck{Checked: 4}, "every one exists."},
	}
	for _, tc := range cases {
		c := spikeChart()
		MarkMissing(c, tc.found)
		if len(c.Spikes) != 1 || c.Spikes[0].TraceID != tc.investigate {
			t.Errorf("%s: investigate %q", tc.name, c.Spikes[0].TraceID)
		}
		if tc.investigate == "" && c.Spikes[0].Investigate != "" {
			t.Errorf("%s: a link %q to a missing trace", tc.name, c.Spikes[0].Investigate)
		}
		if *c.Check != tc.check {
			t.Errorf("%s: check %+v, want %+v", tc.name, *c.Check, tc.check)
		}
		if !strings.Contains(c.Check.Note(), tc.note) {
			t.Errorf("%s: note %q", tc.name, c.Check.Note())
		}
		for _, m := range c.Markers {
			ok, asked := tc.found[m.TraceID]
			if m.Missing != (asked && !ok) || m.Missing != strings.Contains(m.Title, "No trace backend has this trace") {
				t.Errorf("%s: marker %s missing=%v title %q", tc.name, m.TraceID, m.Missing, m.Title)
			}
		}
	}
	var none *ExemplarCheck
	if none.Note() != "" || (&ExemplarCheck{Unchecked: 3}).Note() != "" {
		t.Error("nothing checked says nothing")
	}
}
