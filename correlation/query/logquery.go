package query

import (
	"encoding/base64"
	"encoding/hex"
	"errors"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/ariadne-dev/ariadne/datasources"
)

// Trace log query templates. ${trace_id} and ${span_id} are replaced by
// validated hex IDs, so nothing a URL carries can change the query's shape.
const (
	// DefaultTraceLogQuery finds a trace's lines in every service by a
	// line filter: it works whether the ID sits in JSON, logfmt or text.
	DefaultTraceLogQuery = `{service_name=~".+"} |= "${trace_id}"`
	// LabelTraceLogQuery is for setups that keep trace_id as structured
	// metadata (or a parsed label): faster, but exact about the name.
	LabelTraceLogQuery = `{service_name=~".+"} | trace_id="${trace_id}"`
)

// ErrTemplateNoTraceID is returned for a template that does not use the ID.
var ErrTemplateNoTraceID = errors.New("the trace log query template must contain ${trace_id}")

// TraceLogQuery builds the LogQL for one trace (and span, when spanID is
// not empty) from tmpl (DefaultTraceLogQuery when empty). The IDs must be
// hex: they are parsed here, and anything else is refused, so a crafted
// trace_id cannot inject LogQL. A span is narrowed with the template's
// ${span_id} when it has one, else with a line filter on the span ID (a
// label filter when the template filters on trace_id by label).
//
// A 64-bit trace ID (high half zero) may be logged in its 16-character form
// or padded to 32, so the query accepts both: see substituteTraceID. Any
// other ID is written as its 32 characters, as it always was.
func TraceLogQuery(tmpl, traceID, spanID string) (string, error) {
	if tmpl == "" {
		tmpl = DefaultTraceLogQuery
	}
	if !strings.Contains(tmpl, "${trace_id}") {
		return "", ErrTemplateNoTraceID
	}
	id, err := datasources.ParseTraceID(traceID)
	if err != nil {
		return "", err
	}
	sid := ""
	if spanID != "" {
		if sid, err = datasources.ParseSpanID(spanID); err != nil {
			return "", err
		}
	}
	low := ""
	if strings.HasPrefix(id, zeroHigh) {
		low = id[16:]
	}
	return substituteTraceID(narrowToSpan(tmpl, sid), id, low), nil
}

// TraceLogQueryForm is the query TraceLogQuery builds, with the trace ID
// written as form instead (one of AlternateIDForms, or the padded ID
// alone) and never widened: the "written in another form?" check asks
// exactly for that form. A form holds only hex, dashes and base64's
// characters; anything else is refused.
func TraceLogQueryForm(tmpl, form, spanID string) (string, error) {
	if tmpl == "" {
		tmpl = DefaultTraceLogQuery
	}
	if !strings.Contains(tmpl, "${trace_id}") {
		return "", ErrTemplateNoTraceID
	}
	// Written into the query's text, so checked like an ID is.
	if form == "" || strings.ContainsFunc(form, func(r rune) bool {
		return !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '+' || r == '/' || r == '=' || r == '-')
	}) {
		return "", errors.New("a trace ID form holds only hex, dashes and base64 characters")
	}
	sid := ""
	if spanID != "" {
		var err error
		if sid, err = datasources.ParseSpanID(spanID); err != nil {
			return "", err
		}
	}
	return substituteTraceID(narrowToSpan(tmpl, sid), form, ""), nil
}

// narrowToSpan fills or drops the template's ${span_id}, or appends a
// filter on sid. Span IDs are always 16 hex, so they are matched exactly.
// The decision is made on the template: a 64-bit trace ID rewrites
// trace_id="…" into trace_id=~"…", so the substituted text no longer says
// how the template finds the trace.
func narrowToSpan(tmpl, sid string) string {
	hasSpan := strings.Contains(tmpl, "${span_id}")
	switch {
	case sid == "" && hasSpan:
		// A template that names the span has nothing to filter on.
		return removeSpanStage(tmpl)
	case sid == "":
		return tmpl
	case hasSpan:
		return strings.ReplaceAll(tmpl, "${span_id}", sid)
	case strings.Contains(tmpl, `| trace_id="`):
		return tmpl + ` | span_id="` + sid + `"`
	}
	return tmpl + ` |= "` + sid + `"`
}

