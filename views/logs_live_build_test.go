package views

import (
	"strings"
	"testing"
	"time"

	"github.com/ariadne-dev/ariadne/correlation/logline"
	"github.com/ariadne-dev/ariadne/datasources"
)

func TestBuildLiveRowsNewestFirst(t *testing.T) {
	lines := []datasources.LogLine{
		{TimeNs: 1, Line: "first", Labels: map[string]string{"service_name": "a"}},
		{TimeNs: 2, Line: "second", Labels: map[string]string{"service_name": "a"}},
	}
	rows := BuildLiveRows(lines, LogRowsInput{Zone: time.UTC, Deriver: logline.MustDefaultDeriver()}, 7)
	if len(rows) != 2 || rows[0].Preview != "second" || rows[1].Preview != "first" {
		t.Fatalf("rows %+v", rows)
	}
	if rows[0].ID != "live-7-1" || rows[1].ID != "live-7-0" {
		t.Errorf("ids %q %q: unique within the page across events", rows[0].ID, rows[1].ID)
	}
}

func TestBuildLiveDropped(t *testing.T) {
	var d []DroppedLine
	for i := range 23 {
		d = append(d, DroppedLine{Labels: map[string]string{"service_name": "orders\u202e"}, TimeNs: int64(i) * int64(time.Millisecond)})
	}
	v := BuildLiveDropped(d, time.UTC)
	if !strings.HasPrefix(v.Summary, "Loki dropped 23 lines") {
		t.Errorf("summary %q", v.Summary)
	}
	if len(v.Entries) != liveDroppedShown || v.More != "and 3 more" {
		t.Errorf("%d entries, more %q", len(v.Entries), v.More)
	}
	if e := v.Entries[1]; e.Time != "00:00:00.001" || strings.ContainsRune(e.Stream, '\u202e') || !strings.Contains(e.Stream, "orders") {
		t.Errorf("entry %+v: time, and the stream with its invisible character shown", e)
	}
	if one := BuildLiveDropped(d[:1], time.UTC); !strings.HasPrefix(one.Summary, "Loki dropped 1 line ") || one.More != "" {
		t.Errorf("one: %+v", one)
	}
}
