package views

import "github.com/ariadne-dev/ariadne/correlation/sampling"

// ProblemReason is one row of a missing trace's reasoning: what may have
// happened, how well it fits what Ariadne saw, and why.
type ProblemReason struct {
	Title      string // "Sampled out"
	Likelihood string // "likely", "possible", "ruled out"
	Class      string // reason-likely, reason-possible, reason-ruled-out
	Why        string
}

var reasonTitles = map[sampling.Reason]string{
	sampling.WrongBackend:     "In another backend",
	sampling.NotYetIngested:   "Not yet ingested",
	sampling.OutsideRetention: "Outside retention",
	sampling.SampledOut:       "Sampled out",
}

// BuildProblemReasons turns sampling.Explain's ranking into the 404 page's
// rows, in its order.
func BuildProblemReasons(ex []sampling.Explanation) []ProblemReason {
	out := make([]ProblemReason, 0, len(ex))
	for _, e := range ex {
		l := e.Likelihood.String()
		class := "reason-possible"
		switch e.Likelihood {
		case sampling.Likely:
			class = "reason-likely"
		case sampling.RuledOut:
			class = "reason-ruled-out"
		}
		out = append(out, ProblemReason{Title: reasonTitles[e.Reason], Likelihood: l, Class: class, Why: e.Why})
	}
	return out
}