// zeroHigh is the high half of a 64-bit trace ID padded to 128 bits.
const zeroHigh = "0000000000000000"

// Regex pieces for a 64-bit ID. hexBefore and hexAfter stand for the ends
// of an ID: a line whose only match is the low half of a longer hex string
// (another trace's 32-character ID ending the same) is not this trace's.
// RE2 has no look-behind, so the boundary consumes the character before.
const (
	hexBefore = `(^|[^0-9a-fA-F])`
	hexAfter  = `([^0-9a-fA-F]|$)`
)

// substituteTraceID writes value for each ${trace_id} in q, in the way
// each place needs. With low empty, value is written as it is (escaped
// for a regex where the place is one), which for a 32-hex ID is exactly
// the plain text substitution of before. With low set (a 64-bit ID whose
// padded form is value), a place finds both forms:
//
//   - line filter |= "S": the cheap substring filter on the 16-character
//     form (which the padded form contains), then a regex of S that
//     accepts either form as a whole ID and drops a longer hex string that
//     merely contains it: |= "<low>" |~ "<S as a regex>";
//   - line filter |~ "S": the ID becomes (0000000000000000)?<low>, bounded
//     like above where it begins or ends S;
//   - label matcher or filter name="S": name=~"S as a regex", the ID as
//     (0000000000000000)?<low>; LogQL anchors =~, so that is both forms
//     and nothing else;
//   - label regex name=~"S": the ID as (0000000000000000)?<low>;
//   - one alternative of Loki 3's |= "a" or "S": the 16-character form
//     where the ID begins S (it still finds both, but cannot be guarded),
//     else value;
//   - anything else (!=, !~, arguments of label_format and other stages,
//     the placeholder outside a string): value, as before.
func substituteTraceID(q, value, low string) string {
	const ph = "${trace_id}"
	var b strings.Builder
	toks := lexLogQL(q)
	at := 0 // q[:at] is written
	plain := func(end int) {
		b.WriteString(strings.ReplaceAll(q[at:end], ph, value))
		at = end
	}
	for i, t := range toks {
		if t.kind != tokString || !strings.Contains(t.text, ph) {
			continue
		}
		ctx, from := placeOf(toks, i)
		quote, body := t.text[:1], t.text[1:len(t.text)-1]
		parts := strings.Split(body, ph)
		if low == "" || ctx == ctxOther {
			plain(t.start)
			v := value
			if ctx == ctxLineRegex || ctx == ctxLabelRegex {
				v = regexp.QuoteMeta(v)
			}
			b.WriteString(quote + strings.Join(parts, escapeIn(quote, v)) + quote)
			at = t.end
			continue
		}
		group := "(" + zeroHigh + ")?" + low
		switch ctx {
		case ctxLineContains, ctxLabelEqual:
			lits, ok := unquoteParts(quote, parts)
			if !ok {
				// Not a string LogQL would accept: leave it as before.
				plain(t.end)
				continue
			}
			re := make([]string, len(lits))
			for j, l := range lits {
				re[j] = regexp.QuoteMeta(l)
			}
			plain(toks[from].start)
			if ctx == ctxLineContains {
				b.WriteString(`|= "` + low + `" |~ "` + EscapeLogQLString(boundedJoin(re, group)) + `"`)
			} else {
				// name="S" becomes name=~"S as a regex"; what sits between
				// the operator and the string (spaces) is kept.
				b.WriteString("=~" + q[toks[from].end:t.start] + `"` + EscapeLogQLString(strings.Join(re, group)) + `"`)
			}
		case ctxLineRegex:
			plain(t.start)
			b.WriteString(quote + boundedJoin(parts, group) + quote)
		case ctxChainContains:
			// No guard can follow one alternative: the 16-character form
			// still finds both when it begins the string, else as before.
			plain(t.start)
			v := value
			if parts[0] == "" {
				v = low
			}
			b.WriteString(quote + strings.Join(parts, v) + quote)
		case ctxLabelRegex:
			plain(t.start)
			b.WriteString(quote + strings.Join(parts, group) + quote)
		}
		at = t.end
	}
	plain(len(q))
	return b.String()
}

