package trace

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/ariadne-dev/ariadne/datasources"
)

func TestVisible(t *testing.T) {
	// a → (b → d), c; e is a second root.
	tr := tree(false, sp("a", "", 0, 100), sp("b", "a", 10, 40), sp("d", "b", 20, 30), sp("c", "a", 50, 60), sp("e", "", 70, 80))
	ids := func(v []Item) (out []string) {
		for _, i := range v {
			out = append(out, tr.Nodes[i.Node].Span.SpanID)
		}
		return out
	}
	idx := func(id string) int {
		for i, n := range tr.Nodes {
			if n.Span.SpanID == id {
				return i
			}
		}
		return -1
	}
	all := func(int) bool { return true }
	tests := []struct {
		name  string
		roots []int
		open  func(int) bool
		want  []string
	}{
		{"everything open", tr.Roots, all, []string{"a", "b", "d", "c", "e"}},
		{"b closed: its subtree is skipped", tr.Roots, func(i int) bool { return i != idx("b") }, []string{"a", "b", "c", "e"}},
		{"a closed: only the roots", tr.Roots, func(i int) bool { return i != idx("a") }, []string{"a", "e"}},
		{"one subtree", []int{idx("b")}, all, []string{"b", "d"}},
	}
	for _, tt := range tests {
		if got := ids(tr.Visible(tt.roots, tt.open, nil, nil)); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
	open := tr.Ancestors(idx("d"))
	if !open[idx("a")] || !open[idx("b")] || open[idx("d")] || open[idx("c")] {
		t.Errorf("ancestors of d: %v", open)
	}
}

// TestRunsAndGroups: a run of at least GroupMin alike siblings (an N+1)
// is one row when grouped, with its count, percentiles, errors and
// extent; a shorter run, or one broken by another span, is not a group.
func TestRunsAndGroups(t *testing.T) {
	spans := []datasources.Span{sp("r", "", 0, 1000)}
	for i := range 7 { // seven SELECTs, 10..70 ms long, the fourth failing
		s := sp(fmt.Sprintf("q%d", i), "r", int64(10+i*100), int64(10+i*100+10*(i+1)))
		s.Name, s.Resource = "SELECT orders", &datasources.Resource{Service: "orders"}
		if i == 3 {
			s.Status = datasources.StatusError
		}
		spans = append(spans, s)
	}
	spans = append(spans, sp("x", "r", 800, 810))
	for i := range 3 { // three alike after x: too few
		s := sp(fmt.Sprintf("z%d", i), "r", int64(850+i*10), int64(855+i*10))
		s.Name, s.Resource = "GET cache", &datasources.Resource{Service: "orders"}
		spans = append(spans, s)
	}
	tr := tree(false, spans...)
	runs := tr.Runs(GroupMin)
	var first int
	for i, n := range tr.Nodes {
		if runs[i] != 0 {
			if n.Span.SpanID != "q0" || runs[i] != 7 {
				t.Errorf("run at %s of %d", n.Span.SpanID, runs[i])
			}
			first = i
		}
	}
	all := func(int) bool { return true }
	items := tr.Visible(tr.Roots, all, runs, func(int) bool { return true })
	if len(items) != 1+1+1+3 || items[1].Count != 7 || tr.Nodes[items[2].Node].Span.SpanID != "x" {
		t.Fatalf("items %+v", items)
	}
	if open := tr.Visible(tr.Roots, all, runs, func(int) bool { return false }); len(open) != 12 {
		t.Errorf("expanded: %d rows, want every span", len(open))
	}
	g := tr.GroupOf(first, 7)
	if g.Count != 7 || g.Errors != 1 || g.P50 != 40e6 || g.P99 != 70e6 || g.Max != 70e6 || g.StartNs != 10e6 || g.EndNs != 680e6 {
		t.Errorf("group %+v", g)
	}
}
