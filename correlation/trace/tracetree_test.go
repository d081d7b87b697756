package trace

import (
	"reflect"
	"slices"
	"testing"

	"github.com/ariadne-dev/ariadne/datasources"
)

// sp builds a span: id, parent, start and end in milliseconds.
func sp(id, parent string, startMs, endMs int64) datasources.Span {
	return datasources.Span{SpanID: id, ParentSpanID: parent, Name: id,
		StartNs: startMs * 1e6, EndNs: endMs * 1e6, Resource: &datasources.Resource{Service: "svc-" + id[:1]}}
}

func tree(adjust bool, spans ...datasources.Span) *TraceTree {
	return BuildTree(&datasources.Trace{ID: "t", Spans: spans}, adjust)
}

// order lists span IDs in waterfall order with their depth.
func order(t *TraceTree) []string {
	var out []string
	for _, n := range t.Nodes {
		out = append(out, n.Span.SpanID+":"+string(rune('0'+n.Depth)))
	}
	return out
}

func critical(t *TraceTree) map[string]int64 {
	out := map[string]int64{}
	for _, n := range t.Nodes {
		if n.Critical {
			out[n.Span.SpanID] = n.CriticalNs / 1e6
		}
	}
	return out
}

func self(t *TraceTree) map[string]int64 {
	out := map[string]int64{}
	for _, n := range t.Nodes {
		out[n.Span.SpanID] = n.SelfNs / 1e6
	}
	return out
}

func TestBuildTreeOrderAndDepth(t *testing.T) {
	// Spans arrive in any order; children sort by start time.
	tr := tree(false, sp("c", "a", 50, 60), sp("b", "a", 10, 40), sp("a", "", 0, 100), sp("d", "b", 20, 30))
	if got, want := order(tr), []string{"a:0", "b:1", "d:2", "c:1"}; !reflect.DeepEqual(got, want) {
		t.Errorf("order %v, want %v", got, want)
	}
	if tr.MaxDepth != 2 || tr.StartNs != 0 || tr.EndNs != 100e6 || tr.Nodes[0].Descendants != 3 {
		t.Errorf("depth %d, bounds [%d,%d], descendants %d", tr.MaxDepth, tr.StartNs, tr.EndNs, tr.Nodes[0].Descendants)
	}
}

func TestCriticalPath(t *testing.T) {
	tests := []struct {
		name     string
		spans    []datasources.Span
		critical map[string]int64 // span → ms on the critical path
		self     map[string]int64
	}{
		{
			name:     "sequential children are all critical",
			spans:    []datasources.Span{sp("a", "", 0, 100), sp("b", "a", 10, 40), sp("c", "a", 50, 90)},
			critical: map[string]int64{"a": 30, "b": 30, "c": 40},
			self:     map[string]int64{"a": 30, "b": 30, "c": 40},
		},
		{
			name: "parallel children: only the last to finish",
			// b and c run side by side; c ends last and decides latency.
			spans:    []datasources.Span{sp("a", "", 0, 100), sp("b", "a", 10, 60), sp("c", "a", 10, 80)},
			critical: map[string]int64{"a": 30, "c": 70},
			self:     map[string]int64{"a": 30, "b": 50, "c": 70},
		},
		{
			name:     "overlapping children: the earlier one is critical until the later starts",
			spans:    []datasources.Span{sp("a", "", 0, 100), sp("b", "a", 10, 60), sp("c", "a", 40, 90)},
			critical: map[string]int64{"a": 20, "b": 30, "c": 50},
			self:     map[string]int64{"a": 20, "b": 50, "c": 50},
		},
		{
			name:     "nested: the path goes down the last-finishing chain",
			spans:    []datasources.Span{sp("a", "", 0, 100), sp("b", "a", 0, 90), sp("d", "b", 20, 80), sp("c", "a", 5, 20)},
			critical: map[string]int64{"a": 10, "b": 30, "d": 60},
			self:     map[string]int64{"a": 10, "b": 30, "d": 60, "c": 15},
		},
		{
			name:     "a child ending after its parent is clipped to it",
			spans:    []datasources.Span{sp("a", "", 0, 100), sp("b", "a", 50, 130)},
			critical: map[string]int64{"a": 50, "b": 50},
			self:     map[string]int64{"a": 50, "b": 80},
		},
		{
			name:     "leaf root",
			spans:    []datasources.Span{sp("a", "", 0, 10)},
			critical: map[string]int64{"a": 10},
			self:     map[string]int64{"a": 10},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := tree(false, tt.spans...)
			if got := critical(tr); !reflect.DeepEqual(got, tt.critical) {
				t.Errorf("critical %v, want %v", got, tt.critical)
			}
			if got := self(tr); !reflect.DeepEqual(got, tt.self) {
				t.Errorf("self %v, want %v", got, tt.self)
			}
		})
	}
}

func TestMissingParentIsKeptUnderAMarker(t *testing.T) {
	tr := tree(false, sp("a", "", 0, 100), sp("b", "a", 10, 20), sp("x", "gone", 30, 40), sp("y", "x", 32, 38))
	if got, want := order(tr), []string{"a:0", "b:1", "x:0", "y:1"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("order %v, want %v", got, want)
	}
	if len(tr.Roots) != 2 || !tr.Nodes[2].MissingParent || tr.Nodes[0].MissingParent {
		t.Errorf("roots %v, missing-parent flags %v %v", tr.Roots, tr.Nodes[0].MissingParent, tr.Nodes[2].MissingParent)
	}
	// The orphan's subtree has its own critical path.
	if c := critical(tr); c["x"] != 4 || c["y"] != 6 {
		t.Errorf("orphan critical path %v", c)
	}
}

