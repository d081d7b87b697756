package loki

import (
	"encoding/json"
	"maps"
	"testing"

	"github.com/ariadne-dev/ariadne/datasources/contracttest"
)

// TestDecodeTailFrameContract reads the contract's frames: lines with
// their stream, dropped entries, and the categorize-labels element.
func TestDecodeTailFrameContract(t *testing.T) {
	var c struct {
		Plain []json.RawMessage `json:"frames_plain"`
		Cat   []json.RawMessage `json:"frames_with_header_categorize_labels"`
	}
	if err := json.Unmarshal(contracttest.Read(t, "loki", "handwritten", "tail_frames.json"), &c); err != nil {
		t.Fatal(err)
	}
	stream := map[string]string{"namespace": "shop", "service_name": "checkout"}
	f, err := DecodeTailFrame(c.Plain[1])
	if err != nil {
		t.Fatal(err)
	}
	checkLines(t, f.Lines, []wantLine{{ts: 1705313160000000000, line: `level=error msg="retry exhausted" order_id=8812`, labels: stream}})
	if f.Lines[0].Stream != `{namespace="shop", service_name="checkout"}` {
		t.Errorf("stream %q", f.Lines[0].Stream)
	}
	if len(f.Dropped) != 1 || f.Dropped[0].TimeNs != 1705313159000000000 || !maps.Equal(f.Dropped[0].Labels, stream) {
		t.Errorf("dropped %+v", f.Dropped)
	}
	f, err = DecodeTailFrame(c.Cat[0])
	if err != nil {
		t.Fatal(err)
	}
	checkLines(t, f.Lines, []wantLine{{ts: 1705313220000000000, line: `level=error msg="payment declined" order_id=8830`, labels: stream,
		sm: map[string]string{"trace_id": "5b8efff798038103d269b633813fc60c"}}})
	for _, bad := range []string{`{"streams":[{"stream":{},"values":[["x","y"]]}]}`, `{"streams":[{"stream":{},"values":[["1"]]}]}`,
		`{"dropped_entries":[{"labels":{},"timestamp":"soon"}]}`, `[`} {
		if _, err := DecodeTailFrame([]byte(bad)); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}
