package handlers

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/ariadne-dev/ariadne/correlation/links"
	"github.com/ariadne-dev/ariadne/correlation/query"
	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/datasources/loki"
	"github.com/ariadne-dev/ariadne/views"
)

// logLine renders GET /logs/line?h=&q=&stream=&ts= (links.LogLine): one
// line of the logs page, opened, with the field, label and metadata tables
// the logs page leaves out (views.LogRowsInput.Lazy). logLineBody, GET
// /logs/line/fields, is those tables alone: what logs.js puts in a line
// opened in place.
func (h *Handler) logLine(c echo.Context) error { return h.serveLine(c, false) }

func (h *Handler) logLineBody(c echo.Context) error { return h.serveLine(c, true) }

func (h *Handler) serveLine(c echo.Context, fragment bool) error {
	stream, at, err := lineAddress(c, "a log line")
	if err != nil {
		return err
	}
	if h.opt.Loki == nil {
		return datasources.NotConfigured(loki.Backend)
	}
	q := strings.TrimSpace(c.QueryParam("q"))
	l, found, err := h.findLine(c.Request().Context(), q, stream, at, c.QueryParam("h"))
	if err != nil {
		return err
	}
	if !found {
		return echo.NewHTTPError(http.StatusNotFound, "Loki no longer has this line (its retention may have passed, or the stream was deleted).")
	}
	zone := zoneOf(c)
	row := h.logRows([]datasources.LogLine{l}, views.LogRowsInput{Zone: zone, Query: q, Narrow: true})[0]
	if h.opt.Store != nil {
		row.PinRef = linePinRef(l)
	}
	if fragment {
		return render(c, http.StatusOK, views.LogLineBody(row))
	}
	row.Open, row.ID = true, "at"
	w := links.ContextWindow(at)
	back := q
	if !query.IsLogQuery(back) {
		back = stream
	}
	abs := w.Absolute()
	v := views.LogLineView{Stream: stream, At: at.In(zone).Format("2006-01-02 15:04:05.000000000 MST"), Row: row,
		Query: back, Hidden: []views.Hidden{{Name: "from", Value: abs.RawFrom}, {Name: "to", Value: abs.RawTo}},
		BackURL: links.Logs(links.LogsParams{Query: back, Window: w})}
	if h.opt.Store != nil {
		v.Pin = ptr(h.pinForms(c).Form("log_line", "Pin this line to"))
	}
	p := h.page(c, "Log line", "logs")
	p.Styles = []string{"css/logs.css"}
	p.Scripts = []string{"js/logs.js"}
	return render(c, http.StatusOK, views.LogLinePage(p, v))
}

// findLine asks Loki for the line at its nanosecond with the query that
// listed it (so its parsed fields come back as they were shown), or with
// its stream alone when that query is gone or finds it no more, and picks
// it out by stream and hash.
func (h *Handler) findLine(ctx context.Context, q, stream string, at time.Time, hash string) (datasources.LogLine, bool, error) {
	exprs := []string{stream}
	if query.IsLogQuery(q) && q != stream {
		exprs = []string{q, stream}
	}
	for _, expr := range exprs {
		res, err := h.opt.Loki.QueryRange(ctx, loki.Query{Expr: expr, Start: at, End: at.Add(1), Limit: loki.MaxEntriesPerQuery, Direction: loki.Forward})
		if err != nil {
			return datasources.LogLine{}, false, err
		}
		for _, l := range res.Lines {
			if l.Stream == stream && views.LineMarked(l.Line, hash) {
				return l, true, nil
			}
		}
	}
	return datasources.LogLine{}, false, nil
}
