package handlers

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/ariadne-dev/ariadne/correlation/links"
	"github.com/ariadne-dev/ariadne/correlation/query"
	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/views"
)

var searchLimits = []int{20, 50, 100, 500}

// tempoSearchUnsaid is why a Tempo search's traces have no request
// count: its answer carries neither the spans' tracestate nor the root's
// sampler tags (TraceQL's select() brings matched spans' attributes, not
// the root's, and no tracestate at all).
const tempoSearchUnsaid = "Tempo's search answer does not say how each was sampled; a trace's page does"

// traceSearch is the search page. For Tempo the form compiles to TraceQL
// shown in an editable box, and raw TraceQL (q) wins over the form; for
// Jaeger and Zipkin the form is sent as their search parameters and the
// page shows what was sent. backend= chooses (default: the first
// configured). Results stream in a panel, so a slow or failing backend
// never holds the page.
func (h *Handler) traceSearch(c echo.Context) error {
	r, rc := h.timeRange(c)
	v := searchForm(c.QueryParams())
	b, ok := h.searchBackend(c.QueryParam("backend"))
	if !ok {
		v.FormError = "There is no trace backend " + quoteShort(c.QueryParam("backend")) + " here; searching " + b.Display + "."
	}
	v.Backend, v.TraceQL = b.Name, b.Search == nil
	for _, sb := range h.opt.TraceBackends {
		v.Backends = append(v.Backends, views.Choice{Value: sb.Name, Label: sb.Display, Selected: sb.Name == b.Name})
	}
	if !v.TraceQL {
		return h.paramSearch(c, v, b, r, rc)
	}
	return h.traceQLSearch(c, v, r, rc)
}

// searchForm is the form as the user sent it.
func searchForm(q url.Values) views.TraceSearchView {
	v := views.TraceSearchView{
		Service: q.Get("service"), SpanName: q.Get("name"), MinDuration: q.Get("min"), MaxDuration: q.Get("max"),
		ErrorsOnly: q.Get("errors") != "", Attributes: strings.Join(q["attr"], "\n"),
		Limit: 20, Limits: searchLimits, Query: q.Get("q"),
	}
	if n, err := strconv.Atoi(q.Get("limit")); err == nil && n > 0 {
		v.Limit = min(n, 1000)
	}
	for _, k := range []string{"from", "to", "sort"} {
		if x := q.Get(k); x != "" {
			v.Hidden = append(v.Hidden, views.Hidden{Name: k, Value: x})
		}
	}
	// The form, when submitted, compiles to TraceQL; otherwise q rules.
	if q.Get("build") != "" || strings.TrimSpace(v.Query) == "" {
		v.Query = ""
	}
	return v
}

// traceQLSearch searches Tempo in TraceQL: q as typed, or the form
// compiled to it.
func (h *Handler) traceQLSearch(c echo.Context, v views.TraceSearchView, r links.TimeRange, rc *views.RangeControl) error {
	if v.Query == "" {
		f, err := traceFilter(v)
		if err != nil {
			v.FormError = err.Error()
		} else if built, err := f.Build(); err != nil {
			v.FormError = err.Error()
		} else {
			v.Query = built
		}
	}
	if strings.TrimSpace(v.Query) == "" {
		v.Query = "{}"
	}
	sortBy := c.QueryParam("sort")
	p := h.page(c, "Traces", "traces")
	p.Range = rc
	p.Styles = []string{"css/trace.css"}
	sorts := sortLinks(c.Request().URL, sortBy) // before the panel: c is not the panel's
	common := ""
	if f, err := traceFilter(v); err == nil {
		if built, err := f.Build(); err == nil && built == v.Query {
			common = compareLink(v, f, r)
		}
	}
	set := h.startPanels(c.Request().Context(), requestLogger(c), panel{Title: "Results", Backend: "Tempo", Load: func(ctx context.Context) (panelOut, error) {
		res, err := h.searchTraces(ctx, v.Query, r, v.Limit)
		if err != nil {
			return panelOut{}, err
		}
		res.Sort, res.Common = sorts, common
		views.SortTraceResults(res.Rows, sortBy)
		return panelOut{Body: views.TraceResultsBody(*res), State: strconv.Itoa(len(res.Rows)) + " found"}, nil
	}})
	return render(c, http.StatusOK, views.TraceSearch(p, v, set.Heads(), set))
}

