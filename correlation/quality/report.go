package quality

import (
	"github.com/ariadne-dev/ariadne/datasources"
)

// Example is one offending span, enough to name it and link to it.
type Example struct {
	TraceID, SpanID string
	Service, Name   string
	Detail          string
}

// Group is one rule's findings over the traces checked.
type Group struct {
	Rule Rule
	// Spans and Traces count the offending spans and the traces that
	// hold at least one.
	Spans, Traces int
	// Examples are up to the asked number of offending spans, one per
	// operation (service and name) before any operation repeats, in the
	// order met.
	Examples []Example
}

// Report is the rules' findings over a set of traces.
type Report struct {
	Traces, Spans int     // how many were checked
	Groups        []Group // rules with findings, in table order
	// Clean lists the rules no span broke, in table order.
	Clean []Rule
}

// Broken is the number of rules with findings.
func (r Report) Broken() int { return len(r.Groups) }

// CheckTrace checks one trace (the trace page's panel).
func CheckTrace(tr *datasources.Trace, examples int) Report {
	return CheckTraces([]*datasources.Trace{tr}, examples)
}

// CheckTraces runs every rule over every span of trs and groups the
// findings by rule, with up to examples example spans each (0: 5).
func CheckTraces(trs []*datasources.Trace, examples int) Report {
	return check(trs, examples, func(*datasources.Span) bool { return true })
}

// CheckService is CheckTraces over the spans of one service only (what
// its team can fix); Spans counts those spans.
func CheckService(trs []*datasources.Trace, service string, examples int) Report {
	return check(trs, examples, func(s *datasources.Span) bool { return s.Service() == service })
}

func check(trs []*datasources.Trace, examples int, keep func(*datasources.Span) bool) Report {
	if examples <= 0 {
		examples = 5
	}
	type acc struct {
		Group
		lastTrace int
		ops       map[[2]string]bool
		extra     []Example // repeats of an operation, used when few differ
	}
	accs := make([]acc, len(rules))
	for i := range accs {
		accs[i] = acc{Group: Group{Rule: rules[i]}, lastTrace: -1, ops: map[[2]string]bool{}}
	}
	rep := Report{}
	for ti, tr := range trs {
		if tr == nil {
			continue
		}
		rep.Traces++
		for si := range tr.Spans {
			s := &tr.Spans[si]
			if !keep(s) {
				continue
			}
			rep.Spans++
			attrs := s.Attributes()
			for ri := range rules {
				d := rules[ri].check(s, attrs)
				if d == "" {
					continue
				}
				a := &accs[ri]
				a.Spans++
				if a.lastTrace != ti {
					a.lastTrace = ti
					a.Traces++
				}
				ex := Example{TraceID: tr.ID, SpanID: s.SpanID, Service: s.Service(), Name: s.Name, Detail: d}
				op := [2]string{ex.Service, ex.Name}
				switch {
				case len(a.Examples) >= examples:
				case !a.ops[op]:
					a.ops[op] = true
					a.Examples = append(a.Examples, ex)
				case len(a.extra) < examples:
					a.extra = append(a.extra, ex)
				}
			}
		}
	}
	for i := range accs {
		a := &accs[i]
		if a.Spans == 0 {
			rep.Clean = append(rep.Clean, a.Rule)
			continue
		}
		for _, ex := range a.extra {
			if len(a.Examples) >= examples {
				break
			}
			a.Examples = append(a.Examples, ex)
		}
		rep.Groups = append(rep.Groups, a.Group)
	}
	return rep
}
