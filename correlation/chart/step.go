package chart

import (
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/ariadne-dev/ariadne/correlation/links"
)

// niceSteps are the query resolutions a graph uses: round numbers a reader
// recognises, so that a step reads as "every 15s", never "every 13.7s".
var niceSteps = []time.Duration{
	time.Second, 2 * time.Second, 5 * time.Second, 10 * time.Second, 15 * time.Second, 30 * time.Second,
	time.Minute, 2 * time.Minute, 5 * time.Minute, 10 * time.Minute, 15 * time.Minute, 30 * time.Minute,
	time.Hour, 2 * time.Hour, 3 * time.Hour, 6 * time.Hour, 12 * time.Hour, 24 * time.Hour,
}

// MaxPointsPerSeries is Prometheus's own limit (11,000 points per series);
// a step that would ask for more is refused by the server, so it is raised.
const MaxPointsPerSeries = 11000

// AutoStep picks the query step for a window drawn over pixels columns: the
// smallest nice step that gives a series no more points than there are
// pixels. Finer steps would only be thrown away by the drawing.
func AutoStep(window time.Duration, pixels int) time.Duration {
	if pixels < 1 {
		pixels = 1
	}
	min := window / time.Duration(pixels)
	for _, s := range niceSteps {
		if s >= min && pointsFor(window, s) <= pixels {
			return s
		}
	}
	// Longer than a day per pixel: whole days.
	day := 24 * time.Hour
	days := max(1, (min+day-1)/day)
	for pointsFor(window, days*day) > pixels {
		days++
	}
	return days * day
}

// ChooseStep resolves the step of a graph: the automatic one when raw is
// empty, otherwise the user's (a Go duration, or Prometheus's bare seconds)
// raised to keep within Prometheus's points limit. It returns a note when
// it changed the user's value, for the panel to say so.
func ChooseStep(raw string, window time.Duration, pixels int) (step time.Duration, note string, err error) {
	if raw == "" {
		return AutoStep(window, pixels), "", nil
	}
	step, err = parseStep(raw)
	if err != nil {
		return 0, "", err
	}
	if pointsFor(window, step) > MaxPointsPerSeries {
		floor := window / MaxPointsPerSeries
		raised := AutoStep(window, MaxPointsPerSeries)
		if raised < floor {
			raised = floor
		}
		return raised, fmt.Sprintf("step %s would ask for more than %d points per series; using %s", step, MaxPointsPerSeries, raised), nil
	}
	return step, "", nil
}

func parseStep(raw string) (time.Duration, error) {
	var d time.Duration
	if secs, err := strconv.ParseUint(raw, 10, 63); err == nil || errors.Is(err, strconv.ErrRange) {
		if err != nil || secs > 365*24*3600 {
			return 0, fmt.Errorf("step %q is out of range", raw)
		}
		d = time.Duration(secs) * time.Second
	} else {
		var err error
		d, err = links.ParseDuration(raw)
		if err != nil {
			return 0, fmt.Errorf("step: %w (e.g. 15s, 1m)", err)
		}
	}
	if d < time.Second {
		return 0, fmt.Errorf("step %q: the smallest step is 1s", raw)
	}
	return d, nil
}

// pointsFor is how many samples Prometheus returns for window at step
// (both ends included).
func pointsFor(window, step time.Duration) int {
	return int(window/step) + 1
}
