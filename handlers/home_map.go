package handlers

import (
	"context"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/ariadne-dev/ariadne/correlation/links"
	"github.com/ariadne-dev/ariadne/correlation/servicemap"
	"github.com/ariadne-dev/ariadne/views"
)

// mapPanels are the home page's service map and hidden dependencies. One
// map is built for both (startMap) as soon as the page starts; each panel
// waits for it within its own deadline, and the hidden dependencies also
// read the previous day.
func (h *Handler) mapPanels(c echo.Context, r links.TimeRange) []panel {
	w := servicemap.NewWindow(r.From, r.To)
	in := h.mapInput(r, w)
	f := h.startMap(c.Request().Context(), w)
	return []panel{{Title: "Service map", Backend: "The service map's sources", Load: func(ctx context.Context) (panelOut, error) {
		b, err := f.wait(ctx)
		if err != nil {
			return panelOut{}, err
		}
		in := in // each panel's own copy: they run at once
		// A copy: the other panel reads in at the same time.
		mi := in
		mi.Map, mi.Left = b.Map, b.Left
		v := views.BuildServiceMap(mi)
		return panelOut{Body: views.ServiceMapBody(v), State: mapState(b.Map), StateClass: mapStateClass(b.Map)}, nil
	}}, {Title: "Hidden dependencies", Backend: "The service map's sources", Load: func(ctx context.Context) (panelOut, error) {
		// The previous day is read while the map is built.
		pf := h.previousEdges(ctx, r.From)
		b, err := f.wait(ctx)
		if err != nil {
			return panelOut{}, err
		}
		p, err := pf.wait(ctx)
		if err != nil {
			return panelOut{}, err
		}
		hid := b.Map.FindHidden(p.pairs, p.compared)
		hin := views.HiddenInput{MapInput: in, Hidden: hid, Previous: p.sources}
		hin.Map = b.Map
		state := strconv.Itoa(len(hid.New)+len(hid.Uninstrumented)) + " found"
		return panelOut{Body: views.HiddenBody(views.BuildHidden(hin)), State: state}, nil
	}}}
}

// mapInput is what the map's views need besides the map: the window its
// links carry and how its edges search.
func (h *Handler) mapInput(r links.TimeRange, w servicemap.Window) views.MapInput {
	b, _ := h.searchBackend("")
	return views.MapInput{Window: r, Rate: w.Rate.String(), TraceQL: h.opt.Tempo != nil, Backend: b.Name}
}

// mapState is the map panel's headline: how many services are not as usual.
func mapState(m *servicemap.Map) string {
	bad := len(m.Worst(len(m.Nodes)))
	switch {
	case len(m.Nodes) == 0:
		return "empty"
	case bad == 0:
		return strconv.Itoa(len(m.Nodes)) + " services"
	case bad == 1:
		return "1 service unwell"
	default:
		return strconv.Itoa(bad) + " services unwell"
	}
}

func mapStateClass(m *servicemap.Map) string {
	if len(m.Worst(1)) > 0 {
		return "status-down"
	}
	return "status-ok"
}
