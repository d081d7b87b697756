package handlers

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/ariadne-dev/ariadne/correlation/links"
	"github.com/ariadne-dev/ariadne/correlation/query"
	"github.com/ariadne-dev/ariadne/correlation/snapshot"
	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/store"
	"github.com/ariadne-dev/ariadne/views"
)

// graphPoints is about how many steps a pinned graph keeps.
const graphPoints = 240

// pinForm reads one pin's form and freezes its snapshot: what the user saw
// is asked again of the backend on the server, never taken from the form
// (except a single log line, which is bounded).
type pinForm struct {
	h    *Handler
	ctx  context.Context
	f    url.Values
	p    *store.Pin
	snap *snapshot.Snapshot
	lim  snapshot.Limits
}

// snapshot fills p's title, reference and frozen snapshot for its kind.
func (h *Handler) snapshot(ctx context.Context, p *store.Pin, f url.Values) error {
	pf := &pinForm{h: h, ctx: ctx, f: f, p: p, snap: &snapshot.Snapshot{TakenAt: h.now().UTC()}, lim: snapshot.DefaultLimits}
	p.Snapshot = pf.snap
	switch p.Kind {
	case store.KindGraph:
		return pf.graph()
	case store.KindExemplar:
		return pf.exemplar()
	case store.KindTrace, store.KindSpan:
		return pf.trace()
	case store.KindLogQuery:
		return pf.logQuery()
	case store.KindLogLine:
		return pf.logLine()
	}
	return pf.bad("unknown kind %s.", quoteShort(p.Kind))
}

func (pf *pinForm) bad(format string, a ...any) error {
	return echo.NewHTTPError(http.StatusBadRequest, "Nothing was pinned: "+fmt.Sprintf(format, a...))
}

// window is the pinned from/to made absolute; zero when not required and
// not given.
func (pf *pinForm) window(required bool) (time.Time, time.Time, error) {
	if !required && pf.f.Get("from") == "" && pf.f.Get("to") == "" {
		return time.Time{}, time.Time{}, nil
	}
	r, err := links.ParseTimeRange(pf.f.Get("from"), pf.f.Get("to"), pf.h.now())
	if err != nil {
		return time.Time{}, time.Time{}, pf.bad("%v.", err)
	}
	r = r.Absolute()
	return r.From, r.To, nil
}

func (pf *pinForm) omitted(s string) {
	if s != "" {
		pf.snap.Omitted = append(pf.snap.Omitted, s)
	}
}

// query is the pin's trimmed q, required or not.
func (pf *pinForm) query(required bool, what string) (string, error) {
	q := strings.TrimSpace(pf.f.Get("q"))
	if q == "" && required {
		return "", pf.bad("a %s pin needs its query (q).", what)
	}
	return q, nil
}

// series freezes q's range over the window, about graphPoints steps.
func (pf *pinForm) series(q string, from, to time.Time) error {
	prom := pf.h.opt.Prometheus
	if prom == nil {
		return datasources.NotConfigured("prometheus")
	}
	res, err := prom.QueryRange(pf.ctx, q, from, to, pinStep(from, to))
	if err != nil {
		return err
	}
	var omitted string
	pf.snap.Series, omitted = snapshot.FromSeries(res.Series, pf.lim)
	pf.omitted(omitted)
	return nil
}

func pinStep(from, to time.Time) time.Duration {
	return max(to.Sub(from)/graphPoints, time.Second).Truncate(time.Second)
}

func (pf *pinForm) graph() error {
	q, err := pf.query(true, "graph")
	if err != nil {
		return err
	}
	from, to, err := pf.window(true)
	if err != nil {
		return err
	}
	pf.p.Ref = store.Ref{Query: q, From: from, To: to}
	pf.p.Title = snapshot.QueryTitle(q)
	if err := pf.series(q, from, to); err != nil {
		return err
	}
	pf.exemplars(q, from, to)
	return nil
}

// exemplars keeps a pinned graph's exemplars, thinned. They add to the
// card; a Prometheus without exemplar storage, or one that fails here,
// leaves the pin without them and says so.
func (pf *pinForm) exemplars(q string, from, to time.Time) {
	ex, err := pf.h.opt.Prometheus.Exemplars(pf.ctx, query.ExemplarQuery(q), from, to)
	if err != nil {
		pf.omitted("exemplars: " + datasources.UserMessage(err))
		return
	}
	traceID := func(l map[string]string) (string, bool) { return links.ExemplarTraceID(l, pf.h.opt.ExemplarTraceLabel) }
	var omitted string
	pf.snap.Exemplars, omitted = snapshot.FromExemplars(ex, from.UnixMilli(), to.UnixMilli(), traceID, pf.lim)
	pf.omitted(omitted)
}

func (pf *pinForm) exemplar() error {
	f := pf.f
	id, err := datasources.ParseTraceID(f.Get("trace_id"))
	if err != nil {
		return pf.bad("trace_id: %v", err)
	}
	v, err := strconv.ParseFloat(f.Get("value"), 64)
	if err != nil {
		return pf.bad("value %s is not a number.", quoteShort(f.Get("value")))
	}
	at, err := links.ParseTime(f.Get("time"), pf.h.now())
	if err != nil {
		return pf.bad("time: %v", err)
	}
	labels, err := datasources.ParseLabels(f.Get("labels"))
	if err != nil {
		return pf.bad("labels: %v", err)
	}
	pf.snap.Exemplar = &snapshot.Exemplar{TraceID: id, TMs: at.UnixMilli(), Value: v, SeriesLabels: labels}
	from, to, err := pf.window(false)
	if err != nil {
		return err
	}
	q, _ := pf.query(false, "")
	pf.p.Ref = store.Ref{TraceID: id, Query: q, From: from, To: to, TimeNs: at.UnixNano(), Labels: labels}
	pf.p.Title = "Exemplar " + views.FormatSample(v) + " → trace " + id[:8] + "…"
	if q != "" && !from.IsZero() {
		return pf.series(q, from, to)
	}
	return nil
}

func (pf *pinForm) trace() error {
	f := pf.f
	id, err := datasources.ParseTraceID(f.Get("trace_id"))
	if err != nil {
		return pf.bad("trace_id: %v", err)
	}
	spanID := ""
	if pf.p.Kind == store.KindSpan {
		if spanID, err = datasources.ParseSpanID(f.Get("span_id")); err != nil {
			return pf.bad("span_id: %v", err)
		}
	}
	from, to, err := pf.window(false)
	if err != nil {
		return err
	}
	tr, answered, err := pf.h.lookupTrace(pf.ctx, id, from, to, f.Get("backend"))
	if err != nil {
		return err
	}
	ts, omitted := snapshot.FromTrace(tr, spanID, pf.lim)
	pf.omitted(omitted)
	pf.snap.Trace = ts
	pf.p.Ref = store.Ref{TraceID: id, SpanID: spanID, From: from, To: to, Backend: answered.Name}
	title, found := snapshot.TraceTitle(ts, spanID)
	if spanID != "" && !found {
		return echo.NewHTTPError(http.StatusNotFound, "Nothing was pinned: trace "+id+" has no span "+spanID+".")
	}
	pf.p.Title = title
	return nil
}
