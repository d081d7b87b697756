package handlers

import (
	"context"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/ariadne-dev/ariadne/correlation/links"
	"github.com/ariadne-dev/ariadne/correlation/logline"
	"github.com/ariadne-dev/ariadne/correlation/query"
	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/datasources/loki"
	"github.com/ariadne-dev/ariadne/views"
)

// LogLabels is what the logs page's picker reads from Loki: stream labels
// scoped to the query's selector, and the fields Loki detects in its lines.
// The Loki client has it; a LogSource without it gets no picker.
type LogLabels interface {
	LabelsOf(ctx context.Context, selector string, start, end time.Time) ([]string, error)
	LabelValuesOf(ctx context.Context, name, selector string, start, end time.Time) ([]string, error)
	DetectedFields(ctx context.Context, q string, start, end time.Time, lineLimit int) ([]loki.DetectedField, error)
	DetectedFieldValues(ctx context.Context, name, q string, start, end time.Time, lineLimit int) ([]string, error)
}

var _ LogLabels = (*loki.Client)(nil)

// noDetectedFields says where the fields come from on a Loki without the
// detected fields API.
const noDetectedFields = "This Loki has no detected fields API (Loki 3.1 has), so these are the fields of the newest lines."

func (h *Handler) logLabels() (LogLabels, bool) {
	if h.opt.Loki == nil {
		return nil, false
	}
	l, ok := h.opt.Loki.(LogLabels)
	return l, ok
}

// logsPicker is the label picker under the LogQL box; nil without a Loki
// that lists labels. limit is the page's line count, the lines whose
// fields are offered when Loki cannot detect them.
func (h *Handler) logsPicker(c echo.Context, pr pickerRequest, limit int) templ.Component {
	src, ok := h.logLabels()
	if !ok {
		return nil
	}
	return h.picker(c, "Loki", pr, func(ctx context.Context, in *views.PickerInput) {
		from, to := pr.r.From, pr.r.To
		sel := query.LogSelector(in.Query, "")
		if sel != "" {
			in.Scope = "on " + sel
		}
		// The newest lines, read once, for a Loki without detected fields.
		lines := sync.OnceValues(func() ([]logline.LineField, error) {
			res, err := h.opt.Loki.QueryRange(ctx, loki.Query{Expr: in.Query, Start: from, End: to, Limit: limit, Direction: loki.Backward})
			if err != nil {
				return nil, err
			}
			return logline.FieldsOf(res.Lines), nil
		})
		var wg sync.WaitGroup
		wg.Go(func() {
			names, err := src.LabelsOf(ctx, sel, from, to)
			in.Labels, in.LabelsError = names, errText(err)
		})
		if query.IsLogQuery(in.Query) {
			wg.Go(func() {
				fs, err := src.DetectedFields(ctx, in.Query, from, to, 0)
				if datasources.ErrorKindOf(err) == datasources.ErrorNotFound {
					in.FieldsNote = noDetectedFields
					var lf []logline.LineField
					if lf, err = lines(); err == nil {
						for _, f := range lf {
							fs = append(fs, loki.DetectedField{Label: query.FieldLabelName(f.Key), Parsers: parsers(f.Parser), Cardinality: len(f.Values)})
						}
					}
				}
				in.FieldsError = errText(err)
				for _, f := range fs {
					p := ""
					if len(f.Parsers) > 0 {
						p = f.Parsers[0]
					}
					in.Fields = append(in.Fields, views.PickerField{Name: f.Label, Parser: p, Type: f.Type, Cardinality: f.Cardinality})
				}
			})
		}
		switch {
		case in.Pick.Name != "" && !in.Pick.Field:
			wg.Go(func() {
				vals, err := src.LabelValuesOf(ctx, in.Pick.Name, query.LogSelector(in.Query, in.Pick.Name), from, to)
				in.Values, in.ValuesError = vals, errText(err)
			})
		case in.Pick.Field && query.IsLogQuery(in.Query):
			wg.Go(func() {
				vals, err := src.DetectedFieldValues(ctx, in.Pick.Name, in.Query, from, to, 0)
				if datasources.ErrorKindOf(err) == datasources.ErrorNotFound {
					in.ValuesNote = noDetectedFields
					var lf []logline.LineField
					if lf, err = lines(); err == nil {
						for _, f := range lf {
							if query.FieldLabelName(f.Key) == in.Pick.Name {
								vals = f.Values
							}
						}
					}
				}
				in.Values, in.ValuesError = vals, errText(err)
			})
		}
		wg.Wait()
	})
}

func parsers(p string) []string {
	if p == "" {
		return nil
	}
	return []string{p}
}

// logsPickerRequest is the logs page's picker on query q.
func logsPickerRequest(params url.Values, q string, r links.TimeRange) pickerRequest {
	return parsePicker(views.LangLogQL, links.LogsPath, params, "q", "logq", q, r)
}

// logsLabels serves GET /logs/labels: the logs page's picker as a fragment.
func (h *Handler) logsLabels(c echo.Context) error {
	r, _ := h.timeRange(c)
	comp := h.logsPicker(c, logsPickerRequest(c.QueryParams(), c.QueryParam("q"), r), defaultLogLimit)
	if comp == nil {
		return echo.NewHTTPError(http.StatusNotFound, "Loki is not configured, or cannot list labels.")
	}
	return pickerFragment(c, comp)
}
