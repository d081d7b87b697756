package views

import (
	"maps"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

func linkQuery(t *testing.T, href string) url.Values {
	t.Helper()
	u, err := url.Parse(href)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query()
}

func TestBuildPickerClosed(t *testing.T) {
	p := BuildPicker(PickerInput{Lang: LangPromQL, Path: "/graph", Target: "q", TextareaID: "query-q", Query: "up",
		Params: url.Values{"q": {"up"}, "from": {"now-1h"}, "cursor": {"x"}}})
	if p.Open || len(p.Groups) != 0 {
		t.Errorf("closed picker has lists: %+v", p)
	}
	if v := linkQuery(t, p.OpenURL); v.Get("labels") != "1" || v.Get("q") != "up" || v.Get("from") != "now-1h" || v.Has("cursor") {
		t.Errorf("open link %q", p.OpenURL)
	}
	if !strings.HasPrefix(p.OpenFragment, "/graph/labels?") {
		t.Errorf("fragment %q", p.OpenFragment)
	}
}

func TestBuildPickerValues(t *testing.T) {
	params := url.Values{"q": {"up"}, "q2": {"rate(x[1m])"}, "from": {"now-1h"}, "pick": {"job"}, "filter": {"a"}}
	tests := []struct {
		name    string
		in      PickerInput
		wantQ   []string // the values' queries, in order
		more    int
		targets int
	}{
		{"PromQL label", PickerInput{Lang: LangPromQL, Target: "q", Query: "up", Pick: Pick{Name: "job"}, Values: []string{"api", `a"b`}},
			[]string{`up{job="api"}`, `up{job="a\"b"}`}, 0, 0},
		{"PromQL on the second box", PickerInput{Lang: LangPromQL, Target: "q2", Query: "rate(x[1m])", Pick: Pick{Name: "job"}, Values: []string{"api"},
			Targets: []Link{{Label: "Query 1", URL: "q"}, {Label: "Query 2", URL: "q2"}}},
			[]string{`rate(x{job="api"}[1m])`}, 0, 2},
		{"filter, case-insensitive", PickerInput{Lang: LangPromQL, Target: "q", Query: "up", Pick: Pick{Name: "job"}, Values: []string{"Api", "web", "cAche"}, Filter: "A"},
			[]string{`up{job="Api"}`, `up{job="cAche"}`}, 0, 0},
		{"LogQL stream label", PickerInput{Lang: LangLogQL, Target: "q", Query: `{service_name="a"} |= "x"`, Pick: Pick{Name: "level"}, Values: []string{"error"}},
			[]string{`{service_name="a", level="error"} |= "x"`}, 0, 0},
		{"LogQL field", PickerInput{Lang: LangLogQL, Target: "q", Query: `{service_name="a"}`, Pick: Pick{Name: "order_id", Field: true, Parser: "json"}, Values: []string{"o\n1"}},
			[]string{`{service_name="a"} | json | order_id="o\n1"`}, 0, 0},
		{"a field on a metric query narrows nothing", PickerInput{Lang: LangLogQL, Target: "q", Query: `sum(rate({a="b"}[1m]))`, Pick: Pick{Name: "x", Field: true}, Values: []string{"1"}},
			nil, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			in.Path, in.Params, in.Open = "/graph", maps.Clone(params), true
			in.Params.Set(in.Target, in.Query)
			p := BuildPicker(in)
			if p.Values == nil {
				t.Fatal("no values")
			}
			var got []string
			for _, v := range p.Values.Values {
				got = append(got, v.Query)
				q := linkQuery(t, v.URL)
				if q.Get(in.Target) != v.Query || q.Get("labels") != "1" || q.Has("pick") || q.Has("filter") || q.Get("from") != "now-1h" {
					t.Errorf("value link %q", v.URL)
				}
				f := linkQuery(t, v.Fragment)
				if f.Get("value") == "" || f.Get(in.Target) != in.Query {
					t.Errorf("value fragment %q", v.Fragment)
				}
			}
			if strings.Join(got, "\n") != strings.Join(tt.wantQ, "\n") {
				t.Errorf("queries %q, want %q", got, tt.wantQ)
			}
			if p.Values.More != tt.more || len(p.Targets) != tt.targets {
				t.Errorf("more %d targets %d", p.Values.More, len(p.Targets))
			}
		})
	}
}

func TestBuildPickerBoundsAndNames(t *testing.T) {
	var vals []string
	for i := range PickerMaxValues + 7 {
		vals = append(vals, "v"+strconv.Itoa(i))
	}
	p := BuildPicker(PickerInput{Lang: LangLogQL, Path: "/logs", Target: "q", Query: `{a="b"}`, Open: true,
		Labels: []string{"a", "level"}, Fields: []PickerField{{Name: "trace_id", Cardinality: 1}, {Name: "msg", Parser: "logfmt", Cardinality: 3}},
		Pick: Pick{Name: "level"}, Values: vals, Params: url.Values{"q": {`{a="b"}`}}})
	if len(p.Values.Values) != PickerMaxValues || p.Values.More != 7 || p.Values.Total != PickerMaxValues+7 {
		t.Errorf("%d listed, %d more of %d", len(p.Values.Values), p.Values.More, p.Values.Total)
	}
	if len(p.Groups) != 2 || p.Groups[0].Title != "Stream labels" || p.Groups[1].Title != "Fields" {
		t.Fatalf("groups %+v", p.Groups)
	}
	if !p.Groups[0].Names[1].Current || p.Groups[0].Names[0].Current {
		t.Error("the chosen label is not marked")
	}
	f := p.Groups[1].Names
	if f[0].Hint != "metadata · 1 value" || f[1].Hint != "logfmt · 3 values" {
		t.Errorf("hints %q %q", f[0].Hint, f[1].Hint)
	}
	if q := linkQuery(t, f[1].URL); q.Get("field") != "msg" || q.Get("parser") != "logfmt" || q.Has("pick") {
		t.Errorf("field link %q", f[1].URL)
	}
	// The filter keeps the pick and the query, not itself.
	hidden := map[string]string{}
	for _, h := range p.Values.FilterHidden {
		hidden[h.Name] = h.Value
	}
	if hidden["pick"] != "level" || hidden["q"] != `{a="b"}` || hidden["labels"] != "1" {
		t.Errorf("filter keeps %v", hidden)
	}
}

func TestBuildLatencyBuilder(t *testing.T) {
	b := BuildLatencyBuilder(LatencyBuilderInput{Services: []string{"orders"}, Service: "gone", Quantile: "0.75",
		Params: url.Values{"from": {"now-15m"}, "q": {"up"}}, Listed: true, Built: true})
	if !b.Open || b.Services[len(b.Services)-1] != "gone" || b.Quantiles[len(b.Quantiles)-1] != "0.75" {
		t.Errorf("builder %+v", b)
	}
	if len(b.Hidden) != 1 || b.Hidden[0] != (Hidden{Name: "from", Value: "now-15m"}) {
		t.Errorf("hidden %v: the window only, not the query it replaces", b.Hidden)
	}
	if b := BuildLatencyBuilder(LatencyBuilderInput{Listed: true}); !strings.Contains(b.Note, "type a service") || b.Quantile != "0.99" {
		t.Errorf("empty lists: %+v", b)
	}
	if quantileName("0.999") != "99.9" || quantileName("0.5") != "50" {
		t.Error("quantile names")
	}
}
