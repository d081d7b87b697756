package handlers

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"sync"

	"github.com/labstack/echo/v4"

	"github.com/ariadne-dev/ariadne/correlation/baseline"
	"github.com/ariadne-dev/ariadne/correlation/links"
	"github.com/ariadne-dev/ariadne/correlation/query"
	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/views"
)

var compareSamples = []int{20, 50, 100}

const defaultCompareSample = 50

// traceCompare renders GET /traces/compare: the traces the search form's
// parameters select (from, to: its window) against the rest of a window
// (base_from, base_to; by default the same one), sample= traces from each
// side, their attribute values ranked by how much more often the
// selection has them. Both samples are fetched before the first byte, so
// a failed search is the page's status.
func (h *Handler) traceCompare(c echo.Context) error {
	r, rc := h.timeRange(c)
	q := c.QueryParams()
	p := h.page(c, "What do these have in common?", "traces")
	p.Range, p.Styles = rc, []string{"css/analysis.css"}
	form := searchForm(q)
	b, ok := h.searchBackend(q.Get("backend"))
	in := views.TraceCompareInput{Display: b.Display, TraceQL: b.Search == nil, Sample: defaultCompareSample,
		Samples: compareSamples, Loc: zoneOf(c), BaseWindow: r.Absolute()}
	if n, err := strconv.Atoi(q.Get("sample")); err == nil && n > 0 {
		in.Sample = min(n, maxSampleTraces)
	}
	for _, k := range slices.Sorted(func(yield func(string) bool) {
		for k := range q {
			if k != "sample" && !yield(k) {
				return
			}
		}
	}) {
		for _, x := range q[k] {
			in.Hidden = append(in.Hidden, views.Hidden{Name: k, Value: x})
		}
	}
	f, ferr := traceFilter(form)
	in.Filter, in.Base = f, f.RestScope()
	in.Form = links.SearchForm{Backend: q.Get("backend"), Service: f.Service, Name: f.SpanName, Min: q.Get("min"), Max: q.Get("max"),
		Errors: f.ErrorsOnly, Attrs: f.Attributes, Window: r}
	base := r
	if q.Get("base_from") != "" || q.Get("base_to") != "" {
		var err error
		if base, err = links.ParseTimeRangeIn(q.Get("base_from"), q.Get("base_to"), h.now(), in.Loc); err != nil {
			ferr = errors.New("Baseline window: " + err.Error())
		}
		base = base.ClampToNow(h.now())
		in.BaseWindow = base.Absolute()
	}
	status := http.StatusOK
	switch {
	case !ok:
		status, in.Problem = http.StatusBadRequest, "There is no trace backend "+quoteShort(q.Get("backend"))+" here."
	case ferr != nil:
		status, in.Problem = http.StatusBadRequest, ferr.Error()
	case f.Empty():
		in.Problem = "Nothing is selected. Give the search form's fields (for example min=1s, or errors=1 with a service), " +
			"or come here from a search's results or a spike on a graph."
	}
	if in.Problem != "" {
		return render(c, status, views.TraceComparePage(p, views.BuildTraceCompare(in)))
	}
	if in.TraceQL {
		in.Query, _ = f.Build()
		in.BaseQuery, _ = in.Base.Build()
	}
	ctx := c.Request().Context()
	var sel, bas *traceSample
	var selErr, basErr error
	var wg sync.WaitGroup
	wg.Go(func() { sel, selErr = h.sampleTraces(ctx, b, f, r, in.Sample) })
	wg.Go(func() { bas, basErr = h.sampleTraces(ctx, b, in.Base, base, in.Sample) })
	wg.Wait()
	for _, e := range []struct {
		err error
		msg *string
	}{{selErr, &in.SelErr}, {basErr, &in.BaseErr}} {
		var de *datasources.Error
		switch {
		case e.err == nil:
		case !errors.As(e.err, &de):
			return e.err
		default:
			*e.msg = datasources.UserMessage(e.err)
			if status == http.StatusOK {
				status = replyTo(e.err).Status
			}
		}
	}
	if sel != nil && bas != nil {
		in.Query, in.BaseQuery = sel.Sent, bas.Sent
		rest := restOf(bas.Traces, sel.Traces, f)
		in.Sel = views.CompareSample{Found: sel.Found, Used: len(sel.Traces), Failed: sel.Failed, More: sel.More}
		in.Bas = views.CompareSample{Found: bas.Found, Used: len(rest), Failed: bas.Failed, More: bas.More, Excluded: len(bas.Traces) - len(rest)}
		in.Ranking = baseline.RankTraces(sel.Traces, rest, 0)
	}
	return render(c, status, views.TraceComparePage(p, views.BuildTraceCompare(in)))
}

// restOf is the baseline's traces less those the selection has or f
// matches: "the rest of the window".
func restOf(base, selected []*datasources.Trace, f query.TraceFilter) []*datasources.Trace {
	ids := make(map[string]bool, len(selected))
	for _, tr := range selected {
		ids[tr.ID] = true
	}
	out := make([]*datasources.Trace, 0, len(base))
	for _, tr := range base {
		if !ids[tr.ID] && !f.Matches(tr) {
			out = append(out, tr)
		}
	}
	return out
}