// boundedJoin joins regex parts with the ID's regex, bounded by hexBefore
// where the ID begins the regex and by hexAfter where it ends it.
func boundedJoin(parts []string, id string) string {
	s := strings.Join(parts, id)
	if parts[0] == "" {
		s = hexBefore + s
	}
	if parts[len(parts)-1] == "" {
		s += hexAfter
	}
	return s
}

// escapeIn escapes s for a LogQL string opened by quote: a backquoted
// string takes its text raw.
func escapeIn(quote, s string) string {
	if quote == "`" {
		return s
	}
	return EscapeLogQLString(s)
}

// unquoteParts decodes the pieces of a string's body around the
// placeholder (which holds no escape, so no escape spans a cut).
func unquoteParts(quote string, parts []string) ([]string, bool) {
	if quote == "`" {
		return parts, true
	}
	out := make([]string, len(parts))
	for i, p := range parts {
		s, err := strconv.Unquote(`"` + p + `"`)
		if err != nil {
			return nil, false
		}
		out[i] = s
	}
	return out, true
}

// idPlace is where a string holding ${trace_id} sits in a query.
type idPlace int

const (
	ctxOther         idPlace = iota
	ctxLineContains          // |= "…"
	ctxLineRegex             // |~ "…"
	ctxChainContains         // |= "a" or "…"
	ctxLabelEqual            // name="…" or name=="…", in a selector or a label filter
	ctxLabelRegex            // name=~"…"
)

// placeOf says where string token i sits, and which token starts what a
// rewrite replaces (the operator before it).
func placeOf(toks []token, i int) (idPlace, int) {
	isOr := func(k int) bool { return k >= 0 && k < len(toks) && toks[k].kind == tokWord && toks[k].text == "or" }
	// Loki 3 chains line filters: |= "a" or "b". Find the chain's operator.
	k := i - 1
	for isOr(k) && k >= 2 && toks[k-1].kind == tokString {
		k -= 2
	}
	if k < 0 || toks[k].kind != tokOp {
		return ctxOther, i
	}
	op := toks[k].text
	switch {
	case op == "|=" && (k != i-1 || isOr(i+1)):
		// One alternative cannot become two stages.
		return ctxChainContains, i
	case op == "|=":
		return ctxLineContains, i - 1
	case op == "|~":
		return ctxLineRegex, i
	case k != i-1:
		return ctxOther, i
	}
	// A label matcher; "or" after it joins label filters, not line filters.
	if i < 2 || toks[i-2].kind != tokWord || !datasources.IsLabelName(toks[i-2].text) || !inLabelFilter(toks, i-2) {
		return ctxOther, i
	}
	switch op {
	case "=", "==":
		return ctxLabelEqual, i - 1
	case "=~":
		return ctxLabelRegex, i - 1
	}
	return ctxOther, i
}

// nonFilterStages take name="…" arguments that are not label matchers
// (templates, JSON paths, labels to drop), so they are left alone.
var nonFilterStages = map[string]bool{"label_format": true, "line_format": true, "drop": true, "keep": true,
	"json": true, "logfmt": true, "regexp": true, "pattern": true, "unpack": true}

// inLabelFilter reports whether the name at token n is a matcher of the
// stream selector or of a label filter stage, not an argument of another
// stage.
func inLabelFilter(toks []token, n int) bool {
	for k := n - 1; k >= 0; k-- {
		if toks[k].kind == tokOp && toks[k].text == "|" {
			w := toks[k+1]
			return k+1 == n || w.kind != tokWord || !nonFilterStages[w.text]
		}
	}
	return true
}

type tokenKind int

const (
	tokString tokenKind = iota // "…" or `…`, quotes included
	tokWord                    // a name, keyword or number
	tokOp                      // an operator or punctuation
)

type token struct {
	kind       tokenKind
	text       string
	start, end int
}

