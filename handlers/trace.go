package handlers

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/ariadne-dev/ariadne/correlation/links"
	"github.com/ariadne-dev/ariadne/correlation/text"
	"github.com/ariadne-dev/ariadne/correlation/trace"
	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/views"
)

// trace renders GET /traces/{id}. The status is decided by fetching the
// trace first: 400 for an invalid ID, 404 when Tempo does not have it.
func (h *Handler) trace(c echo.Context) error {
	raw := c.Param("id")
	id, err := datasources.ParseTraceID(raw)
	if err != nil {
		p := h.page(c, "Invalid trace ID", "traces")
		p.TraceBox = echoed(raw)
		return render(c, http.StatusBadRequest, views.TraceProblemPage(p, views.TraceProblem{
			Heading: "That is not a trace ID", ID: echoed(raw), Message: err.Error() + ". A W3C traceparent header works too.",
		}))
	}
	opt := parseTraceOptions(c)
	tr, from, err := h.fetchTrace(c, id, opt)
	if err != nil {
		return h.traceProblem(c, id, err)
	}
	tree := trace.BuildTree(tr, opt.Skew)
	in := h.traceInput(c, opt)
	in.Backend = from.Display
	v := views.BuildTrace(tree, in)
	v.Panels, v.PanelHeads = h.tracePanels(c, tree, from)
	v.HasLogs = h.opt.Loki != nil
	if h.opt.Store != nil {
		pf := h.pinForms(c)
		w := append(pinWindow(tree), views.Hidden{Name: "backend", Value: from.Name})
		v.PinTrace = ptr(pf.Form("trace", "Pin trace", append(w, views.Hidden{Name: "trace_id", Value: id})...))
		if v.Selected != nil {
			v.Selected.Pin = ptr(pf.Form("span", "Pin span", append(w, views.Hidden{Name: "trace_id", Value: id},
				views.Hidden{Name: "span_id", Value: v.Selected.SpanID})...))
		}
	}
	p := h.page(c, v.Title, "traces")
	p.Styles = []string{"css/trace.css", "css/logs.css", "css/analysis.css"}
	p.Scripts = []string{"js/trace.js"}
	return render(c, http.StatusOK, views.Trace(p, v))
}

// traceSpan renders one span's details alone, for the page's script.
func (h *Handler) traceSpan(c echo.Context) error {
	id, err := datasources.ParseTraceID(c.Param("id"))
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, err.Error())
	}
	spanID, err := datasources.ParseSpanID(c.Param("span"))
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, err.Error())
	}
	opt := parseTraceOptions(c)
	tr, from, err := h.fetchTrace(c, id, opt)
	if err != nil {
		return err
	}
	tree := trace.BuildTree(tr, opt.Skew)
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
	id, err := datasources.ParseTraceID(c.Param("id"))
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, err.Error())
	}
	opt := parseTraceOptions(c)
	tr, _, err := h.fetchTrace(c, id, opt)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.FindResults(views.BuildFind(trace.BuildTree(tr, opt.Skew), opt)))
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

// traceInput is what the trace view needs from the request and config.
func (h *Handler) traceInput(c echo.Context, opt views.TraceOptions) views.TraceInput {
	return views.TraceInput{Options: opt, Now: h.now(), Zone: zoneOf(c), REDQueries: h.opt.REDQueries}
}

// fetchTrace asks the trace backends, within the URL's window when it
// gives one.
func (h *Handler) fetchTrace(c echo.Context, id string, opt views.TraceOptions) (*datasources.Trace, TraceBackend, error) {
	var start, end time.Time
	if opt.Window.Get("from") != "" || opt.Window.Get("to") != "" {
		if r, err := links.ParseTimeRange(opt.Window.Get("from"), opt.Window.Get("to"), h.now()); err == nil {
			start, end = links.LookupWindow(r)
		}
	}
	return h.lookupTrace(c.Request().Context(), id, start, end, c.QueryParam("backend"))
}

// traceProblem turns a failed fetch into the page that says why.
func (h *Handler) traceProblem(c echo.Context, id string, err error) error {
	p := h.page(c, "Trace "+id, "traces")
	p.TraceBox = id
	window := parseTraceOptions(c).Window
	// Loki may answer when Tempo does not: the trace's lines, over the
	// window the user came with, are one way on.
	var logsWindow links.TimeRange
	if window.Get("from") != "" || window.Get("to") != "" {
		logsWindow, _ = links.ParseTimeRange(window.Get("from"), window.Get("to"), h.now())
	}
	logs := views.Link{Label: "Logs with this trace ID", URL: links.Logs(links.LogsParams{TraceID: id, Window: logsWindow})}
	switch datasources.ErrorKindOf(err) {
	case datasources.ErrorNotFound:
		tp := views.TraceProblem{
			Heading: "Trace not found", ID: id,
			Message: datasources.UserMessage(err),
			Hints: []string{
				"It may be outside Tempo's retention, or too recent: a trace can take a few seconds to become visible after its spans are sent.",
				"It may have been sampled out: only sampled requests are stored.",
				"If you came with a time range, the trace may lie outside it.",
			},
			Links: []views.Link{
				{Label: "Try again", URL: links.Trace(id, links.TraceParams{})},
				logs,
			},
		}
		notFoundHints(&tp, id, window, h.now())
		h.explainNotFound(c.Request().Context(), &tp, id, window)
		return render(c, http.StatusNotFound, views.TraceProblemPage(p, tp))
	case datasources.ErrorNotConfigured:
		return render(c, http.StatusServiceUnavailable, views.TraceProblemPage(p, views.TraceProblem{
			Heading: "No trace backend is configured", ID: id, Message: datasources.UserMessage(err),
		}))
	}
	var de *datasources.Error
	if errors.As(err, &de) {
		return render(c, replyTo(err).Status, views.TraceProblemPage(p, views.TraceProblem{
			Heading: "Could not load the trace", ID: id, Message: datasources.UserMessage(err),
			Links: []views.Link{{Label: "Try again", URL: c.Request().URL.RequestURI()}, logs},
		}))
	}
	return err
}

// pinWindow is the trace's own window as pin fields: a pinned trace
// reopens (and its snapshot is fetched) within it.
func pinWindow(t *trace.TraceTree) []views.Hidden {
	w := links.TraceWindow(t.StartNs, t.EndNs)
	return []views.Hidden{{Name: "from", Value: w.RawFrom}, {Name: "to", Value: w.RawTo}}
}

func ptr[T any](v T) *T { return &v }
