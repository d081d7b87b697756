package loki

import (
	"os"
	"testing"

	"github.com/ariadne-dev/ariadne/datasources/contracttest"
)

// FuzzDecodeQueryResponse: the hand-written scanner must never panic or
// read past its input, whatever Loki (or a proxy) sends. Its seeds are the
// recorded responses, so it follows their rule: a skip where they are
// absent, a failure under CI.
func FuzzDecodeQueryResponse(f *testing.F) {
	for _, dir := range []string{"real", "grafana-fixtures", "handwritten"} {
		for _, file := range contracttest.Files(f, "*.json", "loki", dir) {
			b, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(b)
		}
	}
	f.Add([]byte(`{"status":"success","data":{"resultType":"streams","result":[{"stream":{"a":"\u00e9"},"values":[["1","x\ud83c",{"parsed":null}]]}]}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		res, err := DecodeQueryResponseDir(body, Forward)
		if err == nil && res == nil {
			t.Fatal("nil result without error")
		}
	})
}
