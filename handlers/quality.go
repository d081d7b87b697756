package handlers

import (
	"context"
	"errors"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/ariadne-dev/ariadne/correlation/links"
	"github.com/ariadne-dev/ariadne/correlation/quality"
	"github.com/ariadne-dev/ariadne/correlation/query"
	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/views"
)

var qualityLimits = []int{20, 50, 100}

// qualityPage renders GET /quality?service=…&from&to: the span quality
// rules over a bounded sample of the service's traces (one search, up to
// limit traces fetched whole), its own spans checked and grouped by rule
// with example spans. The
// sample is fetched before the first byte, so a failed search is the
// page's status.
func (h *Handler) qualityPage(c echo.Context) error {
	r, rc := h.timeRange(c)
	service := strings.TrimSpace(c.QueryParam("service"))
	p := h.page(c, "Span quality", "traces")
	p.Range, p.Styles = rc, []string{"css/analysis.css"}
	v := views.QualityView{Service: echoed(service), Limit: defaultSampleTraces, Limits: qualityLimits}
	if n, err := strconv.Atoi(c.QueryParam("limit")); err == nil && n > 0 {
		v.Limit = min(n, maxSampleTraces)
	}
	b, ok := h.searchBackend(c.QueryParam("backend"))
	for _, sb := range h.opt.TraceBackends {
		v.Backends = append(v.Backends, views.Choice{Value: sb.Name, Label: sb.Display, Selected: sb.Name == b.Name})
	}
	v.Backend = b.Name
	for _, k := range []string{"from", "to"} {
		if x := c.QueryParam(k); x != "" {
			v.Hidden = append(v.Hidden, views.Hidden{Name: k, Value: x})
		}
	}
	ctx := c.Request().Context()
	if service != "" {
		p.Title = "Span quality: " + v.Service
	}
	choices := make(chan []string, 1)
	go func() { choices <- h.serviceChoices(ctx, b, r) }()
	status := http.StatusOK
	switch {
	case !ok:
		status, v.Problem = http.StatusBadRequest, "There is no trace backend "+quoteShort(c.QueryParam("backend"))+" here."
	case service != "":
		s, err := h.sampleTraces(ctx, b, query.TraceFilter{Service: service}, r, v.Limit)
		var de *datasources.Error
		switch {
		case err != nil && !errors.As(err, &de):
			return err
		case err != nil:
			status, v.Problem = replyTo(err).Status, datasources.UserMessage(err)
		case len(s.Traces) == 0 && s.Found > 0:
			status, v.Problem = http.StatusBadGateway, "The search found "+strconv.Itoa(s.Found)+" traces of "+quoteShort(service)+" but none could be fetched."
		case len(s.Traces) == 0:
			v.Problem = "No trace of " + quoteShort(service) + " in this window. Widen the range, or check the service name."
		default:
			rep := quality.CheckService(s.Traces, service, 5)
			v.Report = views.BuildQualityReport(rep, views.QualityInput{Service: service, Backend: b.Name, Display: b.Display,
				Window: r.Absolute(), Found: s.Found, Failed: s.Failed, More: s.More})
		}
	}
	v.Services = <-choices
	return render(c, status, views.QualityPage(p, v))
}

// serviceChoices are the services the backend knows, for the form; best
// effort (a failure leaves the field free text).
func (h *Handler) serviceChoices(ctx context.Context, b TraceBackend, r links.TimeRange) []string {
	var out []string
	switch {
	case b.Search != nil:
		out, _ = b.Search.Services(ctx)
	case h.opt.Tempo != nil:
		out, _ = h.opt.Tempo.TagValues(ctx, "service.name", r.From, r.To)
	}
	sort.Strings(out)
	return out
}
