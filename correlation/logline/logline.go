package logline

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"github.com/ariadne-dev/ariadne/correlation/text"
	"github.com/ariadne-dev/ariadne/datasources"
)

// Log lines are untrusted text. Templates escape HTML; what is left to do
// here is what escaping does not cover: terminal escape sequences (a
// line's colours, or a sequence meant to hide or move text in a terminal)
// and characters that change how text reads without being seen
// (text.Visible).

// CleanLine returns s as inert, valid UTF-8 text: ANSI/VT escape sequences
// removed (colour codes are the common case: the line reads as its text),
// then every other invisible control or format character shown, not
// obeyed (text.Visible: ␀, ⟨U+202E⟩, U+FFFD for invalid bytes). It returns
// s itself, without allocating, when there is nothing to change.
func CleanLine(s string) string {
	if text.IsVisible(s) {
		return s // the usual line, looked at once
	}
	if strings.IndexByte(s, 0x1b) >= 0 {
		var b strings.Builder
		b.Grow(len(s))
		for i := 0; i < len(s); {
			if s[i] == 0x1b {
				i = skipEscape(s, i)
				continue
			}
			j := strings.IndexByte(s[i:], 0x1b)
			if j < 0 {
				j = len(s) - i
			}
			b.WriteString(s[i : i+j])
			i += j
		}
		s = b.String()
	}
	return text.Visible(s)
}

// skipEscape returns the index after the escape sequence starting at i:
// CSI (ESC [ … final byte), OSC (ESC ] … BEL or ESC \), or a two-byte
// sequence.
func skipEscape(s string, i int) int {
	i++ // ESC
	if i >= len(s) {
		return i
	}
	switch s[i] {
	case '[':
		for i++; i < len(s); i++ {
			if s[i] >= 0x40 && s[i] <= 0x7e {
				return i + 1
			}
		}
		return i
	case ']':
		for i++; i < len(s); i++ {
			if s[i] == 0x07 {
				return i + 1
			}
			if s[i] == 0x1b && i+1 < len(s) && s[i+1] == '\\' {
				return i + 2
			}
		}
		return i
	}
	return i + 1
}

// Field is one key and value parsed out of a line.
type Field struct{ Key, Value string }

// ParseFields reads a JSON object line (nested keys joined with "_", as
// Loki's json parser does) or a logfmt line. It returns nil for plain
// text. Keys come out sorted.
func ParseFields(line string) []Field {
	return AppendFields(nil, line)
}

// AppendFields is ParseFields appending to dst[:0]: a page of lines parses
// each into the same scratch slice when the fields do not outlive the
// row. It returns nil for plain text.
func AppendFields(dst []Field, line string) []Field {
	out := AppendFieldsUnsorted(dst, line)
	SortFields(out)
	return out
}

// AppendFieldsUnsorted is AppendFields with the fields in no order to rely
// on (the line's own, mostly): for a caller that sorts only the fields it
// shows (SortFields).
func AppendFieldsUnsorted(dst []Field, line string) []Field {
	return AppendLineFields(dst, line).Fields
}

// LineFields are a line's fields, unsorted (AppendFieldsUnsorted), and
// what the derived-field rules may read from them rather than from the
// line's text again (Deriver.AppendExtractFrom).
type LineFields struct {
	Fields []Field
	line   string    // read from
	flat   bool      // by flatJSON, with plain
	plain  jsonPlain // which of Fields are written as they read
}

// AppendLineFields is AppendFieldsUnsorted's fields, as LineFields.
func AppendLineFields(dst []Field, line string) LineFields {
	t := strings.TrimSpace(line)
	var out []Field
	if strings.HasPrefix(t, "{") {
		if out, plain, ok := flatJSONPlain(dst[:0], t); ok {
			return LineFields{Fields: out, line: line, flat: true, plain: plain}
		}
		var m map[string]any
		if json.Unmarshal([]byte(t), &m) != nil {
			return LineFields{}
		}
		out = flattenJSON(dst[:0], "", m)
	} else {
		out = parseLogfmt(dst[:0], t)
	}
	if len(out) == 0 {
		return LineFields{}
	}
	return LineFields{Fields: out, line: line}
}

