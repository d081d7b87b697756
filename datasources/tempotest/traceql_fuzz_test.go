package tempotest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ariadne-dev/ariadne/datasources/contracttest"
)

// FuzzParseTraceQL: any input either parses (and then evaluates on a
// generated trace without panicking) or fails with a positioned
// ParseError. Seeds are the documented examples plus broken variants.
func FuzzParseTraceQL(f *testing.F) {
	for _, q := range traceQLSeeds(f) {
		f.Add(q)
		if len(q) > 2 {
			f.Add(q[:len(q)/2])
		}
	}
	for _, q := range []string{"", "foo", "{. a}", "{ span.\"a b\" = 1 }", "{ -1.5e3 < 2 }", "{ 1h30m > duration }",
		"{ !(status = error) }", "{ span.x =~ \"[\" }", "{ \"unterminated }", "{ trace:id = \"0\" }", "{}{}", "((({})))"} {
		f.Add(q)
	}
	td := GenerateTrace(30, 7)
	st := New()
	st.Ingest(td)
	var trace *storedTrace
	for _, tr := range st.tenants[SingleTenant].traces {
		trace = tr
	}
	spans := trace.spans()
	info := &traceInfo{idHex: "00", durationNs: 5, rootService: "frontend", rootName: "x"}
	f.Fuzz(func(t *testing.T, q string) {
		parsed, err := parseQuery(q)
		if err != nil {
			pe, ok := err.(*ParseError)
			if !ok || pe.Line < 1 || pe.Col < 1 || !strings.HasPrefix(err.Error(), "parse error at line ") {
				t.Fatalf("%q: error %T %v is not a positioned ParseError", q, err, err)
			}
			return
		}
		for _, i := range parsed.match(spans, info) {
			if i < 0 || i >= len(spans) {
				t.Fatalf("%q: matched index %d of %d spans", q, i, len(spans))
			}
			parsed.spanResult(spans[i])
		}
	})
}

func traceQLSeeds(f *testing.F) []string {
	f.Helper()
	dir := contracttest.Dir(f, "tempo")
	b, err := os.ReadFile(filepath.Join(dir, "traceql-examples.json"))
	if err != nil {
		f.Fatal(err)
	}
	var doc struct{ Queries []struct{ Q string } }
	if err := json.Unmarshal(b, &doc); err != nil {
		f.Fatal(err)
	}
	var out []string
	for _, q := range doc.Queries {
		out = append(out, q.Q)
	}
	return out
}
