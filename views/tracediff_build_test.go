package views

import (
	"strings"
	"testing"

	"github.com/ariadne-dev/ariadne/correlation/trace"
	"github.com/ariadne-dev/ariadne/datasources"
)

func TestBuildTraceDiff(t *testing.T) {
	a := buildTestTrace()
	// B: the same checkout, fast and healthy, the provider call gone and
	// a retry of reserve added; a span name with a bidi override.
	tr := &datasources.Trace{ID: "0af7651916cd43dd8448eb211c80319c"}
	for _, s := range a.Trace.Spans {
		if s.SpanID == "00000000000000c3" {
			continue
		}
		s.TraceID = tr.ID
		if s.SpanID == "00000000000000b2" {
			s.Status, s.EndNs = datasources.StatusUnset, s.StartNs+5e6
			if s.Details != nil {
				d := *s.Details
				d.StatusMsg = ""
				s.Details = datasources.NewSpanDetails(d)
			}
		}
		if s.SpanID == "00000000000000a1" {
			s.EndNs -= 60e6
		}
		tr.Spans = append(tr.Spans, s)
	}
	retry := tr.Spans[2] // reserve
	retry.SpanID, retry.StartNs, retry.EndNs = "00000000000000e5", retry.StartNs+11e6, retry.EndNs+11e6
	tr.Spans = append(tr.Spans, retry)
	odd := tr.Spans[2]
	odd.SpanID, odd.Name = "00000000000000f6", "evil\u202egnp.exe"
	tr.Spans = append(tr.Spans, odd)
	b := trace.BuildTree(tr, false)

	v := BuildTraceDiff(a, b, TraceDiffInput{BackendA: "tempo", BackendB: "jaeger", DisplayA: "Tempo", DisplayB: "Jaeger"})
	if v.A.Title != "gateway: POST /api/checkout" || v.A.Spans != 4 || v.B.Spans != 5 || v.A.Errors != 1 || v.B.Backend != "Jaeger" {
		t.Errorf("sides %+v / %+v", v.A, v.B)
	}
	if v.DurationDelta != "-60.0 ms" || v.DeltaClass != "faster" {
		t.Errorf("delta %q %q", v.DurationDelta, v.DeltaClass)
	}
	if v.Added != 2 || v.Removed != 1 || v.Changed != 2 || v.Same != 1 {
		t.Errorf("+%d -%d ~%d =%d", v.Added, v.Removed, v.Changed, v.Same)
	}
	var got []string
	for _, r := range v.Rows {
		got = append(got, r.DepthClass+" "+r.Change+" "+r.Name+r.Ordinal+" "+r.Delta+" "+r.Status)
	}
	want := []string{
		"depth-0 changed POST /api/checkout -60.0 ms ",
		"depth-1 same reserve ±0 ",
		"depth-1 added evil⟨U+202E⟩gnp.exe  ",
		"depth-1 added reserve#2  ",
		"depth-1 changed POST /charge -65.0 ms error → unset",
		"depth-2 removed charge  ",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("rows\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if r := v.Rows[4]; r.URLA != "/traces/4bf92f3577b34da6a3ce929d0e0e4736?backend=tempo&from=2026-11-26T09%3A59%3A00Z&span=00000000000000b2&to=2026-11-26T10%3A01%3A01Z#s-00000000000000b2" ||
		!strings.HasPrefix(r.URLB, "/traces/0af7651916cd43dd8448eb211c80319c?backend=jaeger&") {
		t.Errorf("links %q %q", r.URLA, r.URLB)
	}
	if v.Rows[5].URLB != "" || v.Rows[5].DurationB != "" {
		t.Errorf("a removed row has a B side: %+v", v.Rows[5])
	}
	// Critical paths are the trees' own: A's runs through the provider.
	var path []string
	for _, c := range v.A.Critical {
		path = append(path, c.Service+" "+c.OnPath)
	}
	if strings.Join(path, ", ") != "gateway 20.0 ms, inventory 10.0 ms, payments 20.0 ms, provider 50.0 ms" {
		t.Errorf("A's critical path %q", path)
	}
	if v.Swap != "/traces/diff?a=0af7651916cd43dd8448eb211c80319c&b=4bf92f3577b34da6a3ce929d0e0e4736" {
		t.Errorf("swap %q", v.Swap)
	}
}
