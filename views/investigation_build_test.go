package views

import (
	"fmt"
	"github.com/ariadne-dev/ariadne/store"
	"strings"
	"testing"
	"time"

	"github.com/ariadne-dev/ariadne/correlation/logline"
	"github.com/ariadne-dev/ariadne/correlation/snapshot"
	"github.com/ariadne-dev/ariadne/datasources"
)

// A pinned line is coloured by the same reading of levels as the logs
// page: crit, panic and fatal are errors on both.
func TestPinnedLineLevelsMatchTheLogsPage(t *testing.T) {
	tests := []struct {
		name string
		line snapshot.Line
		want string
	}{
		{"crit label", snapshot.Line{Labels: map[string]string{"level": "crit"}, Line: "disk full"}, "lvl-error"},
		{"panic in JSON", snapshot.Line{Line: `{"level":"panic","msg":"nil map"}`}, "lvl-error"},
		{"FATAL in logfmt", snapshot.Line{Line: `ts=1 level=FATAL msg="cannot bind"`}, "lvl-error"},
		{"critical", snapshot.Line{Labels: map[string]string{"level": "critical"}}, "lvl-error"},
		{"warning", snapshot.Line{Line: `{"level":"warning"}`}, "lvl-warn"},
		{"info", snapshot.Line{Line: `level=info msg=ok`}, "lvl-info"},
		{"no level", snapshot.Line{Line: "plain text"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := PinnedLineLevel(tt.line)
			page := LevelClass(logline.LineLevel(&datasources.LogLine{Line: tt.line.Line, Labels: tt.line.Labels}))
			if got != tt.want || got != page {
				t.Errorf("card class %q, logs page class %q, want %q", got, page, tt.want)
			}
		})
	}
}

// A card of a pinned span in a big trace keeps what explains the pin: the
// span, its ancestors and its children, and the failed spans, and no more
// (it repeated the whole trace, #20 item 9); it says how many rows it
// left out.
func TestCardWaterfallKeepsTheFocus(t *testing.T) {
	tr := &snapshot.Trace{ID: "t1", StartNs: 0, EndNs: 1000, TotalSpans: 100}
	// A chain s0 → s1 → … → s29, then s30…s99 children of the root; s80
	// failed; s20 is pinned.
	for i := 0; i < 100; i++ {
		s := snapshot.Span{ID: fmt.Sprint("s", i), Name: fmt.Sprint("op", i), StartNs: int64(i), EndNs: int64(i + 10)}
		switch {
		case i == 0:
		case i < 30:
			s.Parent = fmt.Sprint("s", i-1)
		default:
			s.Parent = "s0"
		}
		s.Error = i == 80
		tr.Spans = append(tr.Spans, s)
	}
	tr.Focus = "s20"
	w := cardWaterfall(tr)
	shown := map[string]InvSpanRow{}
	for _, r := range w.Rows {
		shown[r.Name] = r
	}
	// s0…s20 (the path), s21 (its child), s80 (failed).
	if len(w.Rows) != 23 || w.Hidden != 100-23 {
		t.Fatalf("%d rows, %d hidden", len(w.Rows), w.Hidden)
	}
	if _, ok := shown["op40"]; ok {
		t.Error("an unrelated row of the trace is on the span's card")
	}
	for _, want := range []string{"op20", "op19", "op0", "op21", "op80"} {
		if _, ok := shown[want]; !ok {
			t.Errorf("%s not on the card", want)
		}
	}
	if !shown["op20"].Focus || shown["op19"].Focus {
		t.Error("only the pinned span is marked as the focus")
	}
	if !shown["op80"].Error {
		t.Error("the failed span is not marked failed")
	}
}

// The share page reads every time in the viewer's zone and UTC, and shows
// no activity or share links even if handed some.
func TestBuildInvestigationSharedPage(t *testing.T) {
	at := time.Date(2026, 3, 4, 7, 0, 0, 0, time.UTC)
	inv := store.Investigation{ID: 7, Title: "checkout slow", Status: "open", CreatedAt: at, UpdatedAt: at, From: at, To: at.Add(time.Hour)}
	v := BuildInvestigation(InvestigationInput{Investigation: inv, Time: SharedTime(time.FixedZone("CET", 3600)), ReadOnly: true})
	if want := "2026-03-04 08:00:00 CET (07:00:00 UTC) – 2026-03-04 09:00:00 CET (08:00:00 UTC)"; v.Range != want {
		t.Errorf("range %q, want %q", v.Range, want)
	}
	if !v.ReadOnly || v.URL != "/investigations/7" {
		t.Errorf("read-only %v, url %q", v.ReadOnly, v.URL)
	}
	if got := SharedTime(time.UTC)(at); got != "2026-03-04 07:00:00 UTC" {
		t.Errorf("UTC viewer sees %q: no second UTC time", got)
	}
}

// TestCardGraphKeepsUnitsSpikesAndExemplars: a pinned latency graph's card
// reads in seconds as /graph does, shades the spike /graph shaded and
// draws the graph's exemplars, saying how many (#20 item 9).
func TestCardGraphKeepsUnitsSpikesAndExemplars(t *testing.T) {
	at := time.Date(2026, 3, 4, 7, 0, 0, 0, time.UTC)
	var ser snapshot.Series
	ser.Labels = map[string]string{"service": "payments"}
	for i := range 20 {
		v := 0.040 + 0.001*float64(i%2)
		if i >= 10 && i < 13 {
			v = 0.9
		}
		ser.T, ser.V = append(ser.T, at.Add(time.Duration(i)*time.Minute).UnixMilli()), append(ser.V, v)
	}
	it := store.Item{ID: 1, Kind: store.KindGraph, Ref: store.Ref{Query: `histogram_quantile(0.99, sum by (le) (rate(http_server_request_duration_seconds_bucket[1m])))`,
		From: at, To: at.Add(19 * time.Minute)},
		Snapshot: &snapshot.Snapshot{Series: []snapshot.Series{ser},
			Exemplars: []snapshot.Exemplar{{TraceID: "4bf92f3577b34da6a3ce929d0e0e4736", TMs: at.Add(11 * time.Minute).UnixMilli(), Value: 1.2}}}}
	g := itemView(it, TimeIn(time.UTC)).Graph
	if g == nil || g.YMax != "1.2 s" || g.YMin != "0 s" {
		t.Fatalf("card graph %+v: want its range in seconds", g)
	}
	if len(g.Bands) != 1 || len(g.Dots) != 1 || g.Dots[0].Class != "exemplar other" || !strings.Contains(g.Dots[0].Title, ": 1.2 s at ") {
		t.Errorf("bands %+v, dots %+v", g.Bands, g.Dots)
	}
	if g.Note != "1 exemplar, 1 spike" {
		t.Errorf("note %q", g.Note)
	}
}
