package handlers

import (
	"context"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/views"
)

// home is the on-call home: the service map of the range and its hidden
// dependencies (home_map.go), then what Ariadne is connected to, one
// panel per backend; every panel loads in parallel and fails alone.
func (h *Handler) home(c echo.Context) error {
	r, rc := h.timeRange(c)
	p := h.page(c, "", "")
	p.Range = rc
	p.Styles = append(p.Styles, "css/servicemap.css")
	p.Scripts = append(p.Scripts, "js/servicemap.js")
	panels := h.mapPanels(c, r)
	panels = append(panels, panel{Title: "Postgres", Load: func(ctx context.Context) (panelOut, error) {
		if h.opt.DB == nil {
			return panelOut{State: "not configured", StateClass: "status-off"}, nil
		}
		start := time.Now()
		if err := h.opt.DB.Ping(ctx); err != nil {
			// The driver's text names hosts and users: it goes to the log
			// (and /readyz, for operators), not to every visitor.
			return panelOut{State: "down", StateClass: "status-down"},
				&datasources.Error{Kind: datasources.ErrorUnavailable, Backend: "postgres", Message: "Postgres is unreachable.", Err: err}
		}
		return panelOut{State: "up", StateClass: "status-ok",
			Body: views.BackendBody(views.BackendStatus{Name: "DATABASE", URL: "configured", Configured: true, LatencyMs: time.Since(start).Milliseconds()})}, nil
	}})
	for _, b := range h.opt.Backends {
		panels = append(panels, panel{Title: b.Name, Load: func(ctx context.Context) (panelOut, error) {
			st := views.BackendStatus{Name: b.Env, URL: b.URL, Configured: b.URL != "" && b.Ready != nil}
			if !st.Configured {
				return panelOut{State: "not configured", StateClass: "status-off", Body: views.BackendBody(st)}, nil
			}
			start := time.Now()
			if err := b.Ready(ctx); err != nil {
				return panelOut{State: "down", StateClass: "status-down"}, err
			}
			st.LatencyMs = time.Since(start).Milliseconds()
			return panelOut{State: "up", StateClass: "status-ok", Body: views.BackendBody(st)}, nil
		}})
	}
	set := h.startPanels(c.Request().Context(), requestLogger(c), panels...)
	return render(c, 200, views.Home(p, set.Heads(), set))
}
