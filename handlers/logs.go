package handlers

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/ariadne-dev/ariadne/correlation/links"
	"github.com/ariadne-dev/ariadne/correlation/query"
	"github.com/ariadne-dev/ariadne/correlation/text"
	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/datasources/loki"
	"github.com/ariadne-dev/ariadne/views"
)

// Limits of the logs page.
const (
	defaultLogLimit = 100
	maxLogLimit     = 1000
	// tempoWindowTimeout bounds asking Tempo for a trace's window: the
	// logs page must not wait on a slow Tempo for a nicety.
	tempoWindowTimeout = 2 * time.Second
)

// logsRequest is what one GET /logs asks for, parsed and validated.
type logsRequest struct {
	query    string // LogQL to run
	traceID  string // padded, when trace_id was valid
	spanID   string
	built    bool // query was built from trace_id
	r        links.TimeRange
	limit    int
	dir      string
	explicit bool               // direction came from the URL
	cursor   loki.Cursor        // "older": continue from here
	newer    loki.Cursor        // "newer": the page just before this top
	params   url.Values         // the request's own parameters, for links
	pinLines *views.PinFormData // the shared "pin line" form; nil without investigations
	zone     *time.Location     // the viewer's; panels run after the request's context is gone
}

// logs renders GET /logs: a LogQL query, or a trace's lines by trace_id.
func (h *Handler) logs(c echo.Context) error {
	p := h.page(c, "Logs", "logs")
	p.Styles = []string{"css/logs.css", "css/pickers.css"}
	p.Scripts = []string{"js/logs.js", "js/pickers.js", "js/live.js"}
	qp := c.QueryParams()
	v := views.LogsView{Query: qp.Get("q"), TraceID: qp.Get("trace_id"), SpanID: qp.Get("span_id")}
	req := logsRequest{query: strings.TrimSpace(qp.Get("q")), params: url.Values{}, zone: zoneOf(c)}
	for k, vs := range qp {
		req.params[k] = vs
	}
	if where := qp.Get("where"); where != "" {
		return narrowLogs(c, req.params, where)
	}

	// A bad trace_id is the user's error: 400, the value kept, and what a
	// good one looks like.
	if raw := strings.TrimSpace(qp.Get("trace_id")); raw != "" {
		id, err := datasources.ParseTraceID(raw)
		if err == nil && qp.Get("span_id") != "" {
			req.spanID, err = datasources.ParseSpanID(qp.Get("span_id"))
		}
		if err != nil {
			v.IDError = err.Error()
			_, p.Range = h.timeRange(c)
			v.Limit, v.Direction = strconv.Itoa(defaultLogLimit), loki.Forward
			v.Hidden = formHidden(qp)
			return render(c, http.StatusBadRequest, views.Logs(p, v, nil, nil))
		}
		req.traceID = id
	}

	r, ctrl := h.timeRange(c)
	req.r = r
	p.Range = ctrl
	if req.traceID != "" && qp.Get("from") == "" && qp.Get("to") == "" {
		// No window given: the trace's own, when Tempo knows it.
		if w, ok := h.fetchTraceWindow(c.Request().Context(), req.traceID); ok {
			req.r = w
			ctrl.From, ctrl.To = req.r.RawFrom, req.r.RawTo
			// Links from this page (paging, zoom) keep the window.
			req.params.Set("from", req.r.RawFrom)
			req.params.Set("to", req.r.RawTo)
			v.Note = "The window is the trace's own, from Tempo, padded by " + text.FormatDuration(links.TracePad) + "."
		} else {
			v.Note = "Tempo did not give this trace's time, so the default window is searched."
		}
	}
	if req.query == "" && req.traceID != "" {
		q, err := query.TraceLogQuery(h.opt.TraceLogQuery, req.traceID, req.spanID)
		if err != nil {
			return err // only a bad template gets here: a server error
		}
		req.query, req.built = q, true
		v.Query, v.Built = q, true
	}
	if req.traceID != "" {
		v.TraceURL = links.Trace(req.traceID, links.TraceParams{Window: req.r.Absolute()})
	}

	req.limit = defaultLogLimit
	if n, err := strconv.Atoi(qp.Get("limit")); err == nil && n > 0 {
		req.limit = min(n, maxLogLimit)
	}
	req.dir = loki.Backward
	if req.traceID != "" {
		// A trace's lines read as its story: oldest first.
		req.dir = loki.Forward
	}
	if d := strings.ToLower(qp.Get("direction")); d == loki.Forward || d == loki.Backward {
		req.dir, req.explicit = d, true
	}
	req.cursor, _ = loki.ParseCursor(qp.Get("cursor"))
	req.newer, _ = loki.ParseCursor(qp.Get("newer"))

	v.Limit, v.Direction = strconv.Itoa(req.limit), req.dir
	v.Window = "Searching " + windowText(req.r, req.zone)
	v.Hidden = formHidden(req.params)
	v.Picker = h.logsPicker(c, logsPickerRequest(req.params, req.query, req.r), req.limit)
	if req.query == "" {
		v.Examples = logExamples()
		return render(c, http.StatusOK, views.Logs(p, v, nil, nil))
	}
	p.Title = "Logs: " + text.Shorten(req.query, 60)
	if query.IsLogQuery(req.query) {
		v.Live = ptr(liveControl(req))
		if v.Live.Refreshing {
			p.Refresh = views.LiveRefreshSeconds
		}
	}
	if h.opt.Store != nil {
		pf := h.pinForms(c)
		w := []views.Hidden{{Name: "q", Value: req.query},
			{Name: "from", Value: req.r.Absolute().RawFrom}, {Name: "to", Value: req.r.Absolute().RawTo}}
		v.PinQuery = ptr(pf.Form("log_query", "Pin query", w...))
		req.pinLines = ptr(pf.Form("log_line", "Pin lines to"))
	}

	panels := []panel{}
	if query.IsLogQuery(req.query) {
		panels = append(panels, panel{Title: "Log volume", Backend: "Loki", Load: func(ctx context.Context) (panelOut, error) {
			return h.volumePanel(ctx, req)
		}})
	}
	panels = append(panels, panel{Title: "Lines", Backend: "Loki", Load: func(ctx context.Context) (panelOut, error) {
		return h.linesPanel(ctx, req)
	}})
	set := h.startPanels(c.Request().Context(), requestLogger(c), panels...)
	return render(c, http.StatusOK, views.Logs(p, v, set.Heads(), set))
}

