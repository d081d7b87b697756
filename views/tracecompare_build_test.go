package views

import (
	"strings"
	"testing"
	"time"

	"github.com/ariadne-dev/ariadne/correlation/baseline"
	"github.com/ariadne-dev/ariadne/correlation/links"
	"github.com/ariadne-dev/ariadne/correlation/query"
)

func TestBuildTraceCompare(t *testing.T) {
	w := links.TimeRange{From: time.Date(2026, 1, 2, 10, 0, 0, 0, time.UTC), To: time.Date(2026, 1, 2, 11, 0, 0, 0, time.UTC),
		RawFrom: "2026-01-02T10:00:00Z", RawTo: "2026-01-02T11:00:00Z"}
	sel := query.TraceFilter{Service: "payments", ErrorsOnly: true}
	form := links.SearchForm{Backend: "tempo", Service: "payments", Errors: true, Window: w}
	ranking := baseline.Ranking{SelectionTraces: 12, BaselineTraces: 47, Values: []baseline.Ranked{
		{AttrValue: baseline.AttrValue{Key: "http.response.status_code", Value: "504"}, InSelection: 12, Selection: 1},
		{AttrValue: baseline.AttrValue{Key: "http.route", Value: "/api/checkout"}, InSelection: 11, InBaseline: 5, Selection: 11.0 / 12, Baseline: 5.0 / 47},
		{AttrValue: baseline.AttrValue{Resource: true, Key: "host.name", Value: "pod-\u200b7"}, InSelection: 2, InBaseline: 0, Selection: 2.0 / 12, Baseline: 0.001},
		{AttrValue: baseline.AttrValue{Key: "note", Value: "two\nlines"}, InSelection: 2, Selection: 2.0 / 12},
	}}
	base := func() TraceCompareInput {
		return TraceCompareInput{Form: form, Filter: sel, Base: sel.RestScope(), BaseWindow: w, Display: "Tempo", TraceQL: true,
			Query: `{ resource.service.name = "payments" && status = error }`, BaseQuery: `{ resource.service.name = "payments" }`,
			Sample: 50, Sel: CompareSample{Found: 12, Used: 12}, Bas: CompareSample{Found: 50, Used: 47, More: true, Excluded: 3},
			Ranking: ranking, Samples: []int{20, 50, 100}}
	}
	tests := []struct {
		name  string
		edit  func(*TraceCompareInput)
		check func(t *testing.T, v TraceCompareView)
	}{
		{"ranked values with shares, counts and search links", func(*TraceCompareInput) {}, func(t *testing.T, v TraceCompareView) {
			if v.Selection.What != "traces with a span of payments that failed" || v.Baseline.What != "the other traces with a span of payments: those the selection does not match" {
				t.Errorf("sides: %q / %q", v.Selection.What, v.Baseline.What)
			}
			if v.Selection.Window != "2026-01-02 10:00:00 UTC – 2026-01-02 11:00:00 UTC" || v.Selection.QueryFor != "TraceQL" {
				t.Errorf("selection side %+v", v.Selection)
			}
			if len(v.Rows) != 4 {
				t.Fatalf("rows %+v", v.Rows)
			}
			r := v.Rows[0]
			if r.Attr != "http.response.status_code=504" || r.Selection != "100%" || r.Baseline != "0%" || r.Counts != "12 of 12 · 0 of 47" ||
				r.SelW != "100.0%" || r.BaseW != "0.0%" || r.Scope != "span" {
				t.Errorf("first row %+v", r)
			}
			if want := "/traces?attr=span.http.response.status_code%3D504&backend=tempo&build=1&errors=1&from=2026-01-02T10%3A00%3A00Z&service=payments&to=2026-01-02T11%3A00%3A00Z"; r.URL != want {
				t.Errorf("link %s\nwant %s", r.URL, want)
			}
			if v.Rows[1].Selection != "92%" || v.Rows[1].Baseline != "11%" {
				t.Errorf("second row %+v", v.Rows[1])
			}
			if h := v.Rows[2]; h.Scope != "resource" || h.Attr != "host.name=pod-\\u200b7" && !strings.Contains(h.Attr, "pod-") || h.Baseline != "<1%" ||
				!strings.Contains(h.URL, "attr=resource.host.name") {
				t.Errorf("resource row %+v", h)
			}
			if strings.Contains(v.Rows[2].Attr, "\u200b") {
				t.Errorf("an invisible character is not shown: %q", v.Rows[2].Attr)
			}
			if v.Rows[3].URL != "" {
				t.Errorf("a value with a line break cannot be a form filter: %q", v.Rows[3].URL)
			}
			for _, want := range []string{"12 traces of the selection and 47 traces of the baseline", "at most 50 traces each",
				"more traces of the baseline than that", "3 baseline traces matched the selection and were left out"} {
				if !strings.Contains(v.Sample, want) {
					t.Errorf("sample %q lacks %q", v.Sample, want)
				}
			}
			if v.EditURL != "/traces?backend=tempo&build=1&errors=1&from=2026-01-02T10%3A00%3A00Z&service=payments&to=2026-01-02T11%3A00%3A00Z" {
				t.Errorf("edit %s", v.EditURL)
			}
		}},
		{"bare keys for a backend searched by parameters", func(in *TraceCompareInput) { in.TraceQL, in.Display = false, "Jaeger" }, func(t *testing.T, v TraceCompareView) {
			if !strings.Contains(v.Rows[0].URL, "attr=http.response.status_code%3D504") || v.Selection.QueryFor != "Sent to Jaeger" {
				t.Errorf("%s, %q", v.Rows[0].URL, v.Selection.QueryFor)
			}
		}},
		{"too small to judge", func(in *TraceCompareInput) {
			in.Ranking = baseline.Ranking{SelectionTraces: 3, BaselineTraces: 40, TooSmall: true}
		}, func(t *testing.T, v TraceCompareView) {
			if !strings.HasPrefix(v.TooSmall, "Too small to judge: the selection has 3 traces and the baseline 40 traces; at least 5") || len(v.Rows) != 0 {
				t.Errorf("%q %v", v.TooSmall, v.Rows)
			}
		}},
		{"nothing stands out", func(in *TraceCompareInput) { in.Ranking = baseline.Ranking{SelectionTraces: 9, BaselineTraces: 40} }, func(t *testing.T, v TraceCompareView) {
			if !strings.HasPrefix(v.None, "Nothing stands out") || v.TooSmall != "" {
				t.Errorf("%+v", v)
			}
		}},
		{"a failed search keeps the query and says the backend's message on its side", func(in *TraceCompareInput) {
			in.SelErr, in.Ranking = "Tempo rejected the query: parse error at line 1", baseline.Ranking{}
		}, func(t *testing.T, v TraceCompareView) {
			if v.Selection.Problem != "Tempo rejected the query: parse error at line 1" || v.Baseline.Problem != "" ||
				v.Selection.Query == "" || !strings.Contains(v.Problem, "search failed") || v.Sample != "" {
				t.Errorf("%+v", v)
			}
		}},
		{"a page problem replaces everything", func(in *TraceCompareInput) { in.Problem = "Nothing is selected." }, func(t *testing.T, v TraceCompareView) {
			if v.Problem != "Nothing is selected." || v.Sample != "" || len(v.Rows) != 0 {
				t.Errorf("%+v", v)
			}
		}},
		{"durations and attributes in words", func(in *TraceCompareInput) {
			in.Filter = query.TraceFilter{Service: "gateway", Attributes: []string{"http.route=/api/checkout"}, MinDuration: time.Second, MaxDuration: 5 * time.Second}
			in.Base = in.Filter.RestScope()
		}, func(t *testing.T, v TraceCompareView) {
			if v.Selection.What != "traces with a span of gateway that took between 1.00 s and 5.00 s with http.route=/api/checkout" ||
				v.Baseline.What != "the other traces with a span of gateway: those the selection does not match" {
				t.Errorf("%q / %q", v.Selection.What, v.Baseline.What)
			}
		}},
		{"every other trace when the selection names no service", func(in *TraceCompareInput) {
			in.Filter = query.TraceFilter{ErrorsOnly: true}
			in.Base = in.Filter.RestScope()
		}, func(t *testing.T, v TraceCompareView) {
			if v.Selection.What != "traces with a span that failed" || v.Baseline.What != "every other trace: those the selection does not match" {
				t.Errorf("%q / %q", v.Selection.What, v.Baseline.What)
			}
		}},
		{"rows are bounded", func(in *TraceCompareInput) {
			in.Ranking.Values = nil
			for i := range CompareRowsShown + 3 {
				in.Ranking.Values = append(in.Ranking.Values, baseline.Ranked{AttrValue: baseline.AttrValue{Key: "k", Value: string(rune('a' + i))}, Selection: 1})
			}
		}, func(t *testing.T, v TraceCompareView) {
			if len(v.Rows) != CompareRowsShown || v.More != "and 3 more values" {
				t.Errorf("%d rows, %q", len(v.Rows), v.More)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := base()
			tt.edit(&in)
			tt.check(t, BuildTraceCompare(in))
		})
	}
	if got := describeFilter(query.TraceFilter{RootService: "gateway", RootName: "POST /api/checkout"}); got != "traces whose root is gateway POST /api/checkout" {
		t.Errorf("root: %q", got)
	}
	if got := describeFilter(query.TraceFilter{}); got != "all traces" {
		t.Errorf("empty: %q", got)
	}
}
