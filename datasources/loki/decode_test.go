package loki

import (
	"testing"
)

func TestDecodeUnescapesLines(t *testing.T) {
	tests := []struct{ json, want string }{
		{`"plain"`, "plain"},
		{`"a\"b\\c\/d\ne\tf"`, "a\"b\\c/d\ne\tf"},
		{`"caf\u00e9 moon\ud83c\udf19"`, "café moon🌙"},
		{`"lone \ud83c half"`, "lone \uFFFD half"},
		{`"raw 🌙 utf8"`, "raw 🌙 utf8"},
	}
	for _, tt := range tests {
		body := `{"status":"success","data":{"resultType":"streams","result":[{"stream":{"a":"b"},"values":[["1", ` + tt.json + ` ]]}]}}`
		res, err := DecodeQueryResponse([]byte(body))
		if err != nil {
			t.Fatalf("%s: %v", tt.json, err)
		}
		if got := res.Lines[0].Line; got != tt.want {
			t.Errorf("%s decoded to %q, want %q", tt.json, got, tt.want)
		}
	}
}

// Lines of one timestamp come out in stream-label order, then line order,
// whatever order Loki sent them in; Page relies on it.
func TestDecodeOrdersTiesAndDirections(t *testing.T) {
	body := []byte(`{"status":"success","data":{"resultType":"streams","result":[
		{"stream":{"pod":"b"},"values":[["20","b2"],["10","b1"]]},
		{"stream":{"pod":"a"},"values":[["20","a2-z"],["20","a2-y"],["5","a0"]]}]}}`)
	tests := []struct {
		dir  string
		want []string
	}{
		{Backward, []string{"a2-y", "a2-z", "b2", "b1", "a0"}},
		{Forward, []string{"a0", "b1", "a2-y", "a2-z", "b2"}},
	}
	for _, tt := range tests {
		res, err := DecodeQueryResponseDir(body, tt.dir)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, l := range res.Lines {
			got = append(got, l.Line)
		}
		if len(got) != len(tt.want) {
			t.Fatalf("%s: %v", tt.dir, got)
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("%s: order %v, want %v", tt.dir, got, tt.want)
				break
			}
		}
	}
}

func TestDecodeRejectsBadTimestamps(t *testing.T) {
	for _, body := range []string{
		`{"status":"success","data":{"resultType":"streams","result":[{"stream":{},"values":[[1570818238000000000,"x"]]}]}}`,
		`{"status":"success","data":{"resultType":"streams","result":[{"stream":{},"values":[["1.5","x"]]}]}}`,
		`{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[["1","x"]]}]}}`,
		`{"status":"success","data":{"resultType":"tree","result":[]}}`,
	} {
		if _, err := DecodeQueryResponse([]byte(body)); err == nil {
			t.Errorf("decoded %s without error", body)
		}
	}
}
