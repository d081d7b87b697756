package views

import (
	"strings"
	"testing"
	"time"

	"github.com/ariadne-dev/ariadne/correlation/links"
	"github.com/ariadne-dev/ariadne/correlation/quality"
	"github.com/ariadne-dev/ariadne/datasources"
)

func TestBuildQualityReport(t *testing.T) {
	res := &datasources.Resource{Service: "pay\u202ements"}
	span := func(id, name string, attrs ...datasources.Attribute) datasources.Span {
		return datasources.Span{TraceID: "4bf92f3577b34da6a3ce929d0e0e4736", SpanID: id, Name: name, Resource: res, Attrs: attrs}
	}
	tr := &datasources.Trace{ID: "4bf92f3577b34da6a3ce929d0e0e4736", Spans: []datasources.Span{
		span("00000000000000a1", "charge ord-199603"),
		span("00000000000000a2", "charge ord-199604"),
		span("00000000000000a3", "charge", datasources.Attribute{Key: "http.method", Value: "POST"}),
	}}
	rep := quality.CheckTraces([]*datasources.Trace{tr}, 1)
	w, _ := links.ParseTimeRange("2026-11-26T09:00:00Z", "2026-11-26T10:00:00Z", time.Date(2026, 11, 26, 10, 5, 0, 0, time.UTC))
	in := QualityInput{Service: "pay\u202ements", Backend: "tempo", Display: "Tempo", Window: w, Found: 20, Failed: 2, More: true}
	v := BuildQualityReport(rep, in)
	if v.Sample != "3 spans in 1 trace of pay⟨U+202E⟩ments from Tempo (a sample: the search's first 20; the window has more); 2 traces could not be fetched." {
		t.Errorf("sample %q", v.Sample)
	}
	if len(v.Groups) != 2 || v.Groups[0].ID != "id-in-name" || v.Groups[1].ID != "deprecated-attribute" {
		t.Fatalf("groups %+v", v.Groups)
	}
	g := v.Groups[0]
	if g.Count != "2 spans in 1 trace" || g.More != "and 1 more span" || len(g.Examples) != 1 || g.Reason == "" || g.Fix == "" {
		t.Errorf("group %+v", g)
	}
	ex := g.Examples[0]
	if ex.Service != "pay⟨U+202E⟩ments" || !strings.Contains(ex.Detail, "ord-199603") ||
		ex.URL != "/traces/4bf92f3577b34da6a3ce929d0e0e4736?backend=tempo&from=2026-11-26T09%3A00%3A00Z&span=00000000000000a1&to=2026-11-26T10%3A00%3A00Z#s-00000000000000a1" {
		t.Errorf("example %+v", ex)
	}
	if one := BuildQualityReport(rep, QualityInput{Backend: "tempo"}); one.Sample != "3 spans in 1 trace." {
		t.Errorf("one trace's sample %q", one.Sample)
	}
	if len(v.Clean) != len(quality.Rules())-2 || v.Clean[0] != "Generic span name" {
		t.Errorf("clean %q", v.Clean)
	}
}
