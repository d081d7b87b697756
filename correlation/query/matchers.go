package query

import (
	"strings"

	"github.com/ariadne-dev/ariadne/datasources"
)

// The label pickers of the graph and logs pages narrow the query in the
// box to a label's value. These functions write that matcher into the
// query's own text, so whatever the user wrote around it stays as it was.

// AddPromMatcher is q with name="value" in each of its vector selectors,
// replacing any matcher of that name already there (name=~"…" too). An
// empty q becomes {name="value"}; __name__ sets the metric: an empty q
// becomes the metric alone, and each selector's metric name is replaced.
// A query without a selector (1 + 1) is returned as it is.
func AddPromMatcher(q, name, value string) string {
	if strings.TrimSpace(q) == "" {
		if name == "__name__" && isMetricName(value) {
			return value
		}
		return "{" + promMatcher(name, value) + "}"
	}
	var b strings.Builder
	at := 0
	for _, sp := range selectorSpans(q) {
		if sp.end > len(q) {
			break // unterminated: nothing after it is a selector either
		}
		b.WriteString(q[at:sp.start])
		b.WriteString(rewritePromSelector(q[sp.start:sp.end], sp.metric, sp.open-sp.start, name, value))
		at = sp.end
	}
	b.WriteString(q[at:])
	return b.String()
}

// rewritePromSelector sets the matcher in one selector: sel is its text,
// open the index of its '{' in sel (negative for a bare metric name).
func rewritePromSelector(sel, metric string, open int, name, value string) string {
	inner := ""
	if open >= 0 {
		inner = sel[open+1 : len(sel)-1]
	}
	if name == "__name__" {
		// The metric is replaced, wherever the selector names it.
		rest := removeMatcher(inner, "__name__")
		if isMetricName(value) {
			if rest == "" {
				return value
			}
			return value + "{" + rest + "}"
		}
		return "{" + setMatcher(rest, name, promMatcher(name, value)) + "}"
	}
	if open < 0 {
		return metric + "{" + promMatcher(name, value) + "}"
	}
	return metric + "{" + setMatcher(inner, name, promMatcher(name, value)) + "}"
}

// promMatcher writes name="value"; a name that is not a classic label name
// is quoted, as Prometheus 3 reads UTF-8 names ({"http.route"="/a"}).
func promMatcher(name, value string) string {
	if !datasources.IsLabelName(name) {
		name = `"` + PromLabelValue(name) + `"`
	}
	return name + `="` + PromLabelValue(value) + `"`
}

func isMetricName(s string) bool {
	if s == "" || !isIdentStart(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if !isIdentChar(s[i]) {
			return false
		}
	}
	return !promqlWords[strings.ToLower(s)]
}

// AddLogMatcher is q with name="value" in each of its stream selectors,
// replacing any matcher of that name; an empty q becomes {name="value"}.
// ok is false, and q is returned, when name cannot be a stream label or q
// has no selector to narrow.
func AddLogMatcher(q, name, value string) (string, bool) {
	if !datasources.IsLabelName(name) {
		return q, false
	}
	m := name + `="` + EscapeLogQLString(value) + `"`
	if strings.TrimSpace(q) == "" {
		return "{" + m + "}", true
	}
	var b strings.Builder
	at, found := 0, false
	toks := lexLogQL(q)
	for i := 0; i < len(toks); i++ {
		if toks[i].kind != tokOp || toks[i].text != "{" {
			continue
		}
		j := i + 1
		for j < len(toks) && !(toks[j].kind == tokOp && toks[j].text == "}") {
			j++
		}
		if j == len(toks) {
			break // unterminated
		}
		open, end := toks[i].start, toks[j].start
		b.WriteString(q[at : open+1])
		b.WriteString(setMatcher(q[open+1:end], name, m))
		at, found, i = end, true, j
	}
	if !found {
		return q, false
	}
	b.WriteString(q[at:])
	return b.String(), true
}

// AddFieldFilter is log query q narrowed to lines whose field key is
// value: the parser that finds the field (json or logfmt; none for
// structured metadata, which needs no parser), then a label filter. Field
// names are written as the parsers name them (dots and dashes as "_").
// The parser is not added again when q ends its pipeline with it already.
func AddFieldFilter(q, parser, key, value string) string {
	q = strings.TrimSpace(q)
	if parser != "" && !endsWithStage(q, parser) && !hasBareStage(q, parser) {
		q += " | " + parser
	}
	return q + " | " + FieldLabelName(key) + `="` + EscapeLogQLString(value) + `"`
}

// hasBareStage reports whether q's pipeline has "| parser" without
// arguments: every later label filter can read what it parsed.
func hasBareStage(q, parser string) bool {
	toks := lexLogQL(q)
	for i := 0; i+1 < len(toks); i++ {
		if toks[i].kind == tokOp && toks[i].text == "|" && toks[i+1].kind == tokWord && toks[i+1].text == parser &&
			(i+2 == len(toks) || toks[i+2].kind == tokOp && toks[i+2].text == "|") {
			return true
		}
	}
	return false
}

func endsWithStage(q, parser string) bool {
	return strings.HasSuffix(q, "| "+parser) || strings.HasSuffix(q, "|"+parser)
}

