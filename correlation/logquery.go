package correlation

import (
	"encoding/base64"
	"encoding/hex"
	"errors"
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
// ${span_id} when it has one, else with a line filter on the span ID.
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
	q := strings.ReplaceAll(tmpl, "${trace_id}", id)
	if spanID == "" {
		// A template that names the span has nothing to filter on.
		if strings.Contains(q, "${span_id}") {
			q = removeSpanStage(q)
		}
		return q, nil
	}
	sid, err := datasources.ParseSpanID(spanID)
	if err != nil {
		return "", err
	}
	if strings.Contains(q, "${span_id}") {
		return strings.ReplaceAll(q, "${span_id}", sid), nil
	}
	if strings.Contains(q, `| trace_id="`) {
		return q + ` | span_id="` + sid + `"`, nil
	}
	return q + ` |= "` + sid + `"`, nil
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
	return "sum by (level) (count_over_time(" + strings.TrimSpace(q) + " [" + promDuration(step) + "]))"
}

func promDuration(d time.Duration) string {
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

// StreamSelector is the exact selector of one stream, for "show context".
func StreamSelector(labels map[string]string) string {
	keys := make([]string, 0, len(labels))
	for k := range labels {
		if validLabelName(k) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(k)
		b.WriteString(`="`)
		b.WriteString(EscapeLogQLString(labels[k]))
		b.WriteByte('"')
	}
	b.WriteByte('}')
	return b.String()
}

// EscapeLogQLString escapes a value for a double-quoted LogQL string.
func EscapeLogQLString(s string) string { return logqlEscaper.Replace(s) }

var logqlEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\r", `\r`, "\t", `\t`)

func validLabelName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

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

// TraceLogWindow is the window to search a trace's logs in: the trace's own
// span, padded, since services log just before a span is recorded as
// started (queueing) and after it ends (flushing, retries).
func TraceLogWindow(startNs, endNs int64, pad time.Duration) (time.Time, time.Time) {
	return time.Unix(0, startNs).Add(-pad), time.Unix(0, endNs).Add(pad)
}

// LabelFilterName returns the name a "| name=" label filter on the trace
// ID uses in q, or "" when q finds the ID with a line filter.
func LabelFilterName(q, traceID string) string {
	i := strings.Index(q, `="`+traceID+`"`)
	if i < 0 {
		return ""
	}
	j := i
	for j > 0 && validLabelName(q[j-1:i]) {
		j--
	}
	name := q[j:i]
	before := strings.TrimRight(q[:j], " ")
	if !strings.HasSuffix(before, "|") && !strings.HasSuffix(before, ",") && !strings.HasSuffix(before, "{") && !strings.HasSuffix(before, "and") {
		return ""
	}
	return name
}

// IsLabelName reports whether s may be used as a label name in LogQL.
func IsLabelName(s string) bool { return validLabelName(s) }
