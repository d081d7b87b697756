package handlers

// The label pickers of the graph and logs pages (#20 item 2). Closed, a
// picker is a link; open (labels=1, or pick= / field= chosen) it lists
// the label names for the query and range, then one label's values, each
// a link to the page with its matcher added. GET /graph/labels and
// /logs/labels answer the same picker as a fragment, for pickers.js.
//
// A lookup runs from the start of the request, beside the page's panels,
// and is rendered in its place with a timeout of its own: a slow or
// failing backend fails the picker alone, with the panels' message.

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/ariadne-dev/ariadne/correlation/links"
	"github.com/ariadne-dev/ariadne/views"
)

// maxPickerTimeout bounds a picker's lookups (and the panel timeout, when
// shorter, bounds them more): the page waits for its picker.
const maxPickerTimeout = 5 * time.Second

// pickerRequest is one picker's parameters, parsed.
type pickerRequest struct {
	lang     string
	path     string     // the page
	params   url.Values // the page's, kept on the picker's links
	target   string     // the query parameter it edits
	textarea string
	targets  []views.Link
	query    string
	open     bool
	pick     views.Pick
	value    string // a value to apply first (the script's fragment)
	filter   string
	r        links.TimeRange
}

// parsePicker reads the picker's parameters: labels=1 opens it, pick=name
// lists a label's values (field=name&parser=json a detected field's), and
// filter= narrows the values.
func parsePicker(lang, path string, params url.Values, target, textarea, q string, r links.TimeRange) pickerRequest {
	pr := pickerRequest{lang: lang, path: path, params: url.Values{}, target: target, textarea: textarea, query: q, r: r,
		filter: params.Get("filter"), value: params.Get("value")}
	for k, vs := range params {
		pr.params[k] = vs
	}
	switch {
	case params.Get("pick") != "":
		pr.pick = views.Pick{Name: params.Get("pick")}
	case params.Get("field") != "" && lang == views.LangLogQL:
		pr.pick = views.Pick{Name: params.Get("field"), Field: true, Parser: parserParam(params.Get("parser"))}
	}
	pr.open = params.Get("labels") != "" || pr.pick.Name != ""
	if _, ok := params["value"]; ok && pr.pick.Name != "" {
		// A value chosen in the script: the picker after it, on the
		// narrowed query, back at the label names.
		if nq, ok := pr.pick.Apply(lang, q, pr.value); ok {
			pr.query = nq
			pr.params.Set(target, nq)
		}
		pr.pick, pr.filter = views.Pick{}, ""
	}
	return pr
}

func parserParam(p string) string {
	if p == "json" || p == "logfmt" {
		return p
	}
	return ""
}

// input is the builder's input before the backend's lists are added.
func (pr pickerRequest) input() views.PickerInput {
	return views.PickerInput{Lang: pr.lang, Path: pr.path, Params: pr.params, Target: pr.target, TextareaID: pr.textarea,
		Targets: pr.targets, Query: pr.query, Open: pr.open, Pick: pr.pick, Filter: pr.filter}
}

func (h *Handler) pickerTimeout() time.Duration { return min(h.opt.PanelTimeout, maxPickerTimeout) }

// pickerSlot starts load now and renders what it gives where the page puts
// the slot, waiting at most pickerTimeout: the page before it is flushed
// first, so the query box shows at once. It reuses the panels' runner
// (timeout, recovery, messages); failed renders the picker with the error.
func (h *Handler) pickerSlot(ctx context.Context, log *slog.Logger, backend string,
	load func(ctx context.Context) (templ.Component, error), failed func(msg string) templ.Component) templ.Component {
	s := &panelSet{results: make(chan panelDone, 1), timeout: h.pickerTimeout(), log: log}
	p := panel{Title: "Labels", Backend: backend, Load: func(ctx context.Context) (panelOut, error) {
		c, err := load(ctx)
		return panelOut{Body: c}, err
	}}
	s.panels = []panel{p}
	go s.run(ctx, 1, p)
	return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		if err := flush(w); err != nil {
			return err
		}
		var d panelDone
		select {
		case d = <-s.results:
		case <-ctx.Done():
			return ctx.Err()
		}
		if d.err != nil {
			r := replyTo(d.err)
			if r.Unexpected {
				log.Error("picker failed", "err", d.err)
			}
			return failed(r.Message).Render(ctx, w)
		}
		return d.out.Body.Render(ctx, w)
	})
}

// picker is the picker for the page: closed without a lookup, else a slot
// that renders it when lookup has filled in its lists.
func (h *Handler) picker(c echo.Context, backend string, pr pickerRequest,
	lookup func(ctx context.Context, in *views.PickerInput)) templ.Component {
	if !pr.open {
		return views.LabelPicker(views.BuildPicker(pr.input()))
	}
	return h.pickerSlot(c.Request().Context(), requestLogger(c), backend, func(ctx context.Context) (templ.Component, error) {
		in := pr.input()
		lookup(ctx, &in)
		return views.LabelPicker(views.BuildPicker(in)), nil
	}, func(msg string) templ.Component {
		in := pr.input()
		in.LabelsError = msg
		return views.LabelPicker(views.BuildPicker(in))
	})
}

// pickerFragment answers a picker alone, for the script.
func pickerFragment(c echo.Context, comp templ.Component) error {
	c.Response().Header().Set("Cache-Control", "no-store")
	return render(c, http.StatusOK, comp)
}
