package handlers

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/ariadne-dev/ariadne/correlation/links"
	"github.com/ariadne-dev/ariadne/correlation/query"
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
	id, span, err := datasources.ParseTraceRef(v)
	if err != nil {
		p := h.page(c, "Open a trace", "traces")
		p.TraceBox = echoed(v)
		p.TraceBoxError = "Cannot open " + quoteShort(v) + ": " + err.Error()
		// Not an ID: most likely an order number or a request ID from a
		// ticket. Its log lines are one click away.
		help := views.TraceBoxHelpView{}
		if term := strings.TrimSpace(v); term != "" && len(term) <= 200 {
			help.SearchLogs = &views.Link{Label: "Search the logs for " + quoteShort(term),
				URL: links.Logs(links.LogsParams{Query: `{service_name=~".+"} |= "` + query.EscapeLogQLString(term) + `"`})}
		}
		return render(c, http.StatusBadRequest, views.TraceBoxHelp(p, help))
	}
	// The window the box came with (kept as written) goes along, and a
	// traceparent's span is selected.
	w := links.TimeRange{RawFrom: c.QueryParam("from"), RawTo: c.QueryParam("to")}
	return c.Redirect(http.StatusSeeOther, links.Trace(id, links.TraceParams{Window: w, Span: span}))
}

// quoteShort quotes user input inside a sentence: bounded, and with its
// invisible characters shown.
func quoteShort(s string) string {
	return `"` + text.Visible(text.Shorten(s, 80)) + `"`
}

// echoBytes bounds user input written back into a page (a form's kept
// value): enough to see and fix what was typed, never a megabyte.
const echoBytes = 512

// echoed is user input as a page writes it back: bounded, invisible
// characters shown (a NUL or a right-to-left override is not passed on).
func echoed(s string) string { return text.Visible(text.Shorten(s, echoBytes)) }
