package handlers

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/ariadne-dev/ariadne/correlation/chart"
	"github.com/ariadne-dev/ariadne/correlation/links"
	"github.com/ariadne-dev/ariadne/correlation/query"
	"github.com/ariadne-dev/ariadne/correlation/servicemap"
	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/views"
)

// maxServiceName bounds {name}: service.name values are short; anything
// longer is not one.
const maxServiceName = 256

// serviceTraceShow is how many slowest and failing traces the page lists.
const serviceTraceShow = 10

// serviceName validates {name}: a UTF-8 service name without control
// characters or slashes, at most maxServiceName bytes.
func serviceName(raw string) (string, string) {
	name := strings.TrimSpace(raw)
	switch {
	case name == "":
		return "", "A service name is needed: /services/{name}."
	case len(name) > maxServiceName:
		return "", "A service name is at most " + strconv.Itoa(maxServiceName) + " bytes."
	case !utf8.ValidString(name):
		return "", "The service name is not valid UTF-8."
	case strings.ContainsFunc(name, func(r rune) bool { return unicode.IsControl(r) || r == '/' }):
		return "", "The service name holds a control character or a slash."
	}
	return name, ""
}

// servicePage serves GET /services/{name}: the service's RED graphs (the
// RED queries of /graph, with exemplars), its calls up and down the map,
// its operations ranked by p99 and by errors, its slowest and failing
// traces; every box a panel. An invalid name is a 400.
func (h *Handler) servicePage(c echo.Context) error {
	r, rc := h.timeRange(c)
	p := h.page(c, "Service", "")
	p.Range = rc
	p.Styles = append(p.Styles, "css/servicemap.css", "css/graph.css")
	p.Scripts = append(p.Scripts, "js/graph.js")
	raw := c.Param("name")
	if c.Request().URL.RawPath != "" {
		// Echo routes on the escaped path when the URL's escaping is not
		// the default (an escaped slash): its parameter is still escaped.
		if u, err := url.PathUnescape(raw); err == nil {
			raw = u
		}
	}
	name, problem := serviceName(raw)
	if problem != "" {
		return render(c, http.StatusBadRequest, views.ServicePage(p, views.ServiceView{Problem: problem}, nil, nil))
	}
	p.Title = name
	w := servicemap.NewWindow(r.From, r.To)
	in := h.mapInput(r, w)
	v := views.BuildService(name, r, in)

	step := chart.AutoStep(r.Duration(), chart.PlotWidth)
	loc := zoneOf(c)
	with := urlWith(c.Request().URL.Path, c.QueryParams())
	var panels []panel
	for i, q := range query.REDQueries(h.opt.REDQueries, name) {
		req := graphRequest{query: q, r: r, step: step, loc: loc, label: queryLabel(q, i), with: with}
		panels = append(panels, panel{Title: redTitle(h.opt.REDQueries, i), Backend: "Prometheus", Load: func(ctx context.Context) (panelOut, error) {
			return h.graphPanel(ctx, req)
		}})
	}
	f := h.startMap(c.Request().Context(), w)
	panels = append(panels, panel{Title: "Calls", Backend: "The service map's sources", Load: func(ctx context.Context) (panelOut, error) {
		b, err := f.wait(ctx)
		if err != nil {
			return panelOut{}, err
		}
		in := in
		in.Map = b.Map
		return panelOut{Body: views.ServiceCallsBody(views.BuildServiceCalls(name, in))}, nil
	}}, panel{Title: "Operations", Load: func(ctx context.Context) (panelOut, error) {
		return h.serviceOps(ctx, name, r, w, in)
	}}, panel{Title: "Slowest traces", Load: func(ctx context.Context) (panelOut, error) {
		return h.serviceTraces(ctx, name, false, r, in)
	}}, panel{Title: "Failing traces", Load: func(ctx context.Context) (panelOut, error) {
		return h.serviceTraces(ctx, name, true, r, in)
	}})
	set := h.startPanels(c.Request().Context(), requestLogger(c), panels...)
	return render(c, http.StatusOK, views.ServicePage(p, v, set.Heads(), set))
}

// redTitle names the i-th RED graph: the defaults' are latency, requests
// and errors; configured ones are numbered.
func redTitle(configured []string, i int) string {
	if len(configured) == 0 && i < 3 {
		return [...]string{"Latency (p99)", "Requests per second", "Errors per second"}[i]
	}
	return "RED query " + strconv.Itoa(i+1)
}

