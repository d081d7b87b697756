package handlers

import (
	"errors"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/ariadne-dev/ariadne/correlation/links"
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
	key := traceKey(c, id)
	h.recent.drop(key)
	tr, from, err := h.fetchTrace(c, id, opt)
	if err != nil {
		return h.traceProblem(c, id, err)
	}
	tree := trace.BuildTree(tr, opt.Skew)
	h.recent.put(key, tree, opt.Skew, from, h.now())
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
