package chart

import (
	"slices"
	"strconv"
)

// ExemplarCheck counts the distinct traces of a chart's markers that were
// asked for and how many no backend has.
type ExemplarCheck struct {
	Checked int // traces asked for
	Missing int // of those, the ones no backend has
	// Unchecked are traces not asked (over the bound, or the check ran
	// out of time): drawn as usual.
	Unchecked int
}

// MarkerTraceIDs is the distinct trace IDs of c's markers, the slowest
// exemplar's first (a marker higher on the chart is slower), at most n: the
// ones worth checking when not all can be.
func MarkerTraceIDs(c *Chart, n int) []string {
	order := make([]int, 0, len(c.Markers))
	for i := range c.Markers {
		if c.Markers[i].TraceID != "" {
			order = append(order, i)
		}
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmpFloat(c.Markers[a].Y, c.Markers[b].Y) })
	seen := map[string]bool{}
	var out []string
	for _, i := range order {
		id := c.Markers[i].TraceID
		if seen[id] {
			continue
		}
		seen[id] = true
		if len(out) == n {
			continue
		}
		out = append(out, id)
	}
	return out
}

// MarkMissing applies an existence check to c: found says, for each trace
// asked, whether a backend has it (an ID it lacks was not checked). A
// marker whose trace is missing is marked so (drawn hollow) and its tooltip
// says why; each spike's Investigate becomes its slowest exemplar whose
// trace exists, or an unchecked one, never a missing one.
func MarkMissing(c *Chart, found map[string]bool) {
	check := &ExemplarCheck{}
	counted := map[string]bool{}
	for i := range c.Markers {
		m := &c.Markers[i]
		if m.TraceID == "" {
			continue
		}
		ok, asked := found[m.TraceID]
		if !counted[m.TraceID] {
			counted[m.TraceID] = true
			switch {
			case !asked:
				check.Unchecked++
			case ok:
				check.Checked++
			default:
				check.Checked++
				check.Missing++
			}
		}
		if asked && !ok {
			m.Missing = true
			m.Title += "\nNo trace backend has this trace: most likely sampled out after the metric counted the request (or not ingested yet)."
		}
	}
	c.Check = check
	for s := range c.Spikes {
		sp := &c.Spikes[s]
		best, bestFound := -1, false
		for _, k := range sp.markers {
			m := &c.Markers[k]
			if m.TraceID == "" || m.Missing {
				continue
			}
			isFound := found[m.TraceID]
			switch {
			case best < 0, isFound && !bestFound, isFound == bestFound && m.Y < c.Markers[best].Y:
				best, bestFound = k, isFound
			}
		}
		sp.Investigate, sp.TraceID = "", ""
		if best >= 0 {
			sp.Investigate, sp.TraceID = c.Markers[best].Href, c.Markers[best].TraceID
		}
	}
}

// Note is the sentence under a checked chart: "Checked 120
// exemplars' traces: 95 are missing (hollow markers)…"; "" when nothing
// was checked.
func (e *ExemplarCheck) Note() string {
	if e == nil || e.Checked == 0 {
		return ""
	}
	s := "Checked " + strconv.Itoa(e.Checked) + " exemplar " + plural(e.Checked, "trace", "traces") + ": "
	switch e.Missing {
	case 0:
		s += "every one exists."
	default:
		s += strconv.Itoa(e.Missing) + " missing (hollow markers): no trace backend has " + plural(e.Missing, "it", "them") +
			", most likely sampled out after the metric counted the request."
	}
	if e.Unchecked > 0 {
		s += " " + strconv.Itoa(e.Unchecked) + " more not checked."
	}
	return s
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