// lexLogQL splits a query into strings, words and operators: just enough
// to tell the context of a string. An unterminated string runs to the end.
func lexLogQL(q string) []token {
	var toks []token
	isWord := func(c byte) bool {
		return c == '_' || c == '.' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
	}
	for i := 0; i < len(q); {
		c := q[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '"' || c == '`':
			j := i + 1
			for j < len(q) && q[j] != c {
				if c == '"' && q[j] == '\\' {
					j++
				}
				j++
			}
			end := min(j+1, len(q))
			if j >= len(q) {
				// Unterminated: not a string to rewrite.
				toks = append(toks, token{tokOp, q[i:], i, len(q)})
				return toks
			}
			toks = append(toks, token{tokString, q[i:end], i, end})
			i = end
		case isWord(c):
			j := i
			for j < len(q) && isWord(q[j]) {
				j++
			}
			toks = append(toks, token{tokWord, q[i:j], i, j})
			i = j
		default:
			n := 1
			if i+1 < len(q) {
				switch q[i : i+2] {
				case "|=", "|~", "!=", "!~", "=~", "==", ">=", "<=":
					n = 2
				}
			}
			toks = append(toks, token{tokOp, q[i : i+n], i, i + n})
			i += n
		}
	}
	return toks
}

// removeSpanStage drops the pipeline stage that mentions ${span_id}.
func removeSpanStage(q string) string {
	i := strings.Index(q, "${span_id}")
	start := strings.LastIndex(q[:i], "|")
	if start < 0 {
		return strings.ReplaceAll(q, "${span_id}", "")
	}
	end := strings.Index(q[i:], "|")
	if end < 0 {
		return strings.TrimRight(q[:start], " ")
	}
	return q[:start] + q[i+end:]
}

// IsLogQuery reports whether q is a log query (a selector and pipeline)
// rather than a metric query; only log queries get a volume histogram.
func IsLogQuery(q string) bool {
	return strings.HasPrefix(strings.TrimSpace(q), "{")
}

// VolumeQuery is the metric query behind a page's histogram: lines per
// step of q, by level (a line without a level label counts under "").
func VolumeQuery(q string, step time.Duration) string {
	return "sum by (level) (count_over_time(" + strings.TrimSpace(q) + " [" + PromDuration(step) + "]))"
}

// PromDuration writes d in the largest exact unit of PromQL's and LogQL's
// duration syntax (90s, not 1m30s), as a range or a step is typed.
func PromDuration(d time.Duration) string {
	switch {
	case d >= time.Hour && d%time.Hour == 0:
		return strconv.FormatInt(int64(d/time.Hour), 10) + "h"
	case d >= time.Minute && d%time.Minute == 0:
		return strconv.FormatInt(int64(d/time.Minute), 10) + "m"
	case d >= time.Second && d%time.Second == 0:
		return strconv.FormatInt(int64(d/time.Second), 10) + "s"
	}
	return strconv.FormatInt(max(1, d.Milliseconds()), 10) + "ms"
}

// StreamSelector is the exact selector of one stream, for "show context":
// its labels (those with valid names) as datasources.FormatLabels writes them.
func StreamSelector(labels map[string]string) string {
	valid := make(map[string]string, len(labels))
	for k, v := range labels {
		if datasources.IsLabelName(k) {
			valid[k] = v
		}
	}
	return datasources.FormatLabels(valid)
}

// EscapeLogQLString escapes a value for a double-quoted LogQL string.
func EscapeLogQLString(s string) string { return logqlEscaper.Replace(s) }

var logqlEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\r", `\r`, "\t", `\t`)

// IDForm is one other way a trace ID may have been written in logs.
type IDForm struct {
	Name  string // "with dashes", "upper case", "base64", "64-bit"
	Value string
}

