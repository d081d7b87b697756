package views

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/ariadne-dev/ariadne/correlation/sampling"
	"github.com/ariadne-dev/ariadne/correlation/trace"
	"github.com/ariadne-dev/ariadne/datasources"
)

// TestBuildTraceHuge: a trace large enough for BuildTrace to run its
// whole-trace passes at once gets the sampling, statistics and service
// graph those passes give when called alone (under make test's -race, a
// pass writing what another reads fails here).
func TestBuildTraceHuge(t *testing.T) {
	base := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC).UnixNano()
	svcs := []*datasources.Resource{{Service: "gateway"}, {Service: "orders"}, {Service: "payments"}}
	tr := &datasources.Trace{ID: "4bf92f3577b34da6a3ce929d0e0e4736"}
	for i := range parallelNodes + 100 {
		s := datasources.Span{TraceID: tr.ID, SpanID: fmt.Sprintf("%016x", i+1), Name: fmt.Sprintf("op %d", i%7),
			StartNs: base + int64(i)*1e3, EndNs: base + int64(i)*1e3 + 5e5, Resource: svcs[i%3], Details: &datasources.SpanDetails{TraceState: "ot=th:c"}}
		if i > 0 {
			s.ParentSpanID = fmt.Sprintf("%016x", (i-1)/3+1)
		}
		if i%11 == 0 {
			s.Status = datasources.StatusError
		}
		tr.Spans = append(tr.Spans, s)
	}
	tree := trace.BuildTree(tr, false)
	v := BuildTrace(tree, TraceInput{Zone: time.UTC, Now: time.Unix(0, base).Add(time.Hour)})

	sd := sampling.OfTraceFrom(tr, tree.Nodes[tree.Roots[0]].Span)
	if v.Sampling != sd.Summary() || v.SamplingSource != sd.Source {
		t.Errorf("sampling %q (%q), alone %q (%q)", v.Sampling, v.SamplingSource, sd.Summary(), sd.Source)
	}
	colour := ServiceClasses(tree.Services)
	services, ops := tree.Stats()
	link := pageLink(tr.ID, TraceOptions{})
	if want := boundStats("svcs", "services", services, colour, 0, link); !reflect.DeepEqual(v.ServiceStats, want) {
		t.Errorf("service statistics differ from the pass alone")
	}
	if want := boundStats("ops", "operations", ops, colour, 0, link); !reflect.DeepEqual(v.OpStats, want) {
		t.Errorf("operation statistics differ from the pass alone")
	}
	if want := serviceGraphView(tree, colour); !reflect.DeepEqual(v.Graph, want) || len(want.Edges) == 0 {
		t.Errorf("service graph: %d edges, alone %d", len(v.Graph.Edges), len(want.Edges))
	}
	if len(v.Rows) == 0 || v.Spans != parallelNodes+100 {
		t.Errorf("%d rows of %d spans", len(v.Rows), v.Spans)
	}
}
