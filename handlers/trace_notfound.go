package handlers

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ariadne-dev/ariadne/correlation/links"
	"github.com/ariadne-dev/ariadne/correlation/query"
	"github.com/ariadne-dev/ariadne/correlation/sampling"
	"github.com/ariadne-dev/ariadne/datasources/loki"
	"github.com/ariadne-dev/ariadne/views"
)

const (
	// notFoundCheckTimeout bounds the 404 page's look-arounds (exemplars,
	// logs, other backends): the page answers within it whatever they do.
	notFoundCheckTimeout = 2 * time.Second
	// notFoundLogLimit bounds the lines counted for a missing trace.
	notFoundLogLimit = 100
	// notFoundExemplarQuery selects the series whose exemplars may name
	// the trace: histogram buckets, where request latencies are.
	notFoundExemplarQuery = `{__name__=~".+_bucket"}`
	// DefaultTraceFlushDelay is how long a trace backend is assumed to
	// take to show a trace after its spans were sent (a tail sampler's
	// decision wait included) when Options do not say.
	DefaultTraceFlushDelay = 30 * time.Second
)

// explainNotFound fills tp's reasoning for a trace no backend has: it asks,
// in parallel and within notFoundCheckTimeout, whether an exemplar names
// the ID, whether log lines carry it, and (for a link with a window)
// whether a backend has it outside that window; sampling.Explain ranks what
// fits.
func (h *Handler) explainNotFound(ctx context.Context, tp *views.TraceProblem, id string, window url.Values) {
	now := h.now()
	ev := sampling.Evidence{Now: now, FlushDelay: h.opt.TraceFlushDelay, Retention: h.opt.TraceRetention}
	if ev.FlushDelay <= 0 {
		ev.FlushDelay = DefaultTraceFlushDelay
	}
	var names []string
	for _, b := range h.opt.TraceBackends {
		names = append(names, b.Display)
	}
	ev.Backend = strings.Join(names, " and ")

	var r links.TimeRange
	hasWindow := false
	if window.Get("from") != "" || window.Get("to") != "" {
		if w, err := links.ParseTimeRange(window.Get("from"), window.Get("to"), now); err == nil {
			r, hasWindow = w.Absolute(), true
			ev.LinkAt = r.From.Add(r.To.Sub(r.From) / 2)
		}
	}
	logsRange := r
	if !hasWindow {
		logsRange = links.TimeRange{From: now.Add(-time.Hour), To: now}
	}
	ctx, cancel := context.WithTimeout(ctx, notFoundCheckTimeout)
	defer cancel()
	var wg sync.WaitGroup
	var mu sync.Mutex
	// What was asked, in a fixed order whatever answers first.
	var askedExemplars, askedLogs, askedBackends bool
	if h.opt.Prometheus != nil && hasWindow {
		wg.Go(func() {
			exs, err := h.opt.Prometheus.Exemplars(ctx, notFoundExemplarQuery, r.From, r.To)
			if err != nil {
				return
			}
			mu.Lock()
			defer mu.Unlock()
			ev.ExemplarChecked, askedExemplars = true, true
			for _, e := range exs {
				if tid, ok := links.ExemplarTraceID(e.Labels, h.opt.ExemplarTraceLabel); ok && tid == id {
					at := time.UnixMilli(e.TMs).UTC()
					if !ev.ExemplarSeen || at.Before(ev.ExemplarAt) {
						ev.ExemplarSeen, ev.ExemplarAt = true, at
					}
				}
			}
		})
	}
	if h.opt.Loki != nil {
		wg.Go(func() {
			q, err := query.TraceLogQuery(h.opt.TraceLogQuery, id, "")
			if err != nil {
				return
			}
			pg, err := h.opt.Loki.Page(ctx, loki.Query{Expr: q, Start: logsRange.From, End: logsRange.To, Limit: notFoundLogLimit, Direction: loki.Forward}, loki.Cursor{})
			if err != nil {
				return
			}
			mu.Lock()
			defer mu.Unlock()
			ev.LogsChecked, askedLogs = true, true
			ev.LogLines = len(pg.Lines)
			if len(pg.Lines) > 0 {
				ev.FirstLogAt = time.Unix(0, pg.Lines[0].TimeNs).UTC()
			}
		})
	}
	if hasWindow {
		// A link's window narrows each backend's lookup: ask once more
		// without it.
		for _, b := range h.opt.TraceBackends {
			wg.Go(func() {
				tr, err := b.Fetch.Trace(ctx, id, time.Time{}, time.Time{})
				if err != nil || tr == nil || len(tr.Spans) == 0 {
					return
				}
				mu.Lock()
				defer mu.Unlock()
				ev.Elsewhere = append(ev.Elsewhere, b.Display+" (outside the link's window)")
			})
		}
		askedBackends = len(h.opt.TraceBackends) > 0
	}
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	tp.Reasons = views.BuildProblemReasons(sampling.Explain(ev))
	var checked []string
	if askedExemplars {
		checked = append(checked, "Prometheus's exemplars in the link's window")
	}
	if askedLogs {
		where := "the link's window"
		if !hasWindow {
			where = "the last hour"
		}
		checked = append(checked, "Loki's lines in "+where)
	}
	if askedBackends {
		checked = append(checked, "each trace backend without the window")
	}
	if len(checked) > 0 {
		tp.Checked = "Checked: " + strings.Join(checked, ", ") + "."
	}
	if ev.LogLines > 0 {
		n := strconv.Itoa(ev.LogLines)
		if ev.LogLines == notFoundLogLimit {
			n += "+"
		}
		lw := logsRange
		if !ev.FirstLogAt.IsZero() {
			lw = links.TraceWindow(ev.FirstLogAt.UnixNano(), ev.FirstLogAt.UnixNano())
		}
		tp.Links = append([]views.Link{{Label: "Its " + n + " log lines (they survive sampling)", URL: links.Logs(links.LogsParams{TraceID: id, Window: lw})}}, tp.Links...)
	}
}
