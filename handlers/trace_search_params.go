package handlers

import (
	"context"
	"net/http"
	"sort"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/ariadne-dev/ariadne/correlation/links"
	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/views"
)

// searchBackend is the backend named by backend= (ok false when it names
// none configured), else the first configured. With none configured it
// is Tempo's slot, whose panel then says "not configured".
func (h *Handler) searchBackend(name string) (TraceBackend, bool) {
	for _, b := range h.opt.TraceBackends {
		if b.Name == name {
			return b, true
		}
	}
	if len(h.opt.TraceBackends) > 0 {
		return h.opt.TraceBackends[0], name == ""
	}
	return TraceBackend{Name: "tempo", Display: "Tempo"}, name == "" || name == "tempo"
}

// paramSearch searches a backend that takes the form's fields as
// parameters (Jaeger, Zipkin): the same form, no TraceQL.
func (h *Handler) paramSearch(c echo.Context, v views.TraceSearchView, b TraceBackend, r links.TimeRange, rc *views.RangeControl) error {
	f, err := traceFilter(v)
	tq, perr := f.Params()
	if err == nil {
		err = perr
	}
	if err != nil && v.FormError == "" {
		v.FormError = err.Error()
	}
	tq.Start, tq.End, tq.Limit = r.From, r.To, v.Limit
	sortBy := c.QueryParam("sort")
	p := h.page(c, "Traces", "traces")
	p.Range = rc
	p.Styles = []string{"css/trace.css"}
	sorts := sortLinks(c.Request().URL, sortBy)
	now := h.now()
	common := ""
	if err == nil {
		common = compareLink(v, f, r)
	}
	set := h.startPanels(c.Request().Context(), requestLogger(c), panel{Title: "Results", Backend: b.Display, Load: func(ctx context.Context) (panelOut, error) {
		if err != nil {
			return panelOut{}, &datasources.Error{Kind: datasources.ErrorBadQuery, Backend: b.Name, Message: err.Error()}
		}
		services, _ := b.Search.Services(ctx) // the form's choices: best effort
		sort.Strings(services)
		out := views.TraceResults{Limit: v.Limit, Services: services, Backend: b.Display, Sort: sorts, Common: common}
		res, err := b.Search.Search(ctx, tq)
		if err != nil {
			return panelOut{}, err
		}
		out.Sent = res.Sent
		out.More = len(res.Traces) >= v.Limit
		out.Rows = views.BuildTraceResultRows(res.Traces, services, b.Name, r, now)
		out.Count = views.TraceRequestCount(res.Traces, b.Display+"'s search answer does not say how each was sampled")
		views.SortTraceResults(out.Rows, sortBy)
		return panelOut{Body: views.TraceResultsBody(out), State: strconv.Itoa(len(out.Rows)) + " found"}, nil
	}})
	return render(c, http.StatusOK, views.TraceSearch(p, v, set.Heads(), set))
}