// compareLink is "what do these have in common?" for the form's search
// f over r; "" when the form selects nothing (every trace).
func compareLink(v views.TraceSearchView, f query.TraceFilter, r links.TimeRange) string {
	if f.Empty() {
		return ""
	}
	return links.TraceCompare(links.SearchForm{Backend: v.Backend, Service: f.Service, Name: f.SpanName,
		Min: strings.TrimSpace(v.MinDuration), Max: strings.TrimSpace(v.MaxDuration), Errors: f.ErrorsOnly, Attrs: f.Attributes, Window: r}, links.TimeRange{}, 0)
}

func traceFilter(v views.TraceSearchView) (query.TraceFilter, error) {
	f := query.TraceFilter{Service: strings.TrimSpace(v.Service), SpanName: strings.TrimSpace(v.SpanName), ErrorsOnly: v.ErrorsOnly}
	var err error
	if f.MinDuration, err = parseDurationField("Min duration", v.MinDuration); err != nil {
		return f, err
	}
	if f.MaxDuration, err = parseDurationField("Max duration", v.MaxDuration); err != nil {
		return f, err
	}
	for _, line := range strings.Split(v.Attributes, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			f.Attributes = append(f.Attributes, line)
		}
	}
	return f, nil
}

func parseDurationField(name, s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		// A sentence for the form, not an HTTP error: the page still
		// renders, with the field kept.
		return 0, errors.New(name + " " + strconv.Quote(s) + " is not a duration such as 250ms or 2s.")
	}
	return d, nil
}

// searchTraces runs the search and, alongside, fetches the form's choices.
func (h *Handler) searchTraces(ctx context.Context, query string, r links.TimeRange, limit int) (*views.TraceResults, error) {
	if h.opt.Tempo == nil {
		return nil, datasources.NotConfigured("tempo")
	}
	out := &views.TraceResults{Limit: limit}
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		out.Services, _ = h.opt.Tempo.TagValues(ctx, "service.name", r.From, r.To)
	}()
	go func() {
		defer wg.Done()
		out.Names, _ = h.opt.Tempo.TagValues(ctx, "name", r.From, r.To)
	}()
	res, err := h.opt.Tempo.Search(ctx, query, r.From, r.To, limit, 3)
	wg.Wait()
	if err != nil {
		return nil, err
	}
	sort.Strings(out.Services)
	sort.Strings(out.Names)
	// A datalist is for picking, not reading: past a few hundred names
	// the browser's own filtering is all the help it gives.
	out.Names = out.Names[:min(len(out.Names), views.MaxNameChoices)]
	out.More = len(res.Traces) >= limit
	if res.Metrics.InspectedTraces > 0 {
		out.Inspected = strconv.FormatInt(res.Metrics.InspectedTraces, 10) + " traces inspected"
	}
	sums := make([]datasources.TraceSummary, len(res.Traces))
	for i, t := range res.Traces {
		sums[i] = t.Summary()
	}
	out.Rows = views.BuildTraceResultRows(sums, out.Services, "", r, h.now())
	// Tempo's search answer carries no tracestate and no span attributes
	// beyond what a query selects, so a trace's sampling is only on its
	// own page.
	out.Count = views.TraceRequestCount(sums, tempoSearchUnsaid)
	return out, nil
}

var sortColumns = []struct{ key, label string }{
	{"service", "Root service"}, {"", "Root span"}, {"start", "Start"}, {"duration", "Duration"}, {"spans", "Spans"}, {"errors", "Errors"},
}

func sortLinks(u *url.URL, current string) []views.Link {
	var out []views.Link
	with := urlWith(u.Path, u.Query())
	for _, c := range sortColumns {
		l := views.Link{Label: c.label}
		if c.key != "" {
			l.URL = with("sort", c.key)
			l.Current = current == c.key || current == "" && c.key == "start"
		}
		out = append(out, l)
	}
	return out
}
