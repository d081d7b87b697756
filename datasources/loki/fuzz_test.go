package loki

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/ariadne-dev/ariadne/datasources/contracttest"
)

// FuzzDecodeQueryResponse: the hand-written scanner must never panic or
// read past its input, whatever Loki (or a proxy) sends.
func FuzzDecodeQueryResponse(f *testing.F) {
	for _, dir := range []string{"real", "grafana-fixtures", "handwritten"} {
		files, _ := filepath.Glob(filepath.Join(contracttest.Dir(f, "loki", dir), "*.json"))
		for _, file := range files {
			if b, err := os.ReadFile(file); err == nil {
				f.Add(b)
			}
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
