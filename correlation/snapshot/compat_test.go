package snapshot

import (
	"encoding/json"
	"os"
	"reflect"
	"testing"
	"time"
)

// testdata/snapshot-v1.json was written by the builders as they were in
// store/ (store.SnapshotTrace, SnapshotSeries, SnapshotLines), before they
// moved here. Snapshots in that shape sit in Postgres and in share links:
// they must decode into today's types and encode back without losing or
// renaming a field.
func TestDecodesSnapshotWrittenByStore(t *testing.T) {
	old, err := os.ReadFile("testdata/snapshot-v1.json")
	if err != nil {
		t.Fatal(err)
	}
	var s Snapshot
	if err := json.Unmarshal(old, &s); err != nil {
		t.Fatalf("decoding the old snapshot: %v", err)
	}
	tr := s.Trace
	switch {
	case !s.TakenAt.Equal(time.Date(2024, 3, 5, 15, 0, 0, 0, time.UTC)):
		t.Errorf("taken_at %v", s.TakenAt)
	case len(s.Series) != 1 || s.Series[0].Labels["route"] != "/charge" || len(s.Series[0].T) != 2 || s.Series[0].V[1] != 1.75:
		t.Errorf("series %+v", s.Series)
	case s.Exemplar == nil || s.Exemplar.TraceID != "4bf92f3577b34da6a3ce929d0e0e4736" || s.Exemplar.Value != 0.82 || s.Exemplar.SeriesLabels["service"] != "payments":
		t.Errorf("exemplar %+v", s.Exemplar)
	case tr == nil || tr.TotalSpans != 3 || !tr.Partial || tr.Focus != "00000000000000c3" || len(tr.Spans) != 3:
		t.Errorf("trace %+v", tr)
	case tr.Spans[2].Parent != "00000000000000a1" || tr.Spans[2].Depth != 1 || !tr.Spans[2].Error || tr.Spans[2].Kind != "client" ||
		tr.Spans[2].StatusMsg == "" || len(tr.Spans[2].Attrs) != 2 || len(tr.Spans[2].Events) != 1 || tr.Spans[2].Events[0].Attrs[0].V != "timeout":
		t.Errorf("failed span %+v", tr.Spans[2])
	case len(s.Lines) != 2 || s.Lines[0].Labels["level"] != "error" || s.Lines[1].Line != "plain line":
		t.Errorf("lines %+v", s.Lines)
	case len(s.Omitted) != 1:
		t.Errorf("omitted %q", s.Omitted)
	}

	again, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var want, got any
	if err := json.Unmarshal(old, &want); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(again, &got); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("the shape changed:\nold %s\nnew %s", old, again)
	}
}
