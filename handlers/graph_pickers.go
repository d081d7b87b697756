package handlers

import (
	"context"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/ariadne-dev/ariadne/correlation/links"
	"github.com/ariadne-dev/ariadne/correlation/query"
	"github.com/ariadne-dev/ariadne/datasources/prometheus"
	"github.com/ariadne-dev/ariadne/views"
)

// MetricLabels is what the graph's label picker and latency builder read
// from Prometheus. The Prometheus client has it; a MetricsSource without
// it (a test's fake) gets no picker, and the builder takes typed names.
type MetricLabels interface {
	LabelNames(ctx context.Context, matchers []string, start, end time.Time) ([]string, error)
	LabelValues(ctx context.Context, name string, matchers []string, start, end time.Time) ([]string, error)
}

func (h *Handler) metricLabels() (MetricLabels, bool) {
	if h.opt.Prometheus == nil {
		return nil, false
	}
	m, ok := h.opt.Prometheus.(MetricLabels)
	return m, ok
}

// graphPickerRequest is the graph's picker for the query box target= names
// (q by default).
func graphPickerRequest(params url.Values, r links.TimeRange) pickerRequest {
	target := params.Get("target")
	var targets []views.Link
	for i := range maxGraphQueries {
		n := links.GraphParam(i)
		if params.Get(n) != "" || i == 0 {
			targets = append(targets, views.Link{Label: "Query " + strconv.Itoa(i+1), URL: n})
		}
	}
	if !slices.ContainsFunc(targets, func(l views.Link) bool { return l.URL == target }) {
		target = "q"
	}
	pr := parsePicker(views.LangPromQL, links.GraphPath, params, target, "query-"+target, params.Get(target), r)
	if len(targets) > 1 {
		pr.targets = targets
	}
	return pr
}

// graphPicker is the label picker under the query boxes; nil without a
// Prometheus that lists labels.
func (h *Handler) graphPicker(c echo.Context, pr pickerRequest) templ.Component {
	src, ok := h.metricLabels()
	if !ok {
		return nil
	}
	return h.picker(c, "Prometheus", pr, func(ctx context.Context, in *views.PickerInput) {
		scope := query.Scope(in.Query, "")
		if len(scope) > 0 {
			in.Scope = "for " + joinScope(scope)
		}
		var wg sync.WaitGroup
		wg.Go(func() {
			names, err := src.LabelNames(ctx, scope, pr.r.From, pr.r.To)
			in.Labels, in.LabelsError = names, errText(err)
		})
		if in.Pick.Name != "" {
			wg.Go(func() {
				vals, err := src.LabelValues(ctx, in.Pick.Name, query.Scope(in.Query, in.Pick.Name), pr.r.From, pr.r.To)
				in.Values, in.ValuesError = vals, errText(err)
			})
		}
		wg.Wait()
	})
}

// graphLabels serves GET /graph/labels: the graph's picker as a fragment.
func (h *Handler) graphLabels(c echo.Context) error {
	r, _ := h.timeRange(c)
	comp := h.graphPicker(c, graphPickerRequest(c.QueryParams(), r))
	if comp == nil {
		return echo.NewHTTPError(http.StatusNotFound, "Prometheus is not configured, or cannot list labels.")
	}
	return pickerFragment(c, comp)
}

// latencyBuilder is the service + route form under the picker.
func (h *Handler) latencyBuilder(c echo.Context, r links.TimeRange) templ.Component {
	params := maps.Clone(c.QueryParams()) // read after the request is over
	in := views.LatencyBuilderInput{Service: params.Get("service"), Route: params.Get("route"), Params: params,
		Built: params.Get("service") != "" || params.Get("route") != "" || params.Get("quantile") != ""}
	in.Quantile, _ = query.ParseQuantile(params.Get("quantile"))
	src, ok := h.metricLabels()
	if !ok {
		return views.LatencyBuilderForm(views.BuildLatencyBuilder(in))
	}
	in.Listed = true
	bucket := query.LatencyHistogram + "_bucket"
	base := in // the load fills its own copy: it may run on past a timeout
	return h.pickerSlot(c.Request().Context(), requestLogger(c), "Prometheus", func(ctx context.Context) (templ.Component, error) {
		in := base
		var wg sync.WaitGroup
		var sErr, rErr error
		wg.Go(func() { in.Services, sErr = src.LabelValues(ctx, "service", []string{bucket}, r.From, r.To) })
		wg.Go(func() {
			scope := bucket
			if in.Service != "" {
				scope = query.AddPromMatcher(bucket, "service", in.Service)
			}
			in.Routes, rErr = src.LabelValues(ctx, "route", []string{scope}, r.From, r.To)
		})
		wg.Wait()
		if err := firstErr(sErr, rErr); err != nil {
			in.Services, in.Routes = nil, nil
			in.Error = "The services and routes could not be listed: " + replyTo(err).Message
		}
		return views.LatencyBuilderForm(views.BuildLatencyBuilder(in)), nil
	}, func(msg string) templ.Component {
		in := base
		in.Error = "The services and routes could not be listed: " + msg
		return views.LatencyBuilderForm(views.BuildLatencyBuilder(in))
	})
}

// buildLatency answers the builder's form (build=latency): a 303 to the
// graph of the query it writes, the choices and window kept.
func (h *Handler) buildLatency(c echo.Context) error {
	params := c.QueryParams()
	q, err := query.ParseQuantile(params.Get("quantile"))
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, err.Error())
	}
	l := query.Latency{Quantile: q, Service: params.Get("service"), Route: params.Get("route")}
	v := url.Values{}
	for _, k := range []string{"from", "to", "utc", "step", "service", "route"} {
		if s := params.Get(k); s != "" {
			v.Set(k, s)
		}
	}
	v.Set("quantile", q)
	return c.Redirect(http.StatusSeeOther, urlWith(links.GraphPath, v)("q", query.LatencyQuery(l)))
}

func joinScope(s []string) string {
	out := s[0]
	for _, x := range s[1:] {
		out += " or " + x
	}
	return out
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return replyTo(err).Message
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

var _ MetricLabels = (*prometheus.Client)(nil)
