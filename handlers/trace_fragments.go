package handlers

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/ariadne-dev/ariadne/correlation/links"
	"github.com/ariadne-dev/ariadne/correlation/text"
	"github.com/ariadne-dev/ariadne/correlation/trace"
	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/telemetry"
	"github.com/ariadne-dev/ariadne/views"
)

// The trace page's fragments, which its script loads without reloading
// the page, and the options every trace URL may carry.

// traceSpan renders one span's details alone, for the page's script.
func (h *Handler) traceSpan(c echo.Context) error {
	spanID, err := datasources.ParseSpanID(c.Param("span"))
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, err.Error())
	}
	tree, from, _, err := h.fragmentTree(c)
	if err != nil {
		return err
	}
	id, _ := datasources.ParseTraceID(c.Param("id")) // valid: fragmentTree checked it
	for i := range tree.Nodes {
		if tree.Nodes[i].Span.SpanID == spanID {
			d := views.BuildSpanDetails(tree, i)
			if h.opt.Store != nil {
				pf := h.pinForms(c)
				// Come back to the page, not to this fragment.
				pf.returnTo = links.Trace(id, links.TraceParams{Span: spanID})
				d.Pin = ptr(pf.Form("span", "Pin span", append(pinWindow(tree), views.Hidden{Name: "backend", Value: from.Name}, views.Hidden{Name: "trace_id", Value: id},
					views.Hidden{Name: "span_id", Value: spanID})...))
			}
			if h.opt.Loki == nil {
				return render(c, http.StatusOK, views.SpanPanel(d))
			}
			return render(c, http.StatusOK, withChildren(views.SpanPanel(d), views.SpanLogsBlock(h.spanLogs(c, tree, tree.Nodes[i].Span))))
		}
	}
	return echo.NewHTTPError(http.StatusNotFound, "No span "+spanID+" in trace "+id+".")
}

// maxFind bounds the trace page's Find text (the form says so too).
const maxFind = 200

// traceFind renders the trace page's Find results alone, for the page's
// script: the same list the page shows for ?find=.
func (h *Handler) traceFind(c echo.Context) error {
	tree, _, opt, err := h.fragmentTree(c)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.FindResults(views.BuildFind(tree, opt)))
}

// traceRows renders one window of the waterfall alone, for the page's
// script: the window asked for (row=), or the one around a span (at=,
// span=), with the page's folds.
func (h *Handler) traceRows(c echo.Context) error {
	tree, _, opt, err := h.fragmentTree(c)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.WaterfallRows(views.BuildRows(tree, opt)))
}

// fragmentTree reads a fragment's trace ID (400 when invalid) and view
// options, and finds its tree (see recentTree).
func (h *Handler) fragmentTree(c echo.Context) (*trace.TraceTree, TraceBackend, views.TraceOptions, error) {
	opt := parseTraceOptions(c)
	id, err := datasources.ParseTraceID(c.Param("id"))
	if err != nil {
		return nil, TraceBackend{}, opt, echo.NewHTTPError(http.StatusBadRequest, err.Error())
	}
	tree, from, err := h.recentTree(c, id, opt)
	return tree, from, opt, err
}

// recentTree is the trace a page was just rendered from, as it arranged
// it, or fetched and arranged anew when the page is older than the cache.
func (h *Handler) recentTree(c echo.Context, id string, opt views.TraceOptions) (*trace.TraceTree, TraceBackend, error) {
	key := traceKey(c, id)
	tree, from, ok := h.recent.get(key, opt.Skew, h.now())
	h.tel.Metrics.CacheLookup(telemetry.CacheTrace, ok)
	if ok {
		return tree, from, nil
	}
	tr, from, err := h.fetchTrace(c, id, opt)
	if err != nil {
		return nil, from, err
	}
	tree = trace.BuildTree(tr, opt.Skew)
	h.recent.put(key, tree, opt.Skew, from, h.now())
	return tree, from, nil
}

// traceKey names a trace as fetched: its ID, the backend asked first and
// the window it was looked up in.
func traceKey(c echo.Context, id string) string {
	return id + "|" + c.QueryParam("backend") + "|" + c.QueryParam("from") + "|" + c.QueryParam("to")
}

// parseTraceOptions reads what the URL asks of the trace view; invalid
// values are ignored (the page shows the trace as it is).
func parseTraceOptions(c echo.Context) views.TraceOptions {
	opt := views.TraceOptions{Skew: c.QueryParam("skew") == "adjust", Window: url.Values{}}
	if s, err := datasources.ParseSpanID(c.QueryParam("span")); err == nil {
		opt.Span = s
	}
	if f, err := datasources.ParseSpanID(c.QueryParam("focus")); err == nil {
		opt.Focus = f
	}
	opt.Find, _ = text.Cut(strings.TrimSpace(c.QueryParam("find")), maxFind)
	opt.Fold, opt.Unfold = spanIDList(c.QueryParam("fold")), spanIDList(c.QueryParam("unfold"))
	opt.Expand = spanIDList(c.QueryParam("expand"))
	opt.Row = -1
	if r, err := strconv.Atoi(c.QueryParam("row")); err == nil && r >= 0 {
		opt.Row = r
	}
	if a, err := datasources.ParseSpanID(c.QueryParam("at")); err == nil {
		opt.At = a
	}
	for _, k := range []string{"ops", "svcs"} {
		if p, err := strconv.Atoi(c.QueryParam(k)); err == nil && p > 0 && p < 100_000 {
			if opt.StatPages == nil {
				opt.StatPages = map[string]int{}
			}
			opt.StatPages[k] = p
		}
	}
	if d, err := strconv.Atoi(c.QueryParam("depth")); err == nil && d > 0 && d < 1000 {
		opt.Depth = d
	}
	for _, k := range []string{"from", "to"} {
		if v := c.QueryParam(k); v != "" {
			opt.Window.Set(k, v)
		}
	}
	return opt
}

// spanIDList reads a comma-separated list of span IDs, keeping the valid
// ones, at most views.MaxFolds.
func spanIDList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if id, err := datasources.ParseSpanID(p); err == nil && len(out) < views.MaxFolds {
			out = append(out, id)
		}
	}
	return out
}
