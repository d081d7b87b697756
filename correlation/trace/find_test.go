package trace

import (
	"reflect"
	"strings"
	"testing"

	"github.com/ariadne-dev/ariadne/datasources"
)

func TestFind(t *testing.T) {
	root := sp("a", "", 0, 100)
	root.Name = "GET /checkout"
	b := sp("b", "a", 10, 40)
	b.Attrs = []datasources.Attribute{{Key: "order.id", Value: "ord-199603"}}
	c := sp("c", "b", 20, 30)
	c.Status, c.Details = datasources.StatusError, &datasources.SpanDetails{StatusMsg: "context deadline exceeded"}
	d := sp("d", "a", 50, 60)
	d.Details = &datasources.SpanDetails{Events: []datasources.SpanEvent{{Name: "exception", Attributes: []datasources.Attribute{{Key: "exception.type", Value: "TimeoutError"}}}}}
	e := sp("e", "a", 70, 80)
	e.Resource = &datasources.Resource{Service: "payments", Attributes: []datasources.Attribute{{Key: "host.name", Value: "pay-7f9c"}}}
	tr := tree(false, root, b, c, d, e)

	tests := []struct {
		q    string
		want []string // span:field=value
	}{
		{"", nil},
		{"   ", nil},
		{"CHECKOUT", []string{"a:name=GET /checkout"}},
		{"ord-", []string{"b:order.id=ord-199603"}},
		{"order.id=ord-1996", []string{"b:order.id=ord-199603"}},
		{"deadline", []string{"c:status message=context deadline exceeded"}},
		{"error", []string{"c:status=error", "d:event exception: exception.type=TimeoutError"}},
		{"timeout", []string{"d:event exception: exception.type=TimeoutError"}},
		{"exception", []string{"d:event=exception"}},
		{"pay-7f", []string{"e:resource host.name=pay-7f9c"}},
		{"payments", []string{"e:service=payments"}},
		// Every span's service is svc-<id>: all match, in tree order.
		{"svc-", []string{"a:service=svc-a", "b:service=svc-b", "c:service=svc-c", "d:service=svc-d"}},
		{"nothing-like-it", nil},
	}
	for _, tt := range tests {
		f := Find(tr, tt.q, 10)
		var got []string
		for _, m := range f.Matches {
			got = append(got, tr.Nodes[m.Node].Span.SpanID+":"+m.Field+"="+m.Value)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Find(%q) = %v, want %v", tt.q, got, tt.want)
		}
		if f.Total != len(tt.want) {
			t.Errorf("Find(%q).Total = %d, want %d", tt.q, f.Total, len(tt.want))
		}
	}
}

func TestFindLimitAndAncestors(t *testing.T) {
	tr := tree(false, sp("a", "", 0, 100), sp("b", "a", 10, 40), sp("c", "b", 20, 30), sp("d", "a", 50, 60))
	f := Find(tr, "svc-", 2)
	if f.Total != 4 || len(f.Matches) != 2 {
		t.Fatalf("total %d, kept %d; want 4 and 2", f.Total, len(f.Matches))
	}
	// Only c: its path (a, b) opens, c and d do not.
	f = Find(tr, "svc-c", 10)
	open := f.Ancestors(tr)
	var got []string
	for i, o := range open {
		if o {
			got = append(got, tr.Nodes[i].Span.SpanID)
		}
	}
	if want := []string{"a", "b"}; !reflect.DeepEqual(got, want) {
		t.Errorf("open %v, want %v", got, want)
	}
}

// containsLower reads as strings.Contains over the lower-cased text.
func TestContainsLower(t *testing.T) {
	for _, s := range []string{"", "GET /api/Orders", "order.ID=ORD-1", "Ünïcode GRÜN", "aaab", "İstanbul", "x\xffY"} {
		for _, q := range []string{"", "get", "/api/orders", "id=ord", "grün", "ünï", "aab", "ab", "b", "istanbul", "i̇stanbul", "y", "zz", "orders "} {
			if got, want := containsLower(s, q), strings.Contains(strings.ToLower(s), q); got != want {
				t.Errorf("containsLower(%q, %q) = %v, want %v", s, q, got, want)
			}
		}
	}
}
