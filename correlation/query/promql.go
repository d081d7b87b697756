package query

import "strings"

// Selector is one vector selector found in a PromQL expression: the metric
// name (empty for a bare {…}) and its label matchers as written.
type Selector struct {
	Metric   string
	Matchers string // inside the braces, e.g. `service="orders",le!=""`; "" for none
}

// String writes the selector back as PromQL.
func (s Selector) String() string {
	if s.Matchers == "" {
		if s.Metric == "" {
			return "{}"
		}
		return s.Metric
	}
	return s.Metric + "{" + s.Matchers + "}"
}

// promqlWords are identifiers that are never metric names: aggregation
// modifiers, binary operators and literals.
var promqlWords = map[string]bool{
	"by": true, "without": true, "on": true, "ignoring": true, "group_left": true, "group_right": true,
	"bool": true, "and": true, "or": true, "unless": true, "offset": true, "atan2": true,
	"inf": true, "nan": true,
}

// labelListWords are followed by a parenthesised list of label names.
var labelListWords = map[string]bool{"by": true, "without": true, "on": true, "ignoring": true, "group_left": true, "group_right": true}

// Selectors lists the vector selectors of a PromQL expression, in order,
// without duplicates. It is a scanner, not a parser: it skips strings,
// comments, numbers, durations, function names and label lists, which is
// all it takes to find selectors in any expression Prometheus accepts.
func Selectors(q string) []Selector {
	var out []Selector
	seen := map[Selector]bool{}
	for _, sp := range selectorSpans(q) {
		s := Selector{Metric: sp.metric}
		if sp.open >= 0 {
			s.Matchers = strings.TrimSpace(q[sp.open+1 : min(sp.end, len(q)+1)-1])
		}
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// selectorSpan is where one vector selector sits in a query: q[start:end]
// is all of it; open is the index of its '{', or -1 for a bare metric
// name. An unterminated selector has end len(q)+1.
type selectorSpan struct {
	start, end int
	metric     string
	open       int
}

// selectorSpans finds every vector selector of q, in order: the one
// scanner behind Selectors and AddPromMatcher.
func selectorSpans(q string) []selectorSpan {
	var out []selectorSpan
	for i := 0; i < len(q); {
		c := q[i]
		switch {
		case c == '"' || c == '\'' || c == '`':
			i = skipString(q, i)
		case c == '#':
			for i < len(q) && q[i] != '\n' {
				i++
			}
		case c == '[':
			// Range or subquery: durations only.
			for i < len(q) && q[i] != ']' {
				i++
			}
			i++
		case c == '{':
			end := skipBraces(q, i)
			out = append(out, selectorSpan{start: i, end: end, open: i})
			i = end
		case isIdentStart(c):
			j := i + 1
			for j < len(q) && isIdentChar(q[j]) {
				j++
			}
			word := q[i:j]
			k := skipSpace(q, j)
			switch {
			case labelListWords[strings.ToLower(word)]:
				// by (le, service): names, not metrics.
				if k < len(q) && q[k] == '(' {
					for k < len(q) && q[k] != ')' {
						k++
					}
					j = k + 1
				}
			case promqlWords[strings.ToLower(word)]:
			case k < len(q) && q[k] == '(', isModifierAt(q, k):
				// A function or aggregation name ("sum by (le) (…)").
			case k < len(q) && q[k] == '{':
				end := skipBraces(q, k)
				out = append(out, selectorSpan{start: i, end: end, metric: word, open: k})
				j = end
			default:
				out = append(out, selectorSpan{start: i, end: j, metric: word, open: -1})
			}
			i = j
		case c >= '0' && c <= '9' || c == '.':
			// A number or a duration (1e3, 0x1f, 5m): never a name.
			for i < len(q) && (isIdentChar(q[i]) || q[i] == '.') {
				i++
			}
		default:
			i++
		}
	}
	return out
}

// ExemplarQuery is the expression to ask Prometheus's exemplar API for a
// graph's query. Exemplars belong to raw series, so for
// histogram_quantile(…) over a histogram it asks for the _bucket series
// inside, with their matchers, as Grafana does: the quantile is computed,
// the exemplars were observed in the buckets. Any other query is passed as
// is (Prometheus then extracts its selectors itself).
func ExemplarQuery(q string) string {
	if !strings.Contains(q, "histogram_quantile") {
		return q
	}
	var parts []string
	for _, s := range Selectors(q) {
		if strings.HasSuffix(s.Metric, "_bucket") {
			parts = append(parts, s.String())
		}
	}
	if len(parts) == 0 {
		return q
	}
	return strings.Join(parts, " or ")
}

// isModifierAt reports whether an aggregation modifier (by, without)
// starts at i.
func isModifierAt(q string, i int) bool {
	for _, w := range []string{"by", "without"} {
		if len(q) >= i+len(w) && strings.EqualFold(q[i:i+len(w)], w) {
			k := skipSpace(q, i+len(w))
			if k < len(q) && q[k] == '(' {
				return true
			}
		}
	}
	return false
}

func skipSpace(q string, i int) int {
	for i < len(q) && (q[i] == ' ' || q[i] == '\t' || q[i] == '\n' || q[i] == '\r') {
		i++
	}
	return i
}

// skipString returns the index after the string literal starting at i.
func skipString(q string, i int) int {
	quote := q[i]
	for i++; i < len(q); i++ {
		if q[i] == '\\' && quote != '`' {
			i++
			continue
		}
		if q[i] == quote {
			return i + 1
		}
	}
	return len(q)
}

// skipBraces returns the index after the '}' closing the '{' at i, skipping
// strings that may hold braces.
func skipBraces(q string, i int) int {
	for i++; i < len(q); {
		switch q[i] {
		case '"', '\'', '`':
			i = skipString(q, i)
		case '}':
			return i + 1
		default:
			i++
		}
	}
	return len(q) + 1 // unterminated: the caller slices to len(q)
}

func isIdentStart(c byte) bool {
	return c == '_' || c == ':' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func isIdentChar(c byte) bool { return isIdentStart(c) || c >= '0' && c <= '9' }

// PromLabelValue escapes a value for a double-quoted PromQL label matcher.
func PromLabelValue(s string) string {
	return promEscaper.Replace(s)
}

// promEscaper writes the escapes PromQL's double-quoted strings read (Go's):
// a raw newline would end the query's string with an error.
var promEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\r", `\r`, "\t", `\t`)

// DefaultREDQueries are the "metrics for this service" graphs: duration,
// rate and errors of the demo's HTTP histogram, $service standing for the
// service.
var DefaultREDQueries = []string{
	`histogram_quantile(0.99, sum by (le, route) (rate(http_server_request_duration_seconds_bucket{service="$service"}[1m])))`,
	`sum by (route) (rate(http_server_request_duration_seconds_count{service="$service"}[1m]))`,
	`sum by (route) (rate(http_server_request_duration_seconds_count{service="$service", status=~"5.."}[1m]))`,
}

// REDQueries are the RED query templates (DefaultREDQueries when none are
// configured) for one service: $service replaced, escaped for a PromQL
// string.
func REDQueries(templates []string, service string) []string {
	if len(templates) == 0 {
		templates = DefaultREDQueries
	}
	out := make([]string, len(templates))
	for i, t := range templates {
		out[i] = strings.ReplaceAll(t, "$service", PromLabelValue(service))
	}
	return out
}
