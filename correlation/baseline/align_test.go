package baseline

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// rows writes an alignment as "depth change name#ordinal Δms" lines.
func rows(al *Alignment) []string {
	var out []string
	for _, p := range al.Pairs {
		c := map[Change]string{Same: "=", Changed: "~", Added: "+", Removed: "-"}[p.Change]
		line := fmt.Sprintf("%s%s %s#%d", strings.Repeat(".", p.Depth), c, p.Name, p.Ordinal)
		if p.A >= 0 && p.B >= 0 {
			line += fmt.Sprintf(" %+dms", p.DeltaNs/1e6)
		}
		out = append(out, line)
	}
	return out
}

func TestAlign(t *testing.T) {
	cases := []struct {
		name                    string
		a, b                    []string
		want                    []string
		added, removed, changed int
	}{
		{
			name: "reordered siblings pair by name, not by position",
			a:    []string{"r - gw root 0 100", "x r svc inventory 10 20", "y r svc payments 30 40"},
			b:    []string{"r - gw root 0 100", "y r svc payments 10 20", "x r svc inventory 30 40"},
			want: []string{"= root#0 +0ms", ".= inventory#0 +0ms", ".= payments#0 +0ms"},
		},
		{
			name: "a missing subtree is removed whole, an extra one added whole",
			a:    []string{"r - gw root 0 100", "c r svc cache 1 2", "p r svc pay 10 90", "q p prov charge 20 80", "s q prov sign 21 22"},
			b:    []string{"r - gw root 0 100", "p r svc pay 10 50", "f p svc fallback 11 49", "g f svc fallback-db 12 13"},
			want: []string{"= root#0 +0ms", ".- cache#0", ".~ pay#0 -40ms", "..+ fallback#0", "...+ fallback-db#0",
				"..- charge#0", "...- sign#0"},
			added: 2, removed: 3, changed: 1,
		},
		{
			name:  "repeated operations pair in order; the extra ones are added",
			a:     []string{"r - gw root 0 100", "d1 r db query 1 2", "d2 r db query 3 4"},
			b:     []string{"r - gw root 0 100", "d1 r db query 1 2", "d2 r db query 3 9", "d3 r db query 10 11", "d4 r db query 12 13"},
			want:  []string{"= root#0 +0ms", ".= query#0 +0ms", ".~ query#1 +5ms", ".+ query#2", ".+ query#3"},
			added: 2, changed: 1,
		},
		{
			name:    "same name in another service is another operation; status changes count",
			a:       []string{"r - gw root 0 100", "x r orders GET 1 2", "y r stock GET 3 4"},
			b:       []string{"r - gw root 0 100 error", "x r stock GET 1 2"},
			want:    []string{"~ root#0 +0ms", ".- GET#0", ".= GET#0 +0ms"},
			removed: 1, changed: 1,
		},
		{
			name:  "different roots",
			a:     []string{"r - gw checkout 0 10"},
			b:     []string{"r - gw refund 0 10"},
			want:  []string{"- checkout#0", "+ refund#0"},
			added: 1, removed: 1,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			al := Align(build(t, "a", c.a...), build(t, "b", c.b...))
			if got := rows(al); !reflect.DeepEqual(got, c.want) {
				t.Errorf("rows\n got %q\nwant %q", got, c.want)
			}
			if al.Added != c.added || al.Removed != c.removed || al.Changed != c.changed {
				t.Errorf("+%d -%d ~%d, want +%d -%d ~%d", al.Added, al.Removed, al.Changed, c.added, c.removed, c.changed)
			}
		})
	}
}

func TestCriticalPathIsTheTreesOwn(t *testing.T) {
	tt := build(t, "a", "r - gw root 0 100", "x r svc early 0 30", "y r svc late 40 90", "z y svc inner 50 60")
	got := CriticalPath(tt)
	var ids []string
	for _, i := range got {
		ids = append(ids, tt.Nodes[i].Span.SpanID)
	}
	var want []string
	for i := range tt.Nodes {
		if tt.Nodes[i].Critical {
			want = append(want, tt.Nodes[i].Span.SpanID)
		}
	}
	if !reflect.DeepEqual(ids, want) || len(ids) != 4 {
		t.Errorf("critical path %v, the tree marks %v", ids, want)
	}
}
