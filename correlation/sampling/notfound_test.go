package sampling

import (
	"strings"
	"testing"
	"time"
)

func TestExplain(t *testing.T) {
	now := time.Date(2031, 5, 6, 12, 0, 0, 0, time.UTC)
	base := Evidence{Now: now, Backend: "Tempo", FlushDelay: 30 * time.Second, Retention: 14 * 24 * time.Hour,
		ExemplarChecked: true, LogsChecked: true}
	with := func(f func(*Evidence)) Evidence { e := base; f(&e); return e }
	cases := []struct {
		name string
		e    Evidence
		// want is the ranked reasons with their likelihood, "reason:likelihood".
		want []string
		// says is a phrase the first explanation must contain.
		says string
	}{
		{"exemplar and logs, no spans: sampled out", with(func(e *Evidence) {
			e.ExemplarSeen, e.ExemplarAt = true, now.Add(-5*time.Minute)
			e.LogLines, e.FirstLogAt = 3, now.Add(-5*time.Minute-time.Second)
		}), []string{"sampled out:likely", "wrong backend:ruled out", "not yet ingested:ruled out", "outside retention:ruled out"},
			"A metric recorded an exemplar for it and 3 log lines carry its ID"},
		{"logs alone", with(func(e *Evidence) { e.LogLines, e.FirstLogAt = 1, now.Add(-time.Hour) }),
			[]string{"sampled out:likely", "wrong backend:ruled out", "not yet ingested:ruled out", "outside retention:ruled out"}, "1 log line carries its ID"},
		{"an exemplar seconds old: not yet ingested", with(func(e *Evidence) { e.ExemplarSeen, e.ExemplarAt = true, now.Add(-5*time.Second) }),
			[]string{"not yet ingested:likely", "outside retention:ruled out", "sampled out:possible", "wrong backend:ruled out"}[0:1], "try again shortly"},
		{"a link older than retention", with(func(e *Evidence) { e.LinkAt = now.Add(-30 * 24 * time.Hour) }),
			[]string{"outside retention:likely", "sampled out:possible", "wrong backend:ruled out", "not yet ingested:ruled out"}, "older than the"},
		{"another backend has it", with(func(e *Evidence) { e.Elsewhere = []string{"Jaeger"}; e.LinkAt = now.Add(-time.Hour) }),
			[]string{"wrong backend:likely", "sampled out:possible", "not yet ingested:ruled out", "outside retention:ruled out"}, "Jaeger has a trace"},
		{"nothing known", Evidence{Now: now, FlushDelay: time.Minute},
			[]string{"not yet ingested:possible", "outside retention:possible", "sampled out:possible", "wrong backend:ruled out"}, "Nothing says when"},
		{"checked, nothing found", with(func(e *Evidence) { e.LinkAt = now.Add(-time.Hour) }),
			[]string{"sampled out:possible", "wrong backend:ruled out", "not yet ingested:ruled out", "outside retention:ruled out"}, "mistyped"},
	}
	for _, c := range cases {
		got := Explain(c.e)
		var rows []string
		for _, x := range got {
			rows = append(rows, string(x.Reason)+":"+x.Likelihood.String())
		}
		if strings.Join(rows[:len(c.want)], ", ") != strings.Join(c.want, ", ") {
			t.Errorf("%s:\n got %v\nwant %v", c.name, rows, c.want)
		}
		if !strings.Contains(got[0].Why, c.says) {
			t.Errorf("%s: first says %q, want it to contain %q", c.name, got[0].Why, c.says)
		}
		if len(got) != 4 {
			t.Errorf("%s: %d explanations", c.name, len(got))
		}
	}
}

func TestFirstSeen(t *testing.T) {
	now := time.Date(2031, 5, 6, 12, 0, 0, 0, time.UTC)
	e := Evidence{ExemplarSeen: true, ExemplarAt: now, LogLines: 2, FirstLogAt: now.Add(-time.Second), LinkAt: now.Add(-time.Hour)}
	if at, by := e.FirstSeen(); !at.Equal(now.Add(-time.Second)) || by != "its first log line was written" {
		t.Errorf("first seen %v by %q", at, by)
	}
	e = Evidence{LinkAt: now}
	if at, by := e.FirstSeen(); !at.Equal(now) || by != "the link points to a moment" {
		t.Errorf("first seen %v by %q", at, by)
	}
	if at, _ := (Evidence{ExemplarAt: now}).FirstSeen(); !at.IsZero() {
		t.Error("an exemplar not seen is no sighting")
	}
}
