package handlers

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/ariadne-dev/ariadne/correlation/links"
	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/datasources/loki"
	"github.com/ariadne-dev/ariadne/views"
)

// Context lines on each side, and how far back and ahead to look for them.
const (
	contextLines = 10
)

// logContext renders GET /logs/context?stream=<selector>&ts=<ns>&h=<hash>:
// the lines just before and after one line of one stream. Three queries:
// strictly before, the line's own nanosecond, strictly after; so lines
// sharing the timestamp are all shown and none twice.
func (h *Handler) logContext(c echo.Context) error {
	stream, at, err := lineAddress(c, "show context")
	if err != nil {
		return err
	}
	if h.opt.Loki == nil {
		return datasources.NotConfigured(loki.Backend)
	}
	ctx := c.Request().Context()
	get := func(ctx context.Context, q loki.Query) ([]datasources.LogLine, error) {
		q.Expr = stream
		res, err := h.opt.Loki.QueryRange(ctx, q)
		if err != nil {
			return nil, err
		}
		return res.Lines, nil
	}
	before, err := get(ctx, loki.Query{Start: at.Add(-links.ContextPad), End: at, Limit: contextLines, Direction: loki.Backward})
	if err != nil {
		return err
	}
	same, err := get(ctx, loki.Query{Start: at, End: at.Add(1), Limit: loki.MaxEntriesPerQuery, Direction: loki.Forward})
	if err != nil {
		return err
	}
	after, err := get(ctx, loki.Query{Start: at.Add(1), End: at.Add(links.ContextPad), Limit: contextLines, Direction: loki.Forward})
	if err != nil {
		return err
	}
	// Oldest first, as the stream was written.
	lines := make([]datasources.LogLine, 0, len(before)+len(same)+len(after))
	lines = append(lines, loki.ReverseDirection(before)...)
	lines = append(lines, same...)
	lines = append(lines, after...)
	zone := zoneOf(c)
	rows := h.logRows(lines, views.LogRowsInput{Zone: zone})
	mark := c.QueryParam("h")
	for i := range same {
		if views.LineMarked(same[i].Line, mark) {
			rows[len(before)+i].Highlight = true
			rows[len(before)+i].ID = "at"
			break
		}
	}
	v := views.LogContext{Stream: stream, At: at.In(zone).Format("2006-01-02 15:04:05.000000000 MST"), Rows: rows,
		Before: len(before), After: len(after),
		BackURL: links.Logs(links.LogsParams{Query: stream, Window: links.ContextWindow(at)})}
	p := h.page(c, "Context", "logs")
	p.Styles = []string{"css/logs.css"}
	p.Scripts = []string{"js/logs.js"}
	return render(c, http.StatusOK, views.LogContextPage(p, v))
}

// lineAddress reads the stream and time a line's links give
// (links.LogContext, links.LogLine): what is refused says what for.
func lineAddress(c echo.Context, what string) (stream string, at time.Time, err error) {
	stream = c.QueryParam("stream")
	ts, err := strconv.ParseInt(c.QueryParam("ts"), 10, 64)
	if err != nil || !strings.HasPrefix(stream, "{") || !strings.HasSuffix(stream, "}") {
		return "", time.Time{}, echo.NewHTTPError(http.StatusBadRequest, what+` needs stream={label="value", …} and ts=<unix ns> of a line`)
	}
	return stream, time.Unix(0, ts), nil
}