func TestParentCycleLosesNoSpan(t *testing.T) {
	tr := tree(false, sp("a", "", 0, 100), sp("p", "q", 10, 20), sp("q", "p", 12, 18))
	if len(tr.Nodes) != 3 {
		t.Fatalf("%d nodes, want 3", len(tr.Nodes))
	}
	if got, want := order(tr), []string{"a:0", "p:0", "q:1"}; !reflect.DeepEqual(got, want) {
		t.Errorf("order %v, want %v", got, want)
	}
	if !tr.Nodes[1].MissingParent {
		t.Error("the cycle's entry is not marked")
	}
}

func TestSkew(t *testing.T) {
	// The server span (b) was stamped by a clock 15 ms behind its caller's.
	spans := []datasources.Span{sp("a", "", 100, 200), sp("b", "a", 85, 150), sp("c", "b", 90, 100)}

	raw := tree(false, spans...)
	b := raw.Nodes[1]
	if b.StartsBeforeParentNs != 15e6 || b.ShiftNs != 0 || b.StartNs() != 85e6 {
		t.Errorf("raw: flagged %d, shifted %d, start %d", b.StartsBeforeParentNs, b.ShiftNs, b.StartNs())
	}
	if raw.StartNs != 85e6 {
		t.Errorf("raw trace start %d, want the skewed child's", raw.StartNs)
	}

	adj := tree(true, spans...)
	b, c := adj.Nodes[1], adj.Nodes[2]
	if b.ShiftNs != 15e6 || b.StartNs() != 100e6 || c.ShiftNs != 15e6 || c.StartNs() != 105e6 {
		t.Errorf("adjusted: b shift %d start %d, c shift %d start %d", b.ShiftNs, b.StartNs(), c.ShiftNs, c.StartNs())
	}
	if !b.Skewed() || c.Skewed() {
		t.Error("the flag stays on the skewed span, and only there")
	}
	if b.Span.StartNs != 85e6 {
		t.Error("raw times must not change")
	}

	// Ending after the parent: pulled back, never before the parent's start.
	late := tree(true, sp("a", "", 0, 100), sp("b", "a", 90, 120))
	if n := late.Nodes[1]; n.EndsAfterParentNs != 20e6 || n.ShiftNs != -20e6 {
		t.Errorf("late child: flagged %d, shift %d", n.EndsAfterParentNs, n.ShiftNs)
	}
	wide := tree(true, sp("a", "", 0, 100), sp("b", "a", 10, 150))
	if n := wide.Nodes[1]; n.ShiftNs != -10e6 {
		t.Errorf("child longer than parent shifted %d, want -10ms (to the parent's start)", n.ShiftNs)
	}
}

func TestTreeSummary(t *testing.T) {
	a, b := sp("a", "", 0, 10), sp("b", "a", 1, 2)
	b.Status = datasources.StatusError
	tr := tree(false, a, b)
	if tr.Errors != 1 || !reflect.DeepEqual(tr.Services, []string{"svc-a", "svc-b"}) {
		t.Errorf("errors %d, services %v", tr.Errors, tr.Services)
	}
	if empty := BuildTree(&datasources.Trace{}, false); len(empty.Nodes) != 0 {
		t.Error("empty trace")
	}
}

// TestIDTable: every ID put is found at its last index, IDs never put are
// not, whatever their bits (zero, all ones, or sharing all their low or
// high bits, as IDs chosen to collide would), however many shards filled
// the table at once.
func TestIDTable(t *testing.T) {
	var ids []uint64
	for i := range uint64(30_000) { // 120,000: enough for shards
		ids = append(ids, i<<40, i, ^i, i*0x9e3779b97f4a7c15)
	}
	want := map[uint64]int32{}
	for i, id := range ids {
		want[id] = int32(i) // the last of equal IDs
	}
	// 262,144 slots: shards of at least 65,536, a power of two of them.
	for _, c := range []struct{ shards, made int }{{1, 1}, {2, 2}, {3, 2}, {4, 4}, {64, 4}} {
		shards := c.shards
		tab := newIDTable(ids, shards)
		if made := len(tab.slots) / (tab.mask + 1); made != c.made {
			t.Fatalf("%d shards asked of %d slots: %d made, want %d", shards, len(tab.slots), made, c.made)
		}
		for id, i := range want {
			if got, ok := tab.get(id); !ok || got != i {
				t.Fatalf("%d shards: get(%#x) = %d, %v; want %d", shards, id, got, ok, i)
			}
		}
		for _, id := range []uint64{1 << 63, 30_001 << 40, 0x123456789} {
			if _, ok := want[id]; ok {
				continue
			}
			if _, ok := tab.get(id); ok {
				t.Errorf("%d shards: get(%#x) found an ID never put", shards, id)
			}
		}
	}
	if _, ok := newIDTable(nil, 2).get(0); ok {
		t.Error("an empty table holds ID 0")
	}
}

// Siblings that start together are in span ID order, whether the IDs are
// hex (read as numbers) or not, so a page is the same on every load.
func TestSiblingsStartingTogetherByID(t *testing.T) {
	for _, ids := range [][]string{
		{"00000000000000f0", "000000000000000a", "0a00000000000000", "00000000000000ff"},
		{"root-x", "b-2", "b-10", "a-3"},
	} {
		root := ids[0]
		got := order(tree(false, sp(ids[3], root, 5, 6), sp(root, "", 0, 10), sp(ids[1], root, 5, 6), sp(ids[2], root, 5, 6)))
		kids := slices.Clone(ids[1:])
		slices.Sort(kids)
		want := []string{root + ":0"}
		for _, k := range kids {
			want = append(want, k+":1")
		}
		if !slices.Equal(got, want) {
			t.Errorf("order %v, want %v", got, want)
		}
	}
}
