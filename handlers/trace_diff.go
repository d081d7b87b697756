package handlers

import (
	"errors"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/ariadne-dev/ariadne/correlation/links"
	"github.com/ariadne-dev/ariadne/correlation/trace"
	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/views"
)

// traceDiff renders GET /traces/diff?a=<id>&b=<id>: both traces fetched
// in parallel, then aligned span by span. Without either ID it is the
// form; an invalid ID is a 400 and a trace not found a 404, each naming
// which of the two.
func (h *Handler) traceDiff(c echo.Context) error {
	rawA, rawB := c.QueryParam("a"), c.QueryParam("b")
	p := h.page(c, "Compare traces", "traces")
	p.Styles = []string{"css/analysis.css"}
	v := views.TraceDiffView{FormA: echoed(rawA), FormB: echoed(rawB)}
	if strings.TrimSpace(rawA) == "" && strings.TrimSpace(rawB) == "" {
		return render(c, http.StatusOK, views.TraceDiffPage(p, v))
	}
	idA, errA := parseDiffID(rawA)
	idB, errB := parseDiffID(rawB)
	if errA != nil || errB != nil {
		var why []string
		for _, e := range []struct {
			side string
			err  error
		}{{"A", errA}, {"B", errB}} {
			if e.err != nil {
				why = append(why, "Trace "+e.side+": "+e.err.Error()+".")
			}
		}
		v.Problem = &views.TraceDiffProblem{Heading: "Two trace IDs are needed", Message: strings.Join(why, " ") + " A W3C traceparent header works too."}
		return render(c, http.StatusBadRequest, views.TraceDiffPage(p, v))
	}
	v.FormA, v.FormB = idA, idB
	start, end := h.diffWindow(c)
	ctx, prefer := c.Request().Context(), c.QueryParam("backend")
	var trA, trB *datasources.Trace
	var bA, bB TraceBackend
	var wg sync.WaitGroup
	wg.Go(func() { trA, bA, errA = h.lookupTrace(ctx, idA, start, end, prefer) })
	wg.Go(func() { trB, bB, errB = h.lookupTrace(ctx, idB, start, end, prefer) })
	wg.Wait()
	if errA != nil || errB != nil {
		status, problem, err := diffProblem(idA, idB, errA, errB)
		if err != nil {
			return err
		}
		v.Problem = problem
		return render(c, status, views.TraceDiffPage(p, v))
	}
	d := views.BuildTraceDiff(trace.BuildTree(trA, false), trace.BuildTree(trB, false), views.TraceDiffInput{
		BackendA: bA.Name, BackendB: bB.Name, DisplayA: bA.Display, DisplayB: bB.Display})
	p.Title = "Compare " + idA[:8] + "… with " + idB[:8] + "…"
	return render(c, http.StatusOK, views.TraceDiffPage(p, d))
}

// parseDiffID reads one side: a trace ID or a traceparent.
func parseDiffID(s string) (string, error) {
	if strings.TrimSpace(s) == "" {
		return "", errors.New("missing")
	}
	id, _, err := datasources.ParseTraceRef(s)
	return id, err
}

// diffWindow is the URL's window, when it gives one, as the lookup's.
func (h *Handler) diffWindow(c echo.Context) (start, end time.Time) {
	from, to := c.QueryParam("from"), c.QueryParam("to")
	if from == "" && to == "" {
		return start, end
	}
	if r, err := links.ParseTimeRange(from, to, h.now()); err == nil {
		start, end = links.LookupWindow(r)
	}
	return start, end
}

// diffProblem says which trace could not be had and why: 404 when every
// failure is "not found", else the status of the first other failure.
// An error outside the backends' vocabulary goes to the error handler.
func diffProblem(idA, idB string, errA, errB error) (int, *views.TraceDiffProblem, error) {
	status := http.StatusNotFound
	var missing, why []string
	var ls []views.Link
	for _, s := range []struct {
		side, id string
		err      error
	}{{"A", idA, errA}, {"B", idB, errB}} {
		if s.err == nil {
			ls = append(ls, views.Link{Label: "Open trace " + s.side + " alone", URL: links.Trace(s.id, links.TraceParams{})})
			continue
		}
		var de *datasources.Error
		if !errors.As(s.err, &de) {
			return 0, nil, s.err
		}
		why = append(why, "Trace "+s.side+" ("+s.id+"): "+datasources.UserMessage(s.err))
		if datasources.ErrorKindOf(s.err) == datasources.ErrorNotFound {
			missing = append(missing, s.side)
		} else if status == http.StatusNotFound {
			status = replyTo(s.err).Status
		}
	}
	heading := "Could not load both traces"
	switch {
	case status == http.StatusNotFound && len(missing) == 2:
		heading = "Neither trace was found"
	case status == http.StatusNotFound:
		heading = "Trace " + missing[0] + " was not found"
	}
	return status, &views.TraceDiffProblem{Heading: heading, Message: strings.Join(why, " "), Links: ls}, nil
}
