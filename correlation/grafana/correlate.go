package grafana

import (
	"regexp"
	"regexp/syntax"
	"strings"

	"github.com/ariadne-dev/ariadne/correlation/logline"
)

// isTrace says whether a datasource type holds traces.
func isTrace(t string) bool { return t == "tempo" || t == "jaeger" || t == "zipkin" }

// exemplars takes exemplarTraceIdDestinations' names: the exemplar labels
// that hold a trace ID. Ariadne opens every one of them in its own trace
// page, looked up in each trace backend it has.
func (m *mapping) exemplars(d Datasource) {
	var dests []exemplarDestination
	if _, err := d.decodeJSON("exemplarTraceIdDestinations", &dests); err != nil {
		m.note(d, "%v: exemplar labels not taken", err)
		return
	}
	seen := map[string]bool{}
	for _, e := range dests {
		if e.Name == "" {
			m.note(d, "exemplarTraceIdDestinations entry without a name: skipped")
			continue
		}
		switch target, known := m.byUID[e.DatasourceUID]; {
		case e.DatasourceUID == "" && e.URL != "":
			m.note(d, "exemplar %s: its external url is not used; the trace opens in Ariadne", e.Name)
		case known && !isTrace(target.Type):
			m.note(d, "exemplar %s: datasourceUid %s is a %s datasource, not traces; the label is still read as a trace ID", e.Name, e.DatasourceUID, target.Type)
		case known && m.taken[target.Type].Name != target.Name:
			m.note(d, "exemplar %s: datasourceUid %s is not taken; its traces are looked up in the trace backends Ariadne reads", e.Name, e.DatasourceUID)
		}
		if !seen[e.Name] {
			seen[e.Name] = true
			m.res.ExemplarTraceLabels = append(m.res.ExemplarTraceLabels, e.Name)
		}
	}
	if len(m.res.ExemplarTraceLabels) > 0 {
		m.note(d, "exemplar trace labels: %s", strings.Join(m.res.ExemplarTraceLabels, ", "))
	}
}

// derivedFields takes the Loki datasource's derived fields that lead to a
// trace: Ariadne's derived fields find trace IDs and link them to its own
// trace page.
func (m *mapping) derivedFields(d Datasource) {
	var fields []derivedField
	if _, err := d.decodeJSON("derivedFields", &fields); err != nil {
		m.note(d, "%v: derived fields not taken", err)
		return
	}
	for i, f := range fields {
		name := f.Name
		if name == "" {
			name = "trace"
		}
		if target, known := m.byUID[f.DatasourceUID]; known && !isTrace(target.Type) {
			m.note(d, "derived field %s: leads to a %s datasource, not to traces: skipped", name, target.Type)
			continue
		}
		df := logline.DerivedField{Name: name}
		switch strings.ToLower(f.MatcherType) {
		case "label":
			df.Label = f.MatcherRegex
		case "", "regex":
			re, changed, err := oneGroup(f.MatcherRegex)
			if err != nil {
				m.note(d, "derived field %s: matcherRegex %q: %v: skipped", name, f.MatcherRegex, err)
				continue
			}
			if changed {
				m.note(d, "derived field %s: matcherRegex %q read as %q (the ID is the first capture group)", name, f.MatcherRegex, re)
			}
			df.Regex = re
		default:
			m.note(d, "derived field %s: matcherType %q unknown: skipped", name, f.MatcherType)
			continue
		}
		if df.Label == "" && df.Regex == "" {
			m.note(d, "derived field %s: no matcherRegex: skipped", name)
			continue
		}
		if _, err := logline.CompileDerivedFields([]logline.DerivedField{df}); err != nil {
			m.note(d, "derived field %d %s: %v: skipped", i+1, name, err)
			continue
		}
		switch {
		case f.DatasourceUID == "" && f.URL != "" && !isRawValue(f.URL):
			m.note(d, "derived field %s: its url %q is not used; the ID opens Ariadne's trace page", name, f.URL)
		case f.DatasourceUID != "" && f.URL != "" && !isRawValue(f.URL):
			m.note(d, "derived field %s: the query %q is not used; the ID opens Ariadne's trace page", name, f.URL)
		}
		if f.URLDisplayLabel != "" {
			m.note(d, "derived field %s: urlDisplayLabel not used; the link is labelled %s", name, name)
		}
		m.res.DerivedFields = append(m.res.DerivedFields, df)
		what := "regex " + df.Regex
		if df.Label != "" {
			what = "label " + df.Label
		}
		m.note(d, "derived field %s: %s", name, what)
	}
}

// isRawValue says whether a derived field's url is just the value.
func isRawValue(u string) bool {
	u = strings.TrimSpace(u)
	return u == "${__value.raw}" || u == "$__value.raw" || u == "${__value.text}"
}

// oneGroup rewrites a matcher regex to the one capture group Ariadne's
// derived fields need: Grafana takes the first group's value, so later
// groups become non-capturing; a regex without a group is captured whole.
func oneGroup(expr string) (string, bool, error) {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return "", false, err
	}
	switch {
	case re.MaxCap() == 1:
		return expr, false, nil
	case re.MaxCap() == 0:
		return "(" + expr + ")", true, nil
	}
	first := true
	var walk func(r *syntax.Regexp)
	walk = func(r *syntax.Regexp) {
		if r.Op == syntax.OpCapture {
			if first {
				first = false
				r.Name = ""
			} else {
				// A capture without its group is its one sub-expression.
				*r = *r.Sub[0]
				walk(r)
				return
			}
		}
		for _, s := range r.Sub {
			walk(s)
		}
	}
	walk(re)
	out := re.String()
	if _, err := regexp.Compile(out); err != nil {
		return "", false, err
	}
	return out, true, nil
}
