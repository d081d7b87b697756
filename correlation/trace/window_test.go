package trace

import (
	"reflect"
	"testing"
)

func TestVisible(t *testing.T) {
	// a → (b → d), c; e is a second root.
	tr := tree(false, sp("a", "", 0, 100), sp("b", "a", 10, 40), sp("d", "b", 20, 30), sp("c", "a", 50, 60), sp("e", "", 70, 80))
	ids := func(v []int32) (out []string) {
		for _, i := range v {
			out = append(out, tr.Nodes[i].Span.SpanID)
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
		if got := ids(tr.Visible(tt.roots, tt.open)); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
	open := tr.Ancestors(idx("d"))
	if !open[idx("a")] || !open[idx("b")] || open[idx("d")] || open[idx("c")] {
		t.Errorf("ancestors of d: %v", open)
	}
}
