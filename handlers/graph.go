package handlers

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/ariadne-dev/ariadne/correlation/chart"
	"github.com/ariadne-dev/ariadne/correlation/links"
	"github.com/ariadne-dev/ariadne/correlation/query"
	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/datasources/prometheus"
	"github.com/ariadne-dev/ariadne/views"
)

// maxGraphQueries is how many query boxes one graph page holds.
const maxGraphQueries = 4

// demoQuery is the example the empty page offers: the demo's p99 by service.
var demoQuery = query.LatencyQuery(query.Latency{})

// graph serves GET /graph?q=<PromQL>[&q2=…]&from=&to=[&step=][&utc=1][&only=<series>]:
// one panel per query with a server-rendered chart, exemplar markers that
// link to their traces, and shaded spikes. All state is in the URL.
func (h *Handler) graph(c echo.Context) error {
	if c.QueryParam("build") == "latency" {
		return h.buildLatency(c)
	}
	r, ctrl := h.timeRange(c)
	params := c.QueryParams()
	loc := zoneOf(c)
	utc := params.Get("utc") == "1"
	if utc {
		loc = time.UTC
	}
	ctrl.Zone = loc.String()
	p := h.page(c, "Graph", "graph")
	p.Range = ctrl
	p.Styles = append(p.Styles, "css/graph.css", "css/pickers.css")
	p.Scripts = append(p.Scripts, "js/graph.js", "js/pickers.js")

	g := views.GraphPage{Step: params.Get("step"), UTC: utc, Example: demoQuery,
		ExampleURL: links.Graph([]string{demoQuery}, links.TimeRange{RawFrom: "now-15m", RawTo: "now"})}
	names := graphQueryNames(params)
	for i, n := range names {
		g.Queries = append(g.Queries, views.GraphQuery{Name: n, Label: "Query " + strconv.Itoa(i+1), Value: params.Get(n),
			LegendName: legendParam(n), Legend: params.Get(legendParam(n))})
	}
	if len(g.Queries) == 0 {
		g.Queries = []views.GraphQuery{{Name: "q", Label: "Query", LegendName: "legend", Legend: params.Get("legend")}}
	} else if len(g.Queries) < maxGraphQueries {
		// One empty box to add a query; an empty box is ignored.
		n := "q" + strconv.Itoa(len(g.Queries)+1)
		g.Queries = append(g.Queries, views.GraphQuery{Name: n, Label: "Add a query", LegendName: legendParam(n)})
	}
	for _, k := range []string{"from", "to", "utc", "only", "labels", "target"} {
		if v := params.Get(k); v != "" {
			g.Hidden = append(g.Hidden, views.Hidden{Name: k, Value: v})
		}
	}
	zone := withParam(c, "utc", "1")
	g.ZoneLink = views.Link{Label: "Show UTC", URL: zone}
	if utc {
		g.ZoneLink = views.Link{Label: "Show local time", URL: withParam(c, "utc", "")}
	}

	// The picker's and builder's lookups start first: the page waits for them.
	g.Picker, g.Builder = h.graphPicker(c, graphPickerRequest(params, r)), h.latencyBuilder(c, r)

	step, note, err := chart.ChooseStep(g.Step, r.Duration(), chart.PlotWidth)
	if err != nil {
		g.StepError = err.Error() + "; using the automatic step."
		step = chart.AutoStep(r.Duration(), chart.PlotWidth)
	}
	var pf *pinForms
	if h.opt.Store != nil && len(names) > 0 {
		pf = h.pinForms(c)
	}
	var panels []panel
	for i, n := range names {
		q := strings.TrimSpace(params.Get(n))
		req := graphRequest{query: q, r: r, step: step, stepNote: note, loc: loc, only: params.Get("only"),
			legend: params.Get(legendParam(n)), label: queryLabel(q, i), with: urlWith(c.Request().URL.Path, params)}
		if pf != nil {
			// Pinned graphs are saved with absolute times.
			req.pin = ptr(pf.Form("graph", "Pin graph", views.Hidden{Name: "q", Value: q},
				views.Hidden{Name: "from", Value: r.Absolute().RawFrom}, views.Hidden{Name: "to", Value: r.Absolute().RawTo}))
		}
		panels = append(panels, panel{Title: q, Backend: "Prometheus", Load: func(ctx context.Context) (panelOut, error) {
			return h.graphPanel(ctx, req)
		}})
	}
	set := h.startPanels(c.Request().Context(), requestLogger(c), panels...)
	return render(c, http.StatusOK, views.Graph(p, g, set.Heads(), set))
}

