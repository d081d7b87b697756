package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/ariadne-dev/ariadne/correlation/links"
	"github.com/ariadne-dev/ariadne/correlation/text"
	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/views"
)

// traces answers GET /traces: with trace_id (the global box) it opens
// that trace, otherwise it is the search page.
func (h *Handler) traces(c echo.Context) error {
	if _, given := c.QueryParams()["trace_id"]; given {
		return h.openTrace(c)
	}
	return h.traceSearch(c)
}

// openTrace answers the global box: GET /traces?trace_id=<id or
// traceparent> redirects to the trace; a malformed value re-renders with
// 400 and the reason, keeping what was typed.
func (h *Handler) openTrace(c echo.Context) error {
	v := c.QueryParam("trace_id")
	id, _, err := datasources.ParseTraceRef(v)
	if err != nil {
		p := h.page(c, "Open a trace", "traces")
		p.TraceBox = v
		p.TraceBoxError = "Cannot open " + quoteShort(v) + ": " + err.Error()
		return render(c, http.StatusBadRequest, views.TraceBoxHelp(p))
	}
	// The window the box came with (kept as written) goes along.
	w := links.TimeRange{RawFrom: c.QueryParam("from"), RawTo: c.QueryParam("to")}
	return c.Redirect(http.StatusSeeOther, links.Trace(id, links.TraceParams{Window: w}))
}

func quoteShort(s string) string {
	return `"` + text.Shorten(s, 80) + `"`
}