// FieldLabelName is key as Loki's parsers sanitise it into a label name.
func FieldLabelName(key string) string {
	b := []byte(key)
	for i, c := range b {
		if !(c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || i > 0 && '0' <= c && c <= '9') {
			b[i] = '_'
		}
	}
	return string(b)
}

// setMatcher is the text between a selector's braces with every matcher
// of name replaced by m, or m appended after the others when there is
// none; the other matchers keep their text.
func setMatcher(inner, name, m string) string {
	const ws = " \t\r\n"
	var kept []string
	replaced := false
	for _, p := range splitMatchers(inner) {
		if matcherName(p) != name {
			kept = append(kept, p)
			continue
		}
		if !replaced {
			// The first keeps its place and the spaces around it.
			lead := p[:len(p)-len(strings.TrimLeft(p, ws))]
			trail := p[len(strings.TrimRight(p, ws)):]
			kept = append(kept, lead+m+trail)
			replaced = true
		}
	}
	if replaced {
		return strings.Join(kept, ",")
	}
	t := strings.TrimRight(inner, ws+",")
	if strings.TrimSpace(t) == "" {
		return m
	}
	sep := ", "
	if parts := splitMatchers(t); len(parts) > 1 && !strings.HasPrefix(parts[1], " ") {
		sep = "," // as the query writes them
	}
	return t + sep + m
}

// removeMatcher is inner without the matchers of name (and, for
// __name__, without a quoted metric name: {"my.metric", job="a"}).
func removeMatcher(inner, name string) string {
	var kept []string
	for _, p := range splitMatchers(inner) {
		p = strings.TrimSpace(p)
		n := matcherName(p)
		if p == "" || n == name || name == "__name__" && n == "" {
			continue
		}
		kept = append(kept, p)
	}
	return strings.Join(kept, ", ")
}

// splitMatchers cuts a selector's inside at the commas between matchers
// (not those inside quoted values).
func splitMatchers(inner string) []string {
	var out []string
	at := 0
	for i := 0; i < len(inner); {
		switch inner[i] {
		case '"', '\'', '`':
			i = skipString(inner, i)
		case ',':
			out = append(out, inner[at:i])
			i++
			at = i
		default:
			i++
		}
	}
	return append(out, inner[at:])
}

// matcherName is the label a matcher is about: the text before its
// operator, unquoted when quoted ({"http.route"="/a"}); "" for a part
// that is not name op value (a quoted metric name in Prometheus 3).
func matcherName(m string) string {
	m = strings.TrimSpace(m)
	if m == "" {
		return ""
	}
	if c := m[0]; c == '"' || c == '\'' || c == '`' {
		end := skipString(m, 0)
		if rest := strings.TrimSpace(m[end:]); rest == "" || !strings.ContainsAny(rest[:1], "=!") {
			return ""
		}
		return unquoteName(m[:end])
	}
	i := strings.IndexAny(m, "=!")
	if i < 0 {
		return ""
	}
	return strings.TrimSpace(m[:i])
}

// unquoteName decodes a quoted label name's escapes (\" and \\).
func unquoteName(s string) string {
	if len(s) < 2 {
		return ""
	}
	body := s[1 : len(s)-1]
	if s[0] == '`' {
		return body
	}
	var b strings.Builder
	for i := 0; i < len(body); i++ {
		if body[i] == '\\' && i+1 < len(body) {
			i++
			switch body[i] {
			case 'n':
				b.WriteByte('\n')
				continue
			case 't':
				b.WriteByte('\t')
				continue
			}
		}
		b.WriteByte(body[i])
	}
	return b.String()
}

// Without is s without its matchers of name (for __name__, without its
// metric): the scope of a picker listing name's values, which must not be
// narrowed to the value already chosen.
func (s Selector) Without(name string) Selector {
	if name == "__name__" {
		return Selector{Matchers: removeMatcher(s.Matchers, name)}
	}
	return Selector{Metric: s.Metric, Matchers: removeMatcher(s.Matchers, name)}
}

// Scope is the match[] selectors that scope a label lookup to q's series:
// its selectors, without matchers of name when name is set. Selectors
// that match everything ({}) are left out, as Prometheus refuses them;
// none means every series.
func Scope(q, without string) []string {
	var out []string
	for _, s := range Selectors(q) {
		if without != "" {
			s = s.Without(without)
		}
		if s.Metric != "" || s.Matchers != "" {
			out = append(out, s.String())
		}
	}
	return out
}

// LogSelector is the first stream selector of LogQL q, without matchers
// of name when name is set; "" when q has none (or nothing is left).
func LogSelector(q, without string) string {
	toks := lexLogQL(q)
	for i, t := range toks {
		if t.kind != tokOp || t.text != "{" {
			continue
		}
		for j := i + 1; j < len(toks); j++ {
			if toks[j].kind == tokOp && toks[j].text == "}" {
				inner := q[t.start+1 : toks[j].start]
				if without != "" {
					inner = removeMatcher(inner, without)
				}
				if strings.TrimSpace(inner) == "" {
					return ""
				}
				return "{" + strings.TrimSpace(inner) + "}"
			}
		}
		return ""
	}
	return ""
}
