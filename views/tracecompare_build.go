package views

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/ariadne-dev/ariadne/correlation/baseline"
	"github.com/ariadne-dev/ariadne/correlation/links"
	"github.com/ariadne-dev/ariadne/correlation/query"
	"github.com/ariadne-dev/ariadne/correlation/text"
)

// CompareRowsShown is how many ranked values the page lists.
const CompareRowsShown = 25

// TraceCompareInput is what BuildTraceCompare reads: both sides as
// searched and sampled, and the ranking of their attribute values.
type TraceCompareInput struct {
	// Form is the selection as the search form holds it, its window
	// included; Filter is the same parsed. Base is the baseline's scope
	// (the selection's service and span name), over BaseWindow.
	Form       links.SearchForm
	Filter     query.TraceFilter
	Base       query.TraceFilter
	BaseWindow links.TimeRange
	Display    string // "Tempo"
	TraceQL    bool   // searched in TraceQL; otherwise by parameters
	// Query and BaseQuery are what each search sent.
	Query, BaseQuery string
	// SelErr and BaseErr are a failed search's message, per side.
	SelErr, BaseErr string
	// Problem is why nothing was searched (an invalid form, an empty
	// selection): it replaces the sample and the ranking.
	Problem  string
	Sample   int // traces asked for on each side
	Sel, Bas CompareSample
	Ranking  baseline.Ranking
	Loc      *time.Location
	Hidden   []Hidden // the page's parameters but sample
	Samples  []int
}

// CompareSample is one side's sample: how many traces its search found,
// how many were fetched whole and used, how many failed to come, and for
// the baseline how many matched the selection and were left out.
type CompareSample struct {
	Found, Used, Failed, Excluded int
	More                          bool // the search stopped at the sample size
}

// BuildTraceCompare lays out the comparison: each side named in words
// with its window and query, what was sampled, then the attribute values
// ranked by how much more often the selection has them, each linked to
// the selection's search with that value added.
func BuildTraceCompare(in TraceCompareInput) TraceCompareView {
	v := TraceCompareView{Hidden: in.Hidden, Samples: in.Samples, Sample0: in.Sample, EditURL: links.TraceSearchForm(in.Form)}
	queryFor := "TraceQL"
	if !in.TraceQL {
		queryFor = "Sent to " + in.Display
	}
	v.Selection = CompareSide{Title: "Selection", What: describeFilter(in.Filter), Window: windowText(in.Form.Window, in.Loc),
		Query: text.Visible(in.Query), QueryFor: queryFor, Problem: in.SelErr}
	baseWhat := "every other trace"
	if b := describeFilter(in.Base); !in.Base.Empty() {
		baseWhat = "the other " + strings.TrimPrefix(b, "the ")
	}
	v.Baseline = CompareSide{Title: "Baseline", What: baseWhat + ": those the selection does not match",
		Window: windowText(in.BaseWindow, in.Loc), Query: text.Visible(in.BaseQuery), QueryFor: queryFor, Problem: in.BaseErr}
	if in.Problem != "" {
		v.Problem = in.Problem
		return v
	}
	if in.SelErr != "" || in.BaseErr != "" {
		v.Problem = "The search failed, so there is nothing to compare. The query is kept above; fix it or try again."
		return v
	}
	v.Sample = compareSample(in)
	r := in.Ranking
	switch {
	case r.TooSmall:
		v.TooSmall = "Too small to judge: the selection has " + Plural(r.SelectionTraces, "trace") + " and the baseline " +
			Plural(r.BaselineTraces, "trace") + "; at least " + strconv.Itoa(baseline.MinRankTraces) +
			" on each side are needed. Widen the window or loosen the selection."
		return v
	case len(r.Values) == 0:
		v.None = "Nothing stands out: no attribute value is on at least " + strconv.Itoa(baseline.MinSelected) +
			" selected traces and more common there than in the baseline."
		return v
	}
	for i, x := range r.Values {
		if i == CompareRowsShown {
			v.More = "and " + Plural(len(r.Values)-i, "more value")
			break
		}
		row := CompareRow{Attr: text.Visible(x.Key + "=" + x.Value), Scope: "span",
			Selection: sharePercent(x.Selection), Baseline: sharePercent(x.Baseline),
			Counts: strconv.Itoa(x.InSelection) + " of " + strconv.Itoa(r.SelectionTraces) + " · " +
				strconv.Itoa(x.InBaseline) + " of " + strconv.Itoa(r.BaselineTraces),
			SelW: barWidth(x.Selection), BaseW: barWidth(x.Baseline)}
		if x.Resource {
			row.Scope = "resource"
		}
		if kv, ok := attrFilter(x.AttrValue, in.TraceQL); ok {
			row.URL = links.TraceSearchForm(in.Form.WithAttr(kv))
		}
		v.Rows = append(v.Rows, row)
	}
	return v
}