type graphRequest struct {
	query    string
	r        links.TimeRange
	step     time.Duration
	stepNote string
	loc      *time.Location
	only     string
	legend   string // the series' legend format
	label    string // the name of a series without labels
	pin      *views.PinFormData
	with     func(key, value string) string // this page's URL with one parameter changed
}

// graphPanel loads one query and its exemplars in parallel and lays out
// its chart. A failed query fails the panel with Prometheus's message; a
// failed exemplar request only adds a hint, and the graph still renders.
func (h *Handler) graphPanel(ctx context.Context, req graphRequest) (panelOut, error) {
	src := h.opt.Prometheus
	if src == nil { // not configured: cmd/ariadne leaves it nil
		return panelOut{State: "not configured", StateClass: "status-off"}, datasources.NotConfigured(prometheus.Backend)
	}
	var (
		wg    sync.WaitGroup
		ex    []datasources.Exemplar
		exErr error
	)
	exCtx, cancelEx := context.WithCancel(ctx)
	defer cancelEx()
	wg.Add(1)
	go func() {
		defer wg.Done()
		ex, exErr = src.Exemplars(exCtx, query.ExemplarQuery(req.query), req.r.From, req.r.To)
	}()
	res, err := src.QueryRange(ctx, req.query, req.r.From, req.r.To, req.step)
	if err != nil {
		cancelEx()
		wg.Wait()
		return panelOut{}, err
	}
	wg.Wait()

	in := views.GraphBodyInput{Query: req.query, Pin: req.pin, With: req.with,
		Chart: chart.ChartInput{Series: res.Series, Exemplars: ex, From: req.r.From, To: req.r.To, Step: req.step, Loc: req.loc,
			Unit: chart.UnitOf(req.query), TraceLabels: h.opt.ExemplarTraceLabel, Only: req.only, Legend: req.legend, Fallback: req.label}}
	if req.stepNote != "" {
		in.Notes = append(in.Notes, req.stepNote)
	}
	in.Notes = append(append(in.Notes, res.Warnings...), res.Infos...)
	if exErr != nil {
		in.Hint, in.Chart.Exemplars = exemplarHint(exErr), nil
	}
	if len(in.Chart.Exemplars) > 0 && len(res.Series) <= chart.MaxSeries && len(h.opt.TraceBackends) > 0 {
		in.Built = chart.BuildChart(in.Chart)
		h.checkExemplarTraces(ctx, in.Built, req.r)
	}
	body, state := views.BuildGraphBody(in)
	return panelOut{Body: views.GraphPanelBody(body), State: state.Text, StateClass: state.Class}, nil
}

// exemplarHint says why a graph has no exemplar markers.
func exemplarHint(err error) string {
	if errors.Is(err, prometheus.ErrExemplarsUnavailable) {
		return datasources.UserMessage(err)
	}
	return "Exemplars could not be loaded, so markers and trace links are missing: " + replyTo(err).Message
}

// legendParam is the legend format parameter of query parameter n:
// legend for q, legend2 for q2.
func legendParam(n string) string { return "legend" + strings.TrimPrefix(n, "q") }

// queryLabel names a query's series that have no labels: the query when
// it is short enough to read in a legend, else "Query 2".
func queryLabel(q string, i int) string {
	if len(q) <= 60 {
		return q
	}
	return "Query " + strconv.Itoa(i+1)
}

// graphQueryNames lists the query parameters in use, in order: q, q2, q3…
// (a gap is skipped; empty ones are ignored).
func graphQueryNames(params url.Values) []string {
	var out []string
	for i := 1; i <= maxGraphQueries; i++ {
		n := "q"
		if i > 1 {
			n += strconv.Itoa(i)
		}
		if strings.TrimSpace(params.Get(n)) != "" {
			out = append(out, n)
		}
	}
	return out
}