// fetchTraceWindow asks the trace backends for a trace's time span and
// gives its logs window (links.TraceWindow); ok is false when none is
// configured, they are slow, or none has the trace.
func (h *Handler) fetchTraceWindow(ctx context.Context, id string) (w links.TimeRange, ok bool) {
	if len(h.opt.TraceBackends) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, tempoWindowTimeout)
	defer cancel()
	tr, _, err := h.lookupTrace(ctx, id, time.Time{}, time.Time{}, "")
	if err != nil || len(tr.Spans) == 0 {
		return
	}
	return links.TraceWindow(tr.Extent()), true
}

// narrowLogs answers a field value's button (where=, see views.Narrowed):
// the same page, its query narrowed to that value, from its first page.
// A value that does not apply leaves the query as it was.
func narrowLogs(c echo.Context, params url.Values, where string) error {
	next := url.Values{}
	for k, vs := range params {
		switch k {
		case "where", "cursor", "newer":
		default:
			next[k] = vs
		}
	}
	if q, ok := views.Narrowed(strings.TrimSpace(params.Get("q")), where); ok {
		next.Set("q", q)
	}
	return c.Redirect(http.StatusSeeOther, links.LogsWith(next))
}

// formHidden keeps the window and trace of the page in the query form.
func formHidden(qp url.Values) []views.Hidden {
	var out []views.Hidden
	for _, k := range []string{"from", "to", "trace_id", "span_id", "labels"} {
		if v := qp.Get(k); v != "" {
			out = append(out, views.Hidden{Name: k, Value: v})
		}
	}
	return out
}

func windowText(r links.TimeRange, zone *time.Location) string {
	const layout = "2006-01-02 15:04:05"
	return r.From.In(zone).Format(layout) + " to " + r.To.In(zone).Format(layout) + " " + r.To.In(zone).Format("MST")
}

// logExamples start a user who arrives with no query.
func logExamples() []views.Link {
	var out []views.Link
	for _, q := range []string{
		`{service_name=~".+"}`,
		`{service_name=~".+", level="error"}`,
		`{service_name="payments"} |= "provider"`,
		`{service_name="gateway"} | json | status >= 500`,
	} {
		out = append(out, views.Link{Label: q, URL: links.Logs(links.LogsParams{Query: q})})
	}
	return out
}