// SortFields sorts fields by key, keeping the order of a key given twice.
func SortFields(f []Field) { sortFields(f) }

func sortFields(f []Field) {
	if len(f) > 16 {
		slices.SortStableFunc(f, func(a, b Field) int { return strings.Compare(a.Key, b.Key) })
		return
	}
	// A line's dozen fields, sorted for every row of a page: insertion,
	// comparing in place, costs half of SortFunc's call a comparison.
	for i := 1; i < len(f); i++ {
		for j := i; j > 0 && keyLess(f[j].Key, f[j-1].Key); j-- {
			f[j], f[j-1] = f[j-1], f[j]
		}
	}
}

// keyLess is a < b, by their first bytes when those differ, as a line's
// keys mostly do, before calling on the runtime's comparison.
func keyLess(a, b string) bool {
	if a != "" && b != "" && a[0] != b[0] {
		return a[0] < b[0]
	}
	return a < b
}

func flattenJSON(out []Field, prefix string, m map[string]any) []Field {
	for k, v := range m {
		key := k
		if prefix != "" {
			key = prefix + "_" + k
		}
		switch x := v.(type) {
		case map[string]any:
			out = flattenJSON(out, key, x)
		case string:
			out = append(out, Field{key, x})
		case float64:
			out = append(out, Field{key, strconv.FormatFloat(x, 'f', -1, 64)})
		case bool:
			out = append(out, Field{key, strconv.FormatBool(x)})
		case nil:
			out = append(out, Field{key, "null"})
		default: // arrays: shown as JSON
			b, _ := json.Marshal(x)
			out = append(out, Field{key, string(b)})
		}
	}
	return out
}

