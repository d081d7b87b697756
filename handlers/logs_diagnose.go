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
	d := views.LogDiagnosis{Query: q, Window: windowText(r, zone)}
	link := func(query string, from, to time.Time) string {
		return links.Logs(links.LogsParams{Query: query, TraceID: params.Get("trace_id"), Window: links.TimeRange{From: from, To: to}})
	}
	// any reports whether query finds a line in [from, to).
	any := func(query string, from, to time.Time) (bool, error) {
		pg, err := h.opt.Loki.Page(ctx, loki.Query{Expr: query, Start: from, End: to, Limit: 1, Direction: loki.Backward}, loki.Cursor{})
		if err != nil {
			return false, err
		}
		return len(pg.Lines) > 0, nil
	}

	var mu sync.Mutex
	var wg sync.WaitGroup
	checks := make([]views.LogCheck, 3)

	// 1. A wider window: the trace may be older or longer than thought.
	wg.Add(1)
	go func() {
		defer wg.Done()
		pad := max(time.Hour, r.To.Sub(r.From))
		from, to := r.From.Add(-pad), r.To.Add(pad)
		if to.After(h.now()) {
			to = h.now()
		}
		c := views.LogCheck{Title: "Window too tight?"}
		found, err := any(q, from, to)
		switch {
		case err != nil:
			c.Result = "could not check: " + replyTo(err).Message
		case found:
			c.Found = true
			c.Result = "yes: the same query finds lines in " + windowText(links.TimeRange{From: from, To: to}, zone) + "."
			c.Links = []views.Link{{Label: "Search the wider window", URL: link(q, from, to)}}
		default:
			c.Result = "no: nothing in " + windowText(links.TimeRange{From: from, To: to}, zone) + " either."
			c.Links = []views.Link{{Label: "Search it anyway", URL: link(q, from, to)}}
		}
		mu.Lock()
		checks[0] = c
		mu.Unlock()
	}()

	// 2. The label or metadata name: only when the query filters on one.
	if name := query.LabelFilterName(q, traceID); name != "" {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := views.LogCheck{Title: "Is " + name + " a label or metadata name in Loki?"}
			names, err := h.namesSeen(ctx, q, r)
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
				} else {
					c.Result = "no line in these streams carries " + name + ". Close names that exist:"
					c.Names = close
					for _, n := range close {
						if datasources.IsLabelName(n) {
							c.Links = append(c.Links, views.Link{Label: "Use " + n,
								URL: link(query.RenameLabelFilter(q, traceID, n), r.From, r.To)})
						}
					}
				}
			}
			mu.Lock()
			checks[1] = c
			mu.Unlock()
		}()
	}

	// 3. The ID in another form.
	wg.Add(1)
	go func() {
		defer wg.Done()
		c := views.LogCheck{Title: "Trace ID written in another form?"}
		// A query built from the template is rebuilt with each form (a
		// 64-bit ID's built query no longer holds the padded ID to
		// replace); the user's own query has the ID replaced in it.
		spanID := params.Get("span_id")
		built, err := query.TraceLogQuery(h.opt.TraceLogQuery, traceID, spanID)
		isBuilt := err == nil && built == q
		var forms []query.IDForm
		queries := map[string]string{}
		for _, f := range query.AlternateIDForms(traceID) {
			fq := strings.ReplaceAll(q, traceID, f.Value)
			if isBuilt {
				// The built query already searches a 64-bit ID's
				// 16-character form.
				if f.Value == traceID[16:] {
					continue
				}
				bq, err := query.TraceLogQueryForm(h.opt.TraceLogQuery, f.Value, spanID)
				if err != nil {
					continue
				}
				fq = bq
			}
			forms = append(forms, f)
			queries[f.Value] = fq
		}
		hits := make([]bool, len(forms))
		errs := make([]error, len(forms))
		var fw sync.WaitGroup
		for i, f := range forms {
			fw.Add(1)
			go func() {
				defer fw.Done()
				hits[i], errs[i] = any(queries[f.Value], r.From, r.To)
			}()
		}
		fw.Wait()
		var tried []string
		for i, f := range forms {
			tried = append(tried, f.Name)
			if errs[i] == nil && hits[i] {
				c.Found = true
				c.Links = append(c.Links, views.Link{Label: "Found " + f.Name + ": " + f.Value,
					URL: link(queries[f.Value], r.From, r.To)})
			}
		}
		if c.Found {
			c.Result = "yes: the logs write it differently."
		} else {
			c.Result = "no: tried " + strings.Join(tried, ", ") + "."
		}
		mu.Lock()
		checks[2] = c
		mu.Unlock()
	}()

	wg.Wait()
	for _, c := range checks {
		if c.Title != "" {
			d.Checks = append(d.Checks, c)
		}
	}
	return d
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