// AlternateIDForms lists the forms of a 32-hex trace ID that loggers use
// when they do not write W3C's lower-case hex: a UUID with dashes, upper
// case, base64 of the 16 bytes (OTLP JSON), and the low 64 bits alone
// (when the high half is zero, as in Jaeger/Zipkin 64-bit IDs).
func AlternateIDForms(id string) []IDForm {
	if len(id) != 32 {
		return nil
	}
	raw, err := hex.DecodeString(id)
	if err != nil {
		return nil
	}
	forms := []IDForm{
		{"with dashes", id[:8] + "-" + id[8:12] + "-" + id[12:16] + "-" + id[16:20] + "-" + id[20:]},
		{"upper case", strings.ToUpper(id)},
		{"base64", base64.StdEncoding.EncodeToString(raw)},
	}
	if strings.HasPrefix(id, "0000000000000000") {
		forms = append(forms, IDForm{"64-bit", id[16:]})
	}
	return forms
}

// CloseNames returns the names in have that look like want: the same
// letters ignoring case and separators, or one containing the other, or
// within two edits. Used to say "no trace_id here, but traceId exists".
func CloseNames(want string, have []string) []string {
	norm := func(s string) string {
		return strings.NewReplacer("_", "", "-", "", ".", "").Replace(strings.ToLower(s))
	}
	w := norm(want)
	var out []string
	seen := map[string]bool{}
	for _, h := range have {
		if h == want || seen[h] {
			continue
		}
		n := norm(h)
		if n == w || strings.Contains(n, w) || strings.Contains(w, n) && len(n) >= 4 || editDistance(n, w) <= 1 {
			out = append(out, h)
			seen[h] = true
		}
	}
	sort.Strings(out)
	return out
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// LabelFilterName returns the name a "| name=" label filter (or a
// selector's matcher) on the trace ID uses in q, or "" when q finds the ID
// with a line filter. It knows both shapes TraceLogQuery writes: name="<32
// hex>", and name=~"(0000000000000000)?<16 hex>" for a 64-bit ID.
func LabelFilterName(q, traceID string) string {
	i, j := labelFilterName(q, traceID)
	return q[i:j]
}

// RenameLabelFilter is q with the label filter LabelFilterName finds
// using the name to instead (q unchanged when it has none): the "use this
// close name" fix of an empty search.
func RenameLabelFilter(q, traceID, to string) string {
	i, j := labelFilterName(q, traceID)
	if i == j {
		return q
	}
	return q[:i] + to + q[j:]
}

// labelFilterName is where LabelFilterName's name sits in q (i == j: none).
func labelFilterName(q, traceID string) (int, int) {
	values := []string{`="` + traceID + `"`}
	if len(traceID) == 32 && strings.HasPrefix(traceID, zeroHigh) {
		values = append(values, `=~"(`+zeroHigh+`)?`+traceID[16:]+`"`)
	}
	for _, v := range values {
		i := strings.Index(q, v)
		if i < 0 {
			continue
		}
		j := i
		for j > 0 && datasources.IsLabelName(q[j-1:i]) {
			j--
		}
		before := strings.TrimRight(q[:j], " ")
		if j == i || !strings.HasSuffix(before, "|") && !strings.HasSuffix(before, ",") && !strings.HasSuffix(before, "{") && !strings.HasSuffix(before, "and") {
			continue
		}
		return j, i
	}
	return 0, 0
}

// IDFormQuery is q rewritten to look for the trace ID in one other form.
type IDFormQuery struct {
	IDForm
	Query string
}

// IDFormQueries rewrites q once per AlternateIDForms of traceID. A query
// that is the one tmpl builds for the trace is rebuilt with each form (a
// 64-bit ID's built query no longer holds the padded ID to replace, and
// already searches the 16-character form, which is then skipped); a
// user's own query has the ID replaced in it.
func IDFormQueries(tmpl, q, traceID, spanID string) []IDFormQuery {
	built, err := TraceLogQuery(tmpl, traceID, spanID)
	isBuilt := err == nil && built == q
	var out []IDFormQuery
	for _, f := range AlternateIDForms(traceID) {
		fq := strings.ReplaceAll(q, traceID, f.Value)
		if isBuilt {
			if f.Value == traceID[16:] {
				continue
			}
			if fq, err = TraceLogQueryForm(tmpl, f.Value, spanID); err != nil {
				continue
			}
		}
		out = append(out, IDFormQuery{IDForm: f, Query: fq})
	}
	return out
}