// parseLogfmt reads key=value pairs (values bare or double-quoted). A line
// counts as logfmt only when most of its words are pairs, so prose with
// one "a=b" in it stays plain text.
func parseLogfmt(out []Field, s string) []Field {
	words := 0
	for i := 0; i < len(s); {
		for i < len(s) && s[i] == ' ' {
			i++
		}
		if i >= len(s) {
			break
		}
		words++
		start := i
		for i < len(s) && s[i] != '=' && s[i] != ' ' {
			i++
		}
		if i >= len(s) || s[i] != '=' || i == start {
			for i < len(s) && s[i] != ' ' {
				i++
			}
			continue
		}
		key := s[start:i]
		i++
		var val string
		if i < len(s) && s[i] == '"' {
			j := i + 1
			for j < len(s) && s[j] != '"' {
				if s[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(s) {
				val = s[i+1:] // a quote never closed: the rest of the line
			} else if u, err := strconv.Unquote(s[i : j+1]); err == nil {
				val = u
			} else {
				val = s[i+1 : j]
			}
			i = j + 1
		} else {
			vs := i
			for i < len(s) && s[i] != ' ' {
				i++
			}
			val = s[vs:i]
		}
		out = append(out, Field{key, val})
	}
	if len(out) == 0 || len(out)*2 < words+1 {
		return nil
	}
	return out
}

// LineLevel is the severity of a line, lower-case: from the level label,
// then detected_level, then the level field of the line itself.
func LineLevel(l *datasources.LogLine) string { return LevelOf(l, StreamLevelsOf(l.Labels), nil) }

// levelKeys are the labels and metadata a line's level is read from, in
// preference order.
var levelKeys = [...]string{"level", "detected_level", "severity"}

// StreamLevels are a stream's labels of levelKeys, looked up once for
// all its lines.
type StreamLevels [len(levelKeys)]string

// StreamLevelsOf are the level labels among a stream's labels.
func StreamLevelsOf(labels map[string]string) StreamLevels {
	var s StreamLevels
	for i, k := range levelKeys {
		s[i] = labels[k]
	}
	return s
}

// LevelOf is LineLevel of a line of a stream whose level labels a page
// has looked up already, and whose own fields it has parsed, in any order
// (AppendFieldsUnsorted of the cleaned line; nil when it has not): the
// line's level field is read from them rather than searched for again.
func LevelOf(l *datasources.LogLine, stream StreamLevels, fields []Field) string {
	for i, k := range levelKeys {
		v := stream[i]
		if v == "" && len(l.StructuredMetadata) > 0 {
			v = l.StructuredMetadata[k]
		}
		if v == "" && len(l.Parsed) > 0 {
			v = l.Parsed[k]
		}
		if v != "" {
			return NormalizeLevel(v)
		}
	}
	for _, f := range fields {
		if f.Key == "level" && f.Value != "" {
			return NormalizeLevel(f.Value)
		}
	}
	if v := jsonStringField(l.Line, &levelKey); v != "" {
		return NormalizeLevel(v)
	}
	if i := strings.Index(l.Line, "level="); i >= 0 && (i == 0 || l.Line[i-1] == ' ') {
		v := l.Line[i+len("level="):]
		if j := strings.IndexAny(v, " \t"); j >= 0 {
			v = v[:j]
		}
		return NormalizeLevel(strings.Trim(v, `"`))
	}
	return ""
}

// NormalizeLevel maps the usual spellings to error, warn, info, debug,
// trace (or returns the input lower-cased).
func NormalizeLevel(v string) string {
	v = strings.ToLower(v)
	switch v {
	case "err", "error", "fatal", "critical", "crit", "panic", "emerg", "alert":
		return "error"
	case "warn", "warning":
		return "warn"
	case "info", "information", "notice":
		return "info"
	case "debug", "dbug":
		return "debug"
	case "trace":
		return "trace"
	}
	return v
}

// LineService is the service a line came from, from the usual labels.
func LineService(l *datasources.LogLine) string {
	for _, k := range []string{"service_name", "service", "app", "job", "container"} {
		if v := l.Labels[k]; v != "" {
			return v
		}
	}
	return ""
}

// The keys jsonStringField reads from every line of a page, made once.
var levelKey, spanIDKey = newLiteral(`"level":`), newLiteral(`"span_id":`)

// jsonStringField finds "key":"value" at the top of a JSON line without
// decoding it: the level of every line is wanted, its fields only when
// a line is opened. pat is the key quoted with its colon, "key":.
func jsonStringField(line string, pat *literal) string {
	if len(line) == 0 || line[0] != '{' {
		return ""
	}
	i := pat.index(line, 0)
	if i < 0 {
		return ""
	}
	v := strings.TrimLeft(line[i+len(pat.s):], " ")
	if len(v) == 0 || v[0] != '"' {
		return ""
	}
	end := strings.IndexByte(v[1:], '"')
	if end < 0 {
		return ""
	}
	return v[1 : end+1]
}

// LineSpanID is the span a line says it belongs to: span_id (or spanID) in
// structured metadata, parsed labels, or the line's JSON or logfmt.
func LineSpanID(l *datasources.LogLine) string {
	for _, k := range []string{"span_id", "spanID", "spanId"} {
		for _, m := range []map[string]string{l.StructuredMetadata, l.Parsed, l.Labels} {
			if v := m[k]; v != "" {
				if id, err := datasources.ParseSpanID(v); err == nil {
					return id
				}
			}
		}
	}
	v := jsonStringField(l.Line, &spanIDKey)
	if v == "" {
		if i := strings.Index(l.Line, "span_id="); i >= 0 && (i == 0 || l.Line[i-1] == ' ') {
			v = l.Line[i+len("span_id="):]
			if j := strings.IndexAny(v, " \t\""); j >= 0 {
				v = v[:j]
			}
		}
	}
	if len(v) == 16 {
		if id, err := datasources.ParseSpanID(v); err == nil {
			return id
		}
	}
	return ""
}
