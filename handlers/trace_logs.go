package handlers

import (
	"context"
	"io"
	"net/url"
	"strconv"
	"time"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/ariadne-dev/ariadne/correlation/links"
	"github.com/ariadne-dev/ariadne/correlation/query"
	"github.com/ariadne-dev/ariadne/correlation/text"
	"github.com/ariadne-dev/ariadne/correlation/trace"
	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/datasources/loki"
	"github.com/ariadne-dev/ariadne/views"
)

// Logs inside the trace page. The trace is fetched first (it decides the
// status); the Logs section is then a panel streamed after the waterfall,
// so logs never delay it. Per-span counts on the rows and a selected
// span's lines are filled in by trace.js from that panel once it arrives
// (each line carries data-span). The span fragment the script fetches when
// a span is selected renders that span's lines itself, bounded by
// spanLogsTimeout.

const (
	// traceLogLimit bounds the lines one trace page lists.
	traceLogLimit = 1000
	// spanLogsTimeout bounds the span fragment's wait for Loki.
	spanLogsTimeout = 1500 * time.Millisecond
)

// tracePanels starts the panels streamed after a trace page's waterfall:
// its logs (when Loki is configured), the comparison with similar traces
// and the span quality check.
func (h *Handler) tracePanels(c echo.Context, t *trace.TraceTree, from TraceBackend) (templ.Component, []views.PanelHead) {
	var panels []panel
	if h.opt.Loki != nil {
		panels = append(panels, h.traceLogsPanel(c, t))
	}
	panels = append(panels, h.baselinePanel(t, from), qualityPanel(t, from))
	set := h.startPanels(c.Request().Context(), requestLogger(c), panels...)
	return set, set.Heads()
}

// traceLogsPanel is the Logs panel of a trace page.
func (h *Handler) traceLogsPanel(c echo.Context, t *trace.TraceTree) panel {
	id := t.Trace.ID
	w := links.TraceWindow(t.StartNs, t.EndNs)
	zone := zoneOf(c)
	return panel{Title: "Logs", Backend: "Loki", Load: func(ctx context.Context) (panelOut, error) {
		q, err := query.TraceLogQuery(h.opt.TraceLogQuery, id, "")
		if err != nil {
			return panelOut{}, err
		}
		pg, err := h.opt.Loki.Page(ctx, loki.Query{Expr: q, Start: w.From, End: w.To, Limit: traceLogLimit, Direction: loki.Forward}, loki.Cursor{})
		if err != nil {
			return panelOut{}, err
		}
		out := views.LogLines{Warnings: pg.Warnings, Count: strconv.Itoa(len(pg.Lines)) + " lines in time order"}
		out.Rows = h.logRows(pg.Lines, views.LogRowsInput{Zone: zone, BaseNs: t.StartNs})
		params := url.Values{"trace_id": {id}, "from": {w.RawFrom}, "to": {w.RawTo}}
		if pg.More {
			out.Count += "; the first " + strconv.Itoa(traceLogLimit) + " are shown"
			out.Older = pageURL(params, "cursor", pg.Next.String())
		}
		if len(pg.Lines) == 0 {
			d := h.diagnoseEmpty(ctx, q, id, w, zone, params)
			out.Empty = &d
		}
		return panelOut{Body: views.TraceLogsBody(out, links.Logs(links.LogsParams{TraceID: id, Window: w})), State: strconv.Itoa(len(pg.Lines)) + " lines"}, nil
	}}
}

// spanLogs loads one span's lines for its details, within spanLogsTimeout.
func (h *Handler) spanLogs(c echo.Context, t *trace.TraceTree, s *datasources.Span) views.SpanLogs {
	out := views.SpanLogs{SpanID: s.SpanID}
	if h.opt.Loki == nil {
		out.Note = "Loki is not configured."
		return out
	}
	ctx, cancel := context.WithTimeout(c.Request().Context(), spanLogsTimeout)
	defer cancel()
	q, err := query.TraceLogQuery(h.opt.TraceLogQuery, s.TraceID, s.SpanID)
	if err != nil {
		out.Error = err.Error()
		return out
	}
	w := links.SpanWindow(s)
	pg, err := h.opt.Loki.Page(ctx, loki.Query{Expr: q, Start: w.From, End: w.To, Limit: 200, Direction: loki.Forward}, loki.Cursor{})
	if err != nil {
		out.Error = "Could not load this span's lines: " + replyTo(err).Message
		return out
	}
	out.Rows = h.logRows(pg.Lines, views.LogRowsInput{Zone: zoneOf(c), BaseNs: t.StartNs})
	return out
}

// withChildren renders comp with children in its { children... } slot.
func withChildren(comp, children templ.Component) templ.Component {
	return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		return comp.Render(templ.WithChildren(ctx, children), w)
	})
}

// notFoundHints adds, for a trace link that came with a window (from an
// exemplar or a log line), what was searched and the ways out: the whole
// retention, and the logs of that window, which may hold the request's
// story even when its trace was sampled out.
func notFoundHints(tp *views.TraceProblem, id string, window url.Values, now time.Time) {
	if window.Get("from") == "" && window.Get("to") == "" {
		return
	}
	r, err := links.ParseTimeRange(window.Get("from"), window.Get("to"), now)
	if err != nil {
		return
	}
	const layout = "2006-01-02 15:04:05 MST"
	tp.Hints = append([]string{
		"The link came with a time window (" + r.From.UTC().Format(layout) + " to " + r.To.UTC().Format(layout) +
			"), as exemplar and log links do; Tempo was searched " + text.FormatDuration(links.LookupPad) + " either side of it. An exemplar's trace that is not there was most likely sampled out (the metric counts every request, Tempo keeps only sampled ones) or has aged out of Tempo's retention.",
	}, tp.Hints...)
	tp.Links = []views.Link{
		{Label: "Search all of Tempo's retention", URL: links.Trace(id, links.TraceParams{})},
		{Label: "Logs with this trace ID in that window", URL: links.Logs(links.LogsParams{TraceID: id, Window: r.Absolute()})},
	}
}
