package handlers

import (
	"context"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/ariadne-dev/ariadne/correlation/links"
	"github.com/ariadne-dev/ariadne/correlation/logline"
	"github.com/ariadne-dev/ariadne/correlation/query"
	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/datasources/loki"
	"github.com/ariadne-dev/ariadne/views"
)

// When a trace's logs come back empty the page says what it tried and
// checks the usual causes, each with one cheap query run in parallel: the
// window too tight, the label or metadata name not in Loki, and the ID
// written in another form. Every check is best effort: one that fails
// says it could not tell.

// diagnoseEmpty checks why q found nothing for traceID in r.
func (h *Handler) diagnoseEmpty(ctx context.Context, q, traceID string, r links.TimeRange, zone *time.Location, params url.Values) views.LogDiagnosis {
	dg := &diagnosis{h: h, ctx: ctx, q: q, traceID: traceID, spanID: params.Get("span_id"), r: r, zone: zone}
	dg.link = func(query string, from, to time.Time) string {
		return links.Logs(links.LogsParams{Query: query, TraceID: params.Get("trace_id"), Window: links.TimeRange{From: from, To: to}})
	}
	checks := []func() views.LogCheck{dg.widerWindow, dg.idForms}
	if name := query.LabelFilterName(q, traceID); name != "" {
		checks = []func() views.LogCheck{dg.widerWindow, func() views.LogCheck { return dg.fieldName(name) }, dg.idForms}
	}
	out := make([]views.LogCheck, len(checks))
	var wg sync.WaitGroup
	for i, check := range checks {
		wg.Go(func() { out[i] = check() })
	}
	wg.Wait()
	return views.LogDiagnosis{Query: q, Window: windowText(r, zone), Checks: out}
}

// diagnosis is one empty result being explained.
type diagnosis struct {
	h               *Handler
	ctx             context.Context
	q               string
	traceID, spanID string
	r               links.TimeRange
	zone            *time.Location
	link            func(query string, from, to time.Time) string
}

// any reports whether query finds a line in [from, to).
func (dg *diagnosis) any(query string, from, to time.Time) (bool, error) {
	pg, err := dg.h.opt.Loki.Page(dg.ctx, loki.Query{Expr: query, Start: from, End: to, Limit: 1, Direction: loki.Backward}, loki.Cursor{})
	if err != nil {
		return false, err
	}
	return len(pg.Lines) > 0, nil
}

// widerWindow: the trace may be older or longer than thought.
func (dg *diagnosis) widerWindow() views.LogCheck {
	r := dg.r
	pad := max(time.Hour, r.To.Sub(r.From))
	from, to := r.From.Add(-pad), r.To.Add(pad)
	if now := dg.h.now(); to.After(now) {
		to = now
	}
	wider := windowText(links.TimeRange{From: from, To: to}, dg.zone)
	c := views.LogCheck{Title: "Window too tight?"}
	found, err := dg.any(dg.q, from, to)
	switch {
	case err != nil:
		c.Result = "could not check: " + replyTo(err).Message
	case found:
		c.Found = true
		c.Result = "yes: the same query finds lines in " + wider + "."
		c.Links = []views.Link{{Label: "Search the wider window", URL: dg.link(dg.q, from, to)}}
	default:
		c.Result = "no: nothing in " + wider + " either."
		c.Links = []views.Link{{Label: "Search it anyway", URL: dg.link(dg.q, from, to)}}
	}
	return c
}

// fieldName: the query filters on a label or metadata name the lines may
// not carry; offer the close names they do.
func (dg *diagnosis) fieldName(name string) views.LogCheck {
	c := views.LogCheck{Title: "Is " + name + " a label or metadata name in Loki?"}
	names, err := dg.h.namesSeen(dg.ctx, dg.q, dg.r)
	switch {
	case err != nil:
		c.Result = "could not check: " + replyTo(err).Message
	case names[name]:
		c.Result = "yes, lines carry " + name + "."
	default:
		all := make([]string, 0, len(names))
		for n := range names {
			all = append(all, n)
		}
		c.Found = true
		close := query.CloseNames(name, all)
		if len(close) == 0 {
			c.Result = "no line in these streams carries " + name + ", and no similar name was seen."
			break
		}
		c.Result = "no line in these streams carries " + name + ". Close names that exist:"
		c.Names = close
		for _, n := range close {
			if datasources.IsLabelName(n) {
				c.Links = append(c.Links, views.Link{Label: "Use " + n,
					URL: dg.link(query.RenameLabelFilter(dg.q, dg.traceID, n), dg.r.From, dg.r.To)})
			}
		}
	}
	return c
}

// idForms: the logs may write the ID as a UUID, in upper case, in base64
// or as its low 64 bits.
func (dg *diagnosis) idForms() views.LogCheck {
	c := views.LogCheck{Title: "Trace ID written in another form?"}
	forms := query.IDFormQueries(dg.h.opt.TraceLogQuery, dg.q, dg.traceID, dg.spanID)
	hits := make([]bool, len(forms))
	var wg sync.WaitGroup
	for i, f := range forms {
		wg.Go(func() {
			hits[i], _ = dg.any(f.Query, dg.r.From, dg.r.To) // a failed form is one not found
		})
	}
	wg.Wait()
	var tried []string
	for i, f := range forms {
		tried = append(tried, f.Name)
		if hits[i] {
			c.Found = true
			c.Links = append(c.Links, views.Link{Label: "Found " + f.Name + ": " + f.Value, URL: dg.link(f.Query, dg.r.From, dg.r.To)})
		}
	}
	if c.Found {
		c.Result = "yes: the logs write it differently."
	} else {
		c.Result = "no: tried " + strings.Join(tried, ", ") + "."
	}
	return c
}

// namesSeen collects label names from Loki and the structured-metadata,
// parsed and in-line field names of a sample of the query's streams.
func (h *Handler) namesSeen(ctx context.Context, q string, r links.TimeRange) (map[string]bool, error) {
	names := map[string]bool{}
	labels, err := h.opt.Loki.Labels(ctx, r.From, r.To)
	if err != nil {
		return nil, err
	}
	for _, l := range labels {
		names[l] = true
	}
	sel := q
	if i := strings.Index(q, "}"); i >= 0 {
		sel = q[:i+1]
	}
	pg, err := h.opt.Loki.Page(ctx, loki.Query{Expr: sel, Start: r.From, End: r.To, Limit: 50}, loki.Cursor{})
	if err != nil {
		return nil, err
	}
	for i := range pg.Lines {
		l := &pg.Lines[i]
		for _, m := range []map[string]string{l.StructuredMetadata, l.Parsed} {
			for k := range m {
				names[k] = true
			}
		}
		for _, f := range logline.ParseFields(l.Line) {
			names[f.Key] = true
		}
	}
	return names, nil
}