// serviceOps ranks the service's operations: from span metrics grouped by
// span name when Prometheus has them, else from a sample of its traces.
func (h *Handler) serviceOps(ctx context.Context, name string, r links.TimeRange, w servicemap.Window, in views.MapInput) (panelOut, error) {
	opTraces := func(op string) string {
		if !in.TraceQL {
			return links.ServiceTraces(name, in.Backend, false, r)
		}
		q, _ := query.TraceFilter{Service: name, SpanName: op}.Build()
		return links.TraceSearch(q, r)
	}
	var why string
	if h.opt.Prometheus != nil {
		m, from, err := h.nodeMetrics(ctx, h.opt.ServiceMap.WithDefaults(), w, name)
		switch {
		case err != nil:
			why = "Span metrics from Prometheus: " + replyTo(err).Message + " "
		case m != nil && len(m.Nodes) > 0:
			v := views.BuildServiceOps(servicemap.Operations(m), "Server spans from span metrics ("+from+"), the latest rates over "+w.Rate.String()+".", opTraces)
			return panelOut{Body: views.ServiceOpsBody(v), State: strconv.Itoa(len(m.Nodes)) + " operations"}, nil
		default:
			why = "Prometheus has no span metrics for it. "
		}
	}
	b, _ := h.searchBackend("")
	s, err := h.sampleTraces(ctx, b, query.TraceFilter{Service: name}, r, maxSampleTraces)
	if err != nil {
		return panelOut{}, err
	}
	ops := servicemap.OperationsFromTraces(s.Traces, name)
	v := views.BuildServiceOps(ops, why+"Every span of the service in a sample of "+strconv.Itoa(len(s.Traces))+" of its newest traces from "+b.Display+".", opTraces)
	return panelOut{Body: views.ServiceOpsBody(v), State: strconv.Itoa(len(ops)) + " operations"}, nil
}

// serviceTraces lists the service's slowest traces or its newest failing
// ones, from the first trace backend. The slowest are searched in each
// tenth of the range (a search answers the newest first: one search
// would only see the last seconds of a busy service) and ranked by
// duration.
func (h *Handler) serviceTraces(ctx context.Context, name string, failed bool, r links.TimeRange, in views.MapInput) (panelOut, error) {
	b, _ := h.searchBackend("")
	f := query.TraceFilter{Service: name, ErrorsOnly: failed}
	if b.Search == nil && h.opt.Tempo == nil {
		return panelOut{State: "not configured", StateClass: "status-off"}, datasources.NotConfigured("tempo")
	}
	search := func(ctx context.Context, w links.TimeRange, limit int) ([]datasources.TraceSummary, error) {
		sums, _, err := h.findTraces(ctx, b, f, w, limit)
		return sums, err
	}
	more := links.ServiceTraces(name, b.Name, failed, r)
	if b.Search == nil {
		q, _ := f.Build() // a filter it refuses fails the search, and the link goes unused
		more = links.TraceSearch(q, r)
	}
	var sums []datasources.TraceSummary
	empty := "No trace of it in this range."
	if failed {
		var err error
		if sums, err = search(ctx, r, serviceTraceShow); err != nil {
			return panelOut{}, err
		}
		empty = "No failing trace of it in this range."
	} else {
		var err error
		if sums, err = slicedSearch(ctx, r, search); err != nil {
			return panelOut{}, err
		}
	}
	rows := views.BuildTraceResultRows(sums, nil, b.Name, r, h.now())
	if !failed {
		views.SortTraceResults(rows, "duration")
	}
	rows = rows[:min(len(rows), serviceTraceShow)]
	return panelOut{Body: views.ServiceTracesBody(rows, more, empty), State: strconv.Itoa(len(rows)) + " shown"}, nil
}

// slicedSearch runs search in each tenth of r at once, serviceTraceShow
// traces each, and merges what they found (once per trace). It fails only
// when every slice failed.
func slicedSearch(ctx context.Context, r links.TimeRange, search func(context.Context, links.TimeRange, int) ([]datasources.TraceSummary, error)) ([]datasources.TraceSummary, error) {
	const slices = 10
	step := r.To.Sub(r.From) / slices
	got := make([][]datasources.TraceSummary, slices)
	errs := make([]error, slices)
	var wg sync.WaitGroup
	for i := range slices {
		w := links.TimeRange{From: r.From.Add(step * time.Duration(i)), To: r.From.Add(step * time.Duration(i+1))}
		wg.Go(func() { got[i], errs[i] = search(ctx, w, serviceTraceShow) })
	}
	wg.Wait()
	var out []datasources.TraceSummary
	seen := map[string]bool{}
	failedAll := true
	for i := range got {
		failedAll = failedAll && errs[i] != nil
		for _, t := range got[i] {
			if !seen[t.TraceID] {
				seen[t.TraceID] = true
				out = append(out, t)
			}
		}
	}
	if failedAll {
		return nil, errs[0]
	}
	return out, nil
}
