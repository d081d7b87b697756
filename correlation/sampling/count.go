package sampling

import (
	"sort"
	"strconv"
	"strings"
)

// RequestCount is how many requests a set of kept traces stands for, as
// far as the traces say: the sum of the adjusted counts of those that
// record a sampling probability.
type RequestCount struct {
	Traces int
	// Known traces record a probability; Requests is the sum of their
	// adjusted counts.
	Known    int
	Requests float64
	// Unknown counts the other traces by why their count is unknown:
	// "rate limiting", "tail sampling", "no sampling recorded"…
	Unknown map[string]int
}

// Why a trace's request count is unknown, when its decision has no
// probability: the method's own words, or these.
const (
	unknownNothing = "no sampling recorded"
	unknownTail    = "tail sampling, which records no probability"
)

// CountRequests adds up the adjusted counts of the traces' decisions.
func CountRequests(ds []Decision) RequestCount {
	c := RequestCount{Traces: len(ds)}
	for _, d := range ds {
		if d.AdjustedCount > 0 {
			c.Known++
			c.Requests += d.AdjustedCount
			continue
		}
		why := unknownNothing
		switch {
		case d.Method != "":
			why = d.Method
		case d.Policy != "":
			why = unknownTail
		}
		c.Traces--
		c.AddUnknown(why, 1)
	}
	return c
}

// AddUnknown counts n more traces whose request count is unknown, for
// why: traces a backend's search answer says nothing about.
func (c *RequestCount) AddUnknown(why string, n int) {
	if n <= 0 {
		return
	}
	if c.Unknown == nil {
		c.Unknown = map[string]int{}
	}
	c.Traces += n
	c.Unknown[why] += n
}

// Text is the count as a search page writes it: "62 traces ≈ 1,240
// requests", or "62 traces (request count unknown: …)" when no trace
// records a probability, or both parts when some do. Empty for no
// traces.
func (c RequestCount) Text() string {
	if c.Traces == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString(traces(c.Traces))
	switch {
	case c.Known == c.Traces:
		b.WriteString(" " + approx(c.Requests))
	case c.Known == 0:
		b.WriteString(" (request count unknown: " + c.reasons() + ")")
	default:
		b.WriteString(": " + strconv.Itoa(c.Known) + " of them " + approx(c.Requests) +
			"; request count unknown for the other " + strconv.Itoa(c.Traces-c.Known) + " (" + c.reasons() + ")")
	}
	return b.String()
}

// reasons lists why counts are unknown, most traces first:
// "rate limiting: 3, no sampling recorded: 2"; a single reason alone.
func (c RequestCount) reasons() string {
	if len(c.Unknown) == 1 {
		for why := range c.Unknown {
			return why
		}
	}
	whys := make([]string, 0, len(c.Unknown))
	for why := range c.Unknown {
		whys = append(whys, why)
	}
	sort.Slice(whys, func(i, j int) bool {
		if c.Unknown[whys[i]] != c.Unknown[whys[j]] {
			return c.Unknown[whys[i]] > c.Unknown[whys[j]]
		}
		return whys[i] < whys[j]
	})
	for i, why := range whys {
		whys[i] = why + ": " + strconv.Itoa(c.Unknown[why])
	}
	return strings.Join(whys, ", ")
}

func traces(n int) string {
	if n == 1 {
		return "1 trace"
	}
	return thousands(int64(n)) + " traces"
}

// approx is Requests with "=" where the count is exact (one request).
func approx(n float64) string {
	if r := Requests(n); strings.HasPrefix(r, "≈") {
		return r
	}
	return "= " + Requests(n)
}
