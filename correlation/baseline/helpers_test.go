package baseline

import (
	"strconv"
	"strings"
	"testing"

	"github.com/ariadne-dev/ariadne/correlation/trace"
	"github.com/ariadne-dev/ariadne/datasources"
)

// spec is a span for tests: "id parent service name startMs endMs [error]".
func build(t *testing.T, id string, specs ...string) *trace.TraceTree {
	t.Helper()
	tr := &datasources.Trace{ID: id}
	res := map[string]*datasources.Resource{}
	for _, s := range specs {
		f := strings.Fields(s)
		if len(f) < 6 {
			t.Fatalf("bad spec %q", s)
		}
		start, err1 := strconv.ParseFloat(f[4], 64)
		end, err2 := strconv.ParseFloat(f[5], 64)
		if err1 != nil || err2 != nil {
			t.Fatalf("bad times in %q", s)
		}
		if res[f[2]] == nil {
			res[f[2]] = &datasources.Resource{Service: f[2]}
		}
		sp := datasources.Span{TraceID: id, SpanID: f[0], Name: strings.ReplaceAll(f[3], "_", " "), Resource: res[f[2]],
			StartNs: int64(start * 1e6), EndNs: int64(end * 1e6)}
		if f[1] != "-" {
			sp.ParentSpanID = f[1]
		}
		if len(f) > 6 && f[6] == "error" {
			sp.Status = datasources.StatusError
		}
		tr.Spans = append(tr.Spans, sp)
	}
	return trace.BuildTree(tr, false)
}
