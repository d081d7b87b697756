package handlers

// GET /logs/live: the logs page's Live mode. The server follows Loki's
// tail WebSocket and streams what arrives to the browser as server-sent
// events, each an HTML fragment built by the logs page's own row code:
// "lines" (rows, newest first), "dropped" (Loki's report of lines it
// could not send), "end" (Loki closed the tail) and "problem" (the tail
// failed). A stream lasts at most the request timeout; the browser then
// reconnects with the id of the last lines it got, and the tail resumes
// just after them.

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/ariadne-dev/ariadne/correlation/links"
	"github.com/ariadne-dev/ariadne/correlation/query"
	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/datasources/loki"
	"github.com/ariadne-dev/ariadne/views"
)

// LogTailer is what Live needs of Loki beside LogSource (*loki.Client).
type LogTailer interface {
	Tail(ctx context.Context, req loki.TailRequest) (*loki.Tail, error)
}

// liveResumeLimit bounds the lines a reconnecting stream catches up on.
const liveResumeLimit = 500

func (h *Handler) logsLive(c echo.Context) error {
	q := strings.TrimSpace(c.QueryParam("q"))
	if q == "" || !query.IsLogQuery(q) {
		return echo.NewHTTPError(http.StatusBadRequest, "Live follows a log query: a stream selector such as {service_name=\"orders\"}, optionally with filters.")
	}
	tailer, ok := h.opt.Loki.(LogTailer)
	if !ok {
		return datasources.NotConfigured(loki.Backend)
	}
	release, full := h.live.acquire(userOf(c))
	switch full {
	case "user":
		return echo.NewHTTPError(http.StatusTooManyRequests, "You already follow "+strconv.Itoa(h.live.perUser)+" live tails, the most one user may: stop one (or close its tab) first.")
	case "total":
		return echo.NewHTTPError(http.StatusTooManyRequests, "Ariadne already follows "+strconv.Itoa(h.live.total)+" live tails, the most it allows at once: try again in a minute.")
	}
	defer release()

	zone := zoneOf(c)
	req := loki.TailRequest{Expr: q, Start: h.now(), Limit: liveResumeLimit}
	if ns, err := strconv.ParseInt(c.Request().Header.Get("Last-Event-ID"), 10, 64); err == nil && ns > 0 {
		// A reconnection: what arrived since the last line it showed.
		req.Start = time.Unix(0, ns+1)
	}
	ctx := c.Request().Context()
	tail, err := tailer.Tail(ctx, req)
	if err != nil {
		return err // before the first byte: the error page, with its status
	}
	defer tail.Close()

	w := startSSE(c, "2000")
	in := views.LogRowsInput{Zone: zone, Query: q, Narrow: true, Deriver: h.deriver}
	var buf bytes.Buffer
	for seq := 0; ; seq++ {
		f, err := tail.Next(ctx)
		switch {
		case ctx.Err() != nil:
			return nil // the browser went away, or the request's time is up
		case errors.Is(err, io.EOF):
			w.event("end", "", "Loki closed the live tail; reconnecting.")
			return nil
		case err != nil:
			requestLogger(c).Warn("live tail failed", "err", err)
			w.event("problem", "", datasources.UserMessage(err))
			return nil
		}
		if len(f.Dropped) > 0 {
			d := make([]views.DroppedLine, len(f.Dropped))
			for i, e := range f.Dropped {
				d[i] = views.DroppedLine{Labels: e.Labels, TimeNs: e.TimeNs}
			}
			if err := h.sendFragment(ctx, w, &buf, "dropped", "", views.LiveDroppedReport(views.BuildLiveDropped(d, zone))); err != nil {
				return nil
			}
		}
		if len(f.Lines) > 0 {
			rows := views.BuildLiveRows(f.Lines, in, seq)
			last := strconv.FormatInt(f.Lines[len(f.Lines)-1].TimeNs, 10)
			if err := h.sendFragment(ctx, w, &buf, "lines", last, views.LiveRows(rows)); err != nil {
				return nil
			}
		}
	}
}

// sendFragment renders one component whole and sends it as one event.
func (h *Handler) sendFragment(ctx context.Context, w *sseWriter, buf *bytes.Buffer, name, id string, comp templ.Component) error {
	buf.Reset()
	if err := comp.Render(ctx, buf); err != nil {
		return err
	}
	// A CR cannot travel in an event; in HTML its reference is the same.
	return w.event(name, id, strings.ReplaceAll(buf.String(), "\r", "&#13;"))
}

// liveControl is the logs page's Live section: the stream to follow, and
// for a page without JavaScript the same query reloading its newest lines
// (a fixed window would never show a new one, so it becomes the default
// relative one).
func liveControl(req logsRequest) views.LiveControl {
	stop := url.Values{}
	for k, vs := range req.params {
		switch k {
		case "cursor", "newer", "direction", "refresh":
		default:
			stop[k] = vs
		}
	}
	if !req.r.Relative() {
		stop.Del("from")
		stop.Del("to")
	}
	refresh := url.Values{"refresh": {"1"}}
	for k, vs := range stop {
		refresh[k] = vs
	}
	return views.BuildLiveControl(links.LogsLive(req.query), links.LogsWith(refresh), links.LogsWith(stop), req.params.Get("refresh") == "1")
}
