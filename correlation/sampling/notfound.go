package sampling

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ariadne-dev/ariadne/correlation/text"
)

// Reason is one explanation of a trace ID no backend has.
type Reason string

const (
	WrongBackend     Reason = "wrong backend"
	NotYetIngested   Reason = "not yet ingested"
	OutsideRetention Reason = "outside retention"
	SampledOut       Reason = "sampled out"
)

// Likelihood ranks an explanation: Likely ones lead the page, Ruled-out
// ones are said so, so the reader does not chase them.
type Likelihood int

const (
	RuledOut Likelihood = iota
	Possible
	Likely
)

func (l Likelihood) String() string {
	switch l {
	case Likely:
		return "likely"
	case Possible:
		return "possible"
	}
	return "ruled out"
}

// Evidence is what Ariadne could see about a trace ID that the backends
// it asked do not have.
type Evidence struct {
	Now time.Time
	// Backend names the backends asked ("Tempo", "Tempo and Jaeger").
	Backend string
	// ExemplarChecked says whether the metrics were asked; ExemplarSeen
	// whether an exemplar names the ID, ExemplarAt when.
	ExemplarChecked bool
	ExemplarSeen    bool
	ExemplarAt      time.Time
	// LogsChecked says whether the logs were asked; LogLines how many
	// lines carry the ID (in the window asked), FirstLogAt the earliest.
	LogsChecked bool
	LogLines    int
	FirstLogAt  time.Time
	// LinkAt is the middle of the window the link came with (zero for
	// none): an exemplar or a log line's moment.
	LinkAt time.Time
	// FlushDelay is how long the backend takes to show a trace after its
	// spans were sent; Retention how long it keeps them (zero: not known).
	FlushDelay time.Duration
	Retention  time.Duration
	// Elsewhere names the backends that have the ID when asked without
	// the link's window (or that the lookup did not ask).
	Elsewhere []string
}

// FirstSeen is the earliest moment anything saw the ID, and a phrase
// saying what saw it: the exemplar, the first log line, or (when neither
// did) the link's own moment.
func (e Evidence) FirstSeen() (time.Time, string) {
	var at time.Time
	by := ""
	consider := func(t time.Time, what string) {
		if !t.IsZero() && (at.IsZero() || t.Before(at)) {
			at, by = t, what
		}
	}
	if e.ExemplarSeen {
		consider(e.ExemplarAt, "its exemplar was recorded")
	}
	if e.LogLines > 0 {
		consider(e.FirstLogAt, "its first log line was written")
	}
	if at.IsZero() {
		consider(e.LinkAt, "the link points to a moment")
	}
	return at, by
}

// Explanation is one row of the 404 page's reasoning.
type Explanation struct {
	Reason     Reason
	Likelihood Likelihood
	Why        string
}

// Explain ranks the explanations that fit what e saw: likely first, then
// possible, then ruled out; ties in the order another backend, too recent,
// too old, sampled out (cheapest to check first).
func Explain(e Evidence) []Explanation {
	at, by := e.FirstSeen()
	age := time.Duration(-1)
	if !at.IsZero() {
		age = e.Now.Sub(at)
	}
	backend := e.Backend
	if backend == "" {
		backend = "the trace backend"
	}
	seen := ""
	if age >= 0 {
		seen = by + " " + text.FormatAgo(at, e.Now)
	}
	var out []Explanation

	// Another backend.
	if len(e.Elsewhere) > 0 {
		out = append(out, Explanation{WrongBackend, Likely, strings.Join(e.Elsewhere, " and ") + " has a trace with this ID."})
	} else {
		out = append(out, Explanation{WrongBackend, RuledOut, "No other configured trace backend has it."})
	}

	// Too recent.
	young := age >= 0 && age < e.FlushDelay
	switch {
	case age < 0:
		out = append(out, Explanation{NotYetIngested, Possible, "Nothing says when the request ran; " + backend + " shows a trace up to " + text.FormatDuration(e.FlushDelay) + " after its spans are sent."})
	case young:
		out = append(out, Explanation{NotYetIngested, Likely, capital(seen) + ", and " + backend + " shows a trace up to " + text.FormatDuration(e.FlushDelay) + " after its spans are sent: try again shortly."})
	default:
		out = append(out, Explanation{NotYetIngested, RuledOut, capital(seen) + ", longer than the " + text.FormatDuration(e.FlushDelay) + " " + backend + " takes to show a trace."})
	}

	// Too old.
	old := age >= 0 && e.Retention > 0 && age > e.Retention
	switch {
	case e.Retention <= 0:
		out = append(out, Explanation{OutsideRetention, Possible, backend + "'s retention is not configured in Ariadne, so an old trace may have been deleted."})
	case age < 0:
		out = append(out, Explanation{OutsideRetention, Possible, "Nothing says when the request ran; " + backend + " keeps traces for " + text.FormatDuration(e.Retention) + "."})
	case old:
		out = append(out, Explanation{OutsideRetention, Likely, capital(seen) + ", older than the " + text.FormatDuration(e.Retention) + " " + backend + " keeps traces."})
	default:
		out = append(out, Explanation{OutsideRetention, RuledOut, capital(seen) + ", within the " + text.FormatDuration(e.Retention) + " " + backend + " keeps traces."})
	}

	// Sampled out: something recorded the request, its spans were not kept.
	var witnesses []string
	if e.ExemplarSeen {
		witnesses = append(witnesses, "a metric recorded an exemplar for it")
	}
	if e.LogLines > 0 {
		witnesses = append(witnesses, strconv.Itoa(e.LogLines)+" log "+plural(e.LogLines, "line carries", "lines carry")+" its ID")
	}
	switch {
	case len(e.Elsewhere) > 0 || young || old:
		out = append(out, Explanation{SampledOut, Possible, "A sampler may have dropped it, but another explanation fits better."})
	case len(witnesses) > 0:
		out = append(out, Explanation{SampledOut, Likely, capital(strings.Join(witnesses, " and ")) + ", but no backend kept its spans: a sampler decided not to keep the trace (typical of tail sampling, which decides after the metrics counted the request)."})
	case e.ExemplarChecked && e.LogsChecked:
		out = append(out, Explanation{SampledOut, Possible, "Neither an exemplar nor a log line carries this ID in the window asked: it may have been sampled out, or the ID may be mistyped."})
	default:
		out = append(out, Explanation{SampledOut, Possible, "Only sampled requests are stored; nothing else Ariadne can see names this ID."})
	}

	slices.SortStableFunc(out, func(a, b Explanation) int { return int(b.Likelihood) - int(a.Likelihood) })
	return out
}

func capital(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