// attrFilter writes a value as the form's attr line: scoped in TraceQL
// (span. or resource.), bare for parameter-searched backends, which match
// tags of either. A value the form would read differently (a line break,
// an "=" in the key, quotes or spaces it trims) gets no link.
func attrFilter(a baseline.AttrValue, traceQL bool) (string, bool) {
	if a.Key == "" || strings.ContainsAny(a.Key, "=\n\r") || strings.ContainsAny(a.Value, "\n\r") ||
		strings.TrimSpace(a.Key) != a.Key || strings.TrimSpace(a.Value) != a.Value || strings.Trim(a.Value, `"`) != a.Value {
		return "", false
	}
	key := a.Key
	if traceQL {
		key = "span." + key
		if a.Resource {
			key = "resource." + a.Key
		}
	}
	return key + "=" + a.Value, true
}

// describeFilter names what a filter selects, in words.
func describeFilter(f query.TraceFilter) string {
	if f.Empty() {
		return "all traces"
	}
	var b strings.Builder
	b.WriteString("traces")
	if f.RootService != "" || f.RootName != "" {
		b.WriteString(" whose root is " + text.Visible(strings.TrimSpace(f.RootService+" "+f.RootName)))
	}
	span := f.Service != "" || f.SpanName != "" || f.ErrorsOnly || f.MinDuration > 0 || f.MaxDuration > 0 || len(f.Attributes) > 0
	if !span {
		return b.String()
	}
	if f.RootService != "" || f.RootName != "" {
		b.WriteString(" and")
	}
	b.WriteString(" with a span")
	if f.Service != "" {
		b.WriteString(" of " + text.Visible(f.Service))
	}
	if f.SpanName != "" {
		b.WriteString(" named “" + text.Visible(f.SpanName) + "”")
	}
	var conds []string
	if f.ErrorsOnly {
		conds = append(conds, "failed")
	}
	switch {
	case f.MinDuration > 0 && f.MaxDuration > 0:
		conds = append(conds, "took between "+text.FormatDuration(f.MinDuration)+" and "+text.FormatDuration(f.MaxDuration))
	case f.MinDuration > 0:
		conds = append(conds, "took at least "+text.FormatDuration(f.MinDuration))
	case f.MaxDuration > 0:
		conds = append(conds, "took at most "+text.FormatDuration(f.MaxDuration))
	}
	if len(conds) > 0 {
		b.WriteString(" that " + strings.Join(conds, " and "))
	}
	if len(f.Attributes) > 0 {
		attrs := make([]string, len(f.Attributes))
		for i, a := range f.Attributes {
			attrs[i] = text.Visible(a)
		}
		b.WriteString(" with " + strings.Join(attrs, " and "))
	}
	return b.String()
}

func compareSample(in TraceCompareInput) string {
	s := "Sampled: " + Plural(in.Sel.Used, "trace") + " of the selection and " + Plural(in.Bas.Used, "trace") +
		" of the baseline, from " + in.Display + " (one search per side, at most " + strconv.Itoa(in.Sample) +
		" traces each, every trace fetched whole)."
	if in.Sel.More || in.Bas.More {
		var sides []string
		if in.Sel.More {
			sides = append(sides, "the selection")
		}
		if in.Bas.More {
			sides = append(sides, "the baseline")
		}
		s += " The window has more traces of " + strings.Join(sides, " and ") + " than that: the figures are a sample."
	}
	if n := in.Sel.Failed + in.Bas.Failed; n > 0 {
		s += " " + Plural(n, "trace") + " found could not be fetched."
	}
	if in.Bas.Excluded > 0 {
		s += " " + Plural(in.Bas.Excluded, "baseline trace") + " matched the selection and " + isAre(in.Bas.Excluded) + " left out."
	}
	return s
}

func isAre(n int) string {
	if n == 1 {
		return "was"
	}
	return "were"
}

// sharePercent writes a share as a whole percentage that never reads 0% or
// 100% when it is not.
func sharePercent(f float64) string {
	r := math.Round(f * 100)
	switch {
	case r == 0 && f > 0:
		return "<1%"
	case r == 100 && f < 1:
		return ">99%"
	}
	return strconv.Itoa(int(r)) + "%"
}

func barWidth(f float64) string {
	return strconv.FormatFloat(math.Max(0, math.Min(1, f))*100, 'f', 1, 64) + "%"
}

// windowText writes a window for the page, in the viewer's zone, to the
// second (rounded outwards).
func windowText(w links.TimeRange, loc *time.Location) string {
	if w.From.IsZero() && w.To.IsZero() {
		return ""
	}
	w = w.Absolute() // whole seconds, as the links carry a window
	return text.FormatTime(w.From, loc) + " – " + text.FormatTime(w.To, loc)
}
