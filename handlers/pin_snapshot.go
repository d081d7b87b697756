package handlers

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/ariadne-dev/ariadne/correlation/links"
	"github.com/ariadne-dev/ariadne/correlation/snapshot"
	"github.com/ariadne-dev/ariadne/correlation/text"
	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/datasources/loki"
	"github.com/ariadne-dev/ariadne/store"
	"github.com/ariadne-dev/ariadne/views"
)

// pinnedLineBytes bounds a log line pinned as posted: it is what the user
// saw, but the form is not trusted to be small.
const pinnedLineBytes = 16 << 10

// graphPoints is about how many steps a pinned graph keeps.
const graphPoints = 240

// snapshot fills p's title, reference and frozen snapshot for its kind,
// asking the backend where the snapshot must come from the server.
func (h *Handler) snapshot(ctx context.Context, p *store.Pin, f url.Values) error {
	lim := snapshot.DefaultLimits
	snap := &snapshot.Snapshot{TakenAt: h.now().UTC()}
	p.Snapshot = snap
	bad := func(format string, a ...any) error {
		return echo.NewHTTPError(http.StatusBadRequest, "Nothing was pinned: "+fmt.Sprintf(format, a...))
	}
	window := func(required bool) (time.Time, time.Time, error) {
		if !required && f.Get("from") == "" && f.Get("to") == "" {
			return time.Time{}, time.Time{}, nil
		}
		r, err := links.ParseTimeRange(f.Get("from"), f.Get("to"), h.now())
		if err != nil {
			return time.Time{}, time.Time{}, bad("%v.", err)
		}
		r = r.Absolute()
		return r.From, r.To, nil
	}
	addOmitted := func(s string) {
		if s != "" {
			snap.Omitted = append(snap.Omitted, s)
		}
	}
	series := func(q string, from, to time.Time) error {
		if h.opt.Prometheus == nil {
			return datasources.NotConfigured("prometheus")
		}
		step := max(to.Sub(from)/graphPoints, time.Second).Truncate(time.Second)
		res, err := h.opt.Prometheus.QueryRange(ctx, q, from, to, step)
		if err != nil {
			return err
		}
		var omitted string
		snap.Series, omitted = snapshot.FromSeries(res.Series, lim)
		addOmitted(omitted)
		return nil
	}

	switch p.Kind {
	case store.KindGraph:
		q := strings.TrimSpace(f.Get("q"))
		if q == "" {
			return bad("a graph pin needs its query (q).")
		}
		from, to, err := window(true)
		if err != nil {
			return err
		}
		p.Ref = store.Ref{Query: q, From: from, To: to}
		p.Title = text.Shorten(q, 120)
		return series(q, from, to)

	case store.KindExemplar:
		id, err := datasources.ParseTraceID(f.Get("trace_id"))
		if err != nil {
			return bad("trace_id: %v", err)
		}
		v, err := strconv.ParseFloat(f.Get("value"), 64)
		if err != nil {
			return bad("value %s is not a number.", quoteShort(f.Get("value")))
		}
		at, err := links.ParseTime(f.Get("time"), h.now())
		if err != nil {
			return bad("time: %v", err)
		}
		labels, err := datasources.ParseLabels(f.Get("labels"))
		if err != nil {
			return bad("labels: %v", err)
		}
		snap.Exemplar = &snapshot.Exemplar{TraceID: id, TMs: at.UnixMilli(), Value: v, SeriesLabels: labels}
		from, to, err := window(false)
		if err != nil {
			return err
		}
		q := strings.TrimSpace(f.Get("q"))
		p.Ref = store.Ref{TraceID: id, Query: q, From: from, To: to, TimeNs: at.UnixNano(), Labels: labels}
		p.Title = "Exemplar " + views.FormatSample(v) + " → trace " + id[:8] + "…"
		if q != "" && !from.IsZero() {
			return series(q, from, to)
		}
		return nil

	case store.KindTrace, store.KindSpan:
		id, err := datasources.ParseTraceID(f.Get("trace_id"))
		if err != nil {
			return bad("trace_id: %v", err)
		}
		spanID := ""
		if p.Kind == store.KindSpan {
			if spanID, err = datasources.ParseSpanID(f.Get("span_id")); err != nil {
				return bad("span_id: %v", err)
			}
		}
		from, to, err := window(false)
		if err != nil {
			return err
		}
		if h.opt.Tempo == nil {
			return datasources.NotConfigured("tempo")
		}
		tr, err := h.opt.Tempo.Trace(ctx, id, from, to)
		if err != nil {
			return err
		}
		ts, omitted := snapshot.FromTrace(tr, spanID, lim)
		addOmitted(omitted)
		snap.Trace = ts
		p.Ref = store.Ref{TraceID: id, SpanID: spanID, From: from, To: to}
		title, found := invTraceTitle(ts, spanID)
		if spanID != "" && !found {
			return echo.NewHTTPError(http.StatusNotFound, "Nothing was pinned: trace "+id+" has no span "+spanID+".")
		}
		p.Title = title
		return nil

	case store.KindLogQuery:
		q := strings.TrimSpace(f.Get("q"))
		if q == "" {
			return bad("a logs pin needs its query (q).")
		}
		from, to, err := window(true)
		if err != nil {
			return err
		}
		if h.opt.Loki == nil {
			return datasources.NotConfigured("loki")
		}
		res, err := h.opt.Loki.QueryRange(ctx, loki.Query{Expr: q, Start: from, End: to, Limit: lim.Lines + 1,
			Direction: loki.Backward, Step: max(to.Sub(from)/graphPoints, time.Second).Truncate(time.Second)})
		if err != nil {
			return err
		}
		var omitted string
		if res.Type == loki.ResultMatrix {
			snap.Series, omitted = snapshot.FromSeries(res.Series, lim)
		} else {
			snap.Lines, omitted = snapshot.FromLines(res.Lines, lim)
			if omitted != "" {
				omitted = fmt.Sprintf("the newest %d lines kept", lim.Lines)
			}
		}
		addOmitted(omitted)
		p.Ref = store.Ref{Query: q, From: from, To: to}
		p.Title = text.Shorten(q, 120)
		return nil

	case store.KindLogLine:
		ns, err := strconv.ParseInt(f.Get("time_ns"), 10, 64)
		if err != nil || ns <= 0 {
			return bad("time_ns %s is not unix nanoseconds.", quoteShort(f.Get("time_ns")))
		}
		line := f.Get("line")
		if line == "" {
			return bad("a log line pin needs the line.")
		}
		labels, err := datasources.ParseLabels(f.Get("labels"))
		if err != nil {
			return bad("labels: %v", err)
		}
		at := time.Unix(0, ns).UTC()
		snap.Lines = []snapshot.Line{{TimeNs: ns, Labels: labels, Line: text.Shorten(line, pinnedLineBytes)}}
		if len(line) > pinnedLineBytes {
			addOmitted(fmt.Sprintf("the line cut to %d KB", pinnedLineBytes>>10))
		}
		w := links.LineWindow(at)
		p.Ref = store.Ref{Query: views.LabelText(labels), TimeNs: ns, Labels: labels, From: w.From, To: w.To}
		p.Title = invLineTitle(line)
		return nil
	}
	return bad("unknown kind %s.", quoteShort(p.Kind))
}

// invTraceTitle names a trace by its root ("service: name") or a span by
// itself, and reports whether the span is in the snapshot.
func invTraceTitle(ts *snapshot.Trace, spanID string) (string, bool) {
	for _, s := range ts.Spans {
		if spanID == "" || s.ID == spanID {
			name := s.Name
			if s.Service != "" {
				name = s.Service + ": " + name
			}
			return text.Shorten(name, 120), true
		}
	}
	return "Trace " + ts.ID, false
}

// invLineTitle is a JSON line's msg, else the line's start.
func invLineTitle(line string) string {
	var j struct {
		Msg string `json:"msg"`
	}
	if strings.HasPrefix(line, "{") && json.Unmarshal([]byte(line), &j) == nil && j.Msg != "" {
		return text.Shorten(j.Msg, 120)
	}
	return text.Shorten(line, 120)
}
