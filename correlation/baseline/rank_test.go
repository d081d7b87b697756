package baseline

import (
	"reflect"
	"testing"

	"github.com/ariadne-dev/ariadne/datasources"
)

func vals(kv ...string) []AttrValue {
	var out []AttrValue
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, AttrValue{Key: kv[i], Value: kv[i+1]})
	}
	return out
}

func times(n int, vs []AttrValue) [][]AttrValue {
	out := make([][]AttrValue, n)
	for i := range out {
		out[i] = vs
	}
	return out
}

func ranked(r Ranking) []string {
	var out []string
	for _, v := range r.Values {
		out = append(out, v.Key+"="+v.Value)
	}
	return out
}

func TestRank(t *testing.T) {
	checkout := vals("http.route", "/api/checkout")
	acme := vals("payment.provider", "acme")
	both := append(vals("http.route", "/api/checkout"), acme...)
	cases := []struct {
		name     string
		sel, bas [][]AttrValue
		limit    int
		want     []string
		tooSmall bool
	}{
		{
			name: "most over-represented first",
			// route: 10/10 vs 1/10; provider: 8/10 vs 3/10.
			sel:  append(times(8, both), times(2, checkout)...),
			bas:  append(append(times(1, both), times(2, acme)...), times(7, vals("http.route", "/api/orders"))...),
			want: []string{"http.route=/api/checkout", "payment.provider=acme"},
		},
		{
			name: "equal lift: the larger selection share first",
			// a: 6/6 vs 4/8 (lift .5); b: 3/6 vs 0/8 (lift .5).
			sel:  append(times(3, vals("a", "1", "b", "1")), times(3, vals("a", "1"))...),
			bas:  append(times(4, vals("a", "1")), times(4, nil)...),
			want: []string{"a=1", "b=1"},
		},
		{
			name: "a full tie falls back to key and value",
			sel:  times(5, vals("z", "1", "m", "2", "m", "1")),
			bas:  times(5, nil),
			want: []string{"m=1", "m=2", "z=1"},
		},
		{
			name:  "limit",
			sel:   times(5, vals("z", "1", "m", "2", "m", "1")),
			bas:   times(5, nil),
			limit: 2,
			want:  []string{"m=1", "m=2"},
		},
		{
			name: "a value on one selection trace, or as common in the baseline, is not ranked",
			sel:  append(times(4, vals("k", "v")), vals("order.id", "ord-1", "k", "v")),
			bas:  times(5, vals("k", "v")),
			want: nil,
		},
		{
			name:     "a tiny selection is too small to judge",
			sel:      times(MinRankTraces-1, checkout),
			bas:      times(20, nil),
			tooSmall: true,
		},
		{
			name:     "a tiny baseline too",
			sel:      times(20, checkout),
			bas:      times(MinRankTraces-1, nil),
			tooSmall: true,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := Rank(c.sel, c.bas, c.limit)
			if r.TooSmall != c.tooSmall || !reflect.DeepEqual(ranked(r), c.want) {
				t.Errorf("too small %v, ranked %q; want %v, %q", r.TooSmall, ranked(r), c.tooSmall, c.want)
			}
			if r.SelectionTraces != len(c.sel) || r.BaselineTraces != len(c.bas) {
				t.Errorf("sides %d/%d", r.SelectionTraces, r.BaselineTraces)
			}
		})
	}
	r := Rank(append(times(8, both), times(2, checkout)...), append(times(1, both), times(9, nil)...), 1)
	if v := r.Values[0]; v.InSelection != 10 || v.InBaseline != 1 || v.Selection != 1 || v.Baseline != 0.1 {
		t.Errorf("figures %+v", v)
	}
}

func TestValues(t *testing.T) {
	res := &datasources.Resource{Service: "pay", Attributes: []datasources.Attribute{{Key: "service.version", Value: "1.4"}}}
	long := string(make([]byte, MaxRankedValueBytes+1))
	tr := &datasources.Trace{Spans: []datasources.Span{
		{Resource: res, Attrs: []datasources.Attribute{{Key: "b", Value: "1"}, {Key: "a", Value: "2"}, {Key: "q", Value: long}}},
		{Resource: res, Attrs: []datasources.Attribute{{Key: "b", Value: "1"}}},
	}}
	want := []AttrValue{{Key: "a", Value: "2"}, {Key: "b", Value: "1"}, {Resource: true, Key: "service.version", Value: "1.4"}}
	if got := Values(tr); !reflect.DeepEqual(got, want) {
		t.Errorf("values %+v", got)
	}
}

func TestRankTraces(t *testing.T) {
	tr := func(route string) *datasources.Trace {
		return &datasources.Trace{Spans: []datasources.Span{{Attrs: []datasources.Attribute{{Key: "http.route", Value: route}}}}}
	}
	var sel, base []*datasources.Trace
	for range 5 {
		sel = append(sel, tr("/api/checkout"))
		base = append(base, tr("/api/orders/{id}"))
	}
	sel = append(sel, nil)
	r := RankTraces(sel, base, 0)
	if r.SelectionTraces != 5 || r.TooSmall || !reflect.DeepEqual(ranked(r), []string{"http.route=/api/checkout"}) {
		t.Errorf("%+v", r)
	}
}
