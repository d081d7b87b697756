package handlers

// The logs page's panels: its lines (paged both ways) and its volume
// histogram, each loaded in parallel and failing alone.

import (
	"context"
	"net/url"
	"strconv"

	"github.com/ariadne-dev/ariadne/correlation/chart"
	"github.com/ariadne-dev/ariadne/correlation/links"
	"github.com/ariadne-dev/ariadne/correlation/query"
	"github.com/ariadne-dev/ariadne/correlation/text"
	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/datasources/loki"
	"github.com/ariadne-dev/ariadne/views"
)

// linesPanel loads one page of lines; an empty trace search explains why.
func (h *Handler) linesPanel(ctx context.Context, req logsRequest) (panelOut, error) {
	if h.opt.Loki == nil {
		return panelOut{}, datasources.NotConfigured(loki.Backend)
	}
	// Most of a row's work is done on each line as Loki's answer is
	// decoded, on another core (views.PrepareLines).
	q := loki.Query{Expr: req.query, Start: req.r.From, End: req.r.To, Limit: req.limit, Direction: req.dir,
		Prepare: views.PrepareLines(h.deriver)}
	page, at := h.opt.Loki.Page, req.cursor
	if !req.newer.IsZero() {
		page, at = h.opt.Loki.PageBefore, req.newer
	}
	pg, err := page(ctx, q, at)
	if err != nil {
		return panelOut{}, err
	}
	zone := req.zone
	out := views.LogLines{Warnings: pg.Warnings, Wrap: req.params.Get("wrap") == "1", Pretty: req.params.Get("pretty") == "1",
		WrapURL: toggledURL(req.params, "wrap"), PrettyURL: toggledURL(req.params, "pretty")}
	// On the logs page a field's value narrows the query to it. A line's
	// expanded view is fetched when it is opened (most of a row's markup,
	// for the few lines anyone opens), unless its JSON was asked indented.
	// The rows are built as they are written (up to maxLogLimit of them).
	out.Lines = pg.Lines
	out.In = h.rowsIn(views.LogRowsInput{Zone: zone, Query: req.query, Narrow: true, Pretty: out.Pretty, Lazy: !out.Pretty})
	if req.pinLines != nil {
		out.Pin = req.pinLines
		out.In.PinRef = func(l *datasources.LogLine) string { return linePinRef(*l) }
	}
	order := "newest first"
	if req.dir == loki.Forward {
		order = "oldest first"
	}
	out.Count = strconv.Itoa(len(pg.Lines)) + " lines, " + order
	if pg.More {
		out.Older = pageURL(req.params, "cursor", pg.Next.String())
		out.Count += "; more beyond this page"
	}
	if !pg.Prev.IsZero() {
		out.Newer = pageURL(req.params, "newer", pg.Prev.String())
	}
	if req.dir == loki.Forward {
		// Forward pages go on towards newer lines.
		out.Older, out.Newer = out.Newer, out.Older
	}
	if len(pg.Lines) == 0 && req.traceID != "" && req.cursor.IsZero() && req.newer.IsZero() {
		d := h.diagnoseEmpty(ctx, req.query, req.traceID, req.r, zone, req.params)
		out.Empty = &d
	}
	state := strconv.Itoa(len(pg.Lines))
	return panelOut{Body: views.LogLinesBody(out), State: state + " lines", StateClass: "status-ok"}, nil
}

// pageURL is the page's own URL with one paging parameter set and the
// other cleared.
func pageURL(params url.Values, key, val string) string {
	q := url.Values{}
	for k, vs := range params {
		if k != "cursor" && k != "newer" {
			q[k] = vs
		}
	}
	q.Set(key, val)
	return links.LogsWith(q)
}

// toggledURL is the page's own URL with the view switch key (wrap,
// pretty) flipped; the page of lines stays where it is.
func toggledURL(params url.Values, key string) string {
	q := url.Values{}
	for k, vs := range params {
		q[k] = vs
	}
	if q.Get(key) == "1" {
		q.Del(key)
	} else {
		q.Set(key, "1")
	}
	return links.LogsWith(q)
}

// linePinRef is a line's pin fields with a fresh idempotency key.
func linePinRef(l datasources.LogLine) string {
	line, _ := text.Cut(l.Line, pinnedLineBytes)
	return url.Values{
		"idempotency_key": {newFormKey()},
		"time_ns":         {strconv.FormatInt(l.TimeNs, 10)},
		"labels":          {datasources.FormatLabels(l.Labels)},
		"line":            {line},
	}.Encode()
}

// volumePanel runs the by-level count alongside the lines.
func (h *Handler) volumePanel(ctx context.Context, req logsRequest) (panelOut, error) {
	if h.opt.Loki == nil {
		return panelOut{}, datasources.NotConfigured(loki.Backend)
	}
	window := req.r.To.Sub(req.r.From)
	step := chart.AutoStep(window, views.VolumeBars)
	res, err := h.opt.Loki.QueryRange(ctx, loki.Query{Expr: query.VolumeQuery(req.query, step),
		Start: req.r.From, End: req.r.To, Step: step})
	if err != nil {
		return panelOut{}, err
	}
	v := views.BuildLogVolume(res.Series, req.r.From, req.r.To, step, req.zone, req.params)
	return panelOut{Body: views.LogVolumeChart(v), State: v.Total + " lines"}, nil
}

// logRows turns lines into rows with the app's derived-field rules.
func (h *Handler) logRows(lines []datasources.LogLine, in views.LogRowsInput) []views.LogRow {
	return views.BuildLogRows(lines, h.rowsIn(in))
}

// rowsIn is in with the app's derived-field rules.
func (h *Handler) rowsIn(in views.LogRowsInput) views.LogRowsInput {
	in.Deriver = h.deriver
	return in
}
