package views

import (
	"slices"
	"strings"

	"github.com/ariadne-dev/ariadne/correlation/logline"
	"github.com/ariadne-dev/ariadne/correlation/query"
)

// A structured line (JSON or logfmt) reads message first: what the line
// says, then what failed, then the fields worth a glance. The raw line is
// one click away, in the row's expanded view. Raw JSON cut at the width
// of a screen says `{"level":"info","msg":"chargi…` and nothing more.

// keyRank is a key's place among those that say what happened (msg,
// message, event: message) or what failed (error, err, exception,
// error.message: !message), in preference order; -1 for any other key.
func keyRank(key string) (rank int, message bool) {
	switch key {
	case "msg":
		return 0, true
	case "message":
		return 1, true
	case "event":
		return 2, true
	case "error":
		return 0, false
	case "err":
		return 1, false
	case "exception":
		return 2, false
	case "error.message":
		return 3, false
	}
	return -1, false
}

// quiet says whether a key, in any case, is shown elsewhere on the row
// (level, service, time, the trace link) or is noise in a summary. It
// runs for every field of every line of a page: a switch on the key
// lower-cased on the stack, not a map of strings.ToLower's copies.
func quiet(key string) bool {
	var low [len("service_name")]byte
	if len(key) < 2 || len(key) > len(low) {
		return false
	}
	switch key[0] | 0x20 { // the keys below start with one of these
	case 'c', 'l', 's', 't':
	default:
		return false
	}
	for i := 0; i < len(key); i++ {
		c := key[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		low[i] = c
	}
	switch string(low[:len(key)]) {
	case "level", "lvl", "severity", "time", "ts", "timestamp", "service", "service_name",
		"trace_id", "traceid", "span_id", "spanid", "caller":
		return true
	}
	return false
}

// summary is a structured line's message and the rest of its fields,
// sorted by key, appended to rest[:0] (the row shows them as k=v pairs);
// ok is false for a line without a message field. fields may come in any
// order (logline.AppendFieldsUnsorted): only those shown are sorted.
func summary(rest, fields []logline.Field) (msg string, _ []logline.Field, ok bool) {
	var l summaryLayout
	if !l.of(fields) {
		return "", rest[:0], false
	}
	msg, rest = l.apply(rest, fields)
	return msg, rest, true
}

// summaryLayout is where a line's summary comes from in its fields, by
// index: the message's field, what failed's (-1 for none), and the fields
// shown after them, in key order.
type summaryLayout struct {
	mi, ei int
	rest   []int32
}

// of lays fields out; false for a line without a message.
func (l *summaryLayout) of(fields []logline.Field) bool {
	// One pass: the message is the field of the best-ranked key that
	// has a value (the first such, for a key given twice), and so is
	// what failed.
	l.mi, l.ei = -1, -1
	mr, er := 0, 0
	for i, f := range fields {
		r, message := keyRank(f.Key)
		switch {
		case r < 0 || f.Value == "":
		case message && (l.mi < 0 || r < mr):
			l.mi, mr = i, r
		case !message && (l.ei < 0 || r < er):
			l.ei, er = i, r
		}
	}
	l.rest = l.rest[:0]
	if l.mi < 0 {
		return false
	}
	mk, ek := fields[l.mi].Key, ""
	if l.ei >= 0 {
		ek = fields[l.ei].Key
	}
	for i, f := range fields {
		if f.Key != mk && f.Key != ek && !quiet(f.Key) {
			l.rest = append(l.rest, int32(i))
		}
	}
	// Stable, as logline.SortFields: a key given twice keeps its order.
	slices.SortStableFunc(l.rest, func(a, b int32) int { return strings.Compare(fields[a].Key, fields[b].Key) })
	return true
}

// apply is the summary of fields laid out as l: its message, and its
// other fields appended to rest[:0].
func (l *summaryLayout) apply(rest, fields []logline.Field) (string, []logline.Field) {
	msg := fields[l.mi].Value
	if l.ei >= 0 {
		msg += " — " + fields[l.ei].Value
	}
	rest = rest[:0]
	for _, i := range l.rest {
		rest = append(rest, fields[i])
	}
	return msg, rest
}

// summaryShapes is summary for a run of lines, most of which (one
// logger's) have the same keys in the same order: their layout follows
// from the keys alone, and is found once. A line lays out as the last
// when its keys are the last's and every message or error key has a value
// in both (an empty one does not count, and would move the message).
type summaryShapes struct {
	keys   []string // the last laid-out line's, in its order
	ranked []int32  // its fields with message or error keys (keyRank)
	layout summaryLayout
	ok     bool // the last line had a message, and its layout is kept
}

func (s *summaryShapes) summary(rest, fields []logline.Field) (string, []logline.Field, bool) {
	if s.ok && s.same(fields) {
		msg, rest := s.layout.apply(rest, fields)
		return msg, rest, true
	}
	s.ok = false
	if !s.layout.of(fields) {
		return "", rest[:0], false
	}
	msg, rest := s.layout.apply(rest, fields)
	s.keys, s.ranked = s.keys[:0], s.ranked[:0]
	for i, f := range fields {
		s.keys = append(s.keys, f.Key)
		if r, _ := keyRank(f.Key); r >= 0 {
			if f.Value == "" {
				return msg, rest, true // not kept: its layout turns on values
			}
			s.ranked = append(s.ranked, int32(i))
		}
	}
	s.ok = true
	return msg, rest, true
}

// same says fields lay out as the last line did.
func (s *summaryShapes) same(fields []logline.Field) bool {
	if len(fields) != len(s.keys) {
		return false
	}
	for i := range fields {
		if fields[i].Key != s.keys[i] {
			return false
		}
	}
	for _, i := range s.ranked {
		if fields[i].Value == "" {
			return false
		}
	}
	return true
}

// The logs page narrows its query to a field's value through its own
// query form (LogsFormID): each value is a button submitting the form with
// where=<parser>:<key>=<value> (KV.Narrow is the parser), and the handler answers with the narrowed
// query (Narrowed). A link per value would carry the whole query and
// window in its URL, once per field of every line (most of a page's
// bytes).

// LogsFormID is the id of the logs page's query form.
const LogsFormID = "logq-form"

// Narrowed is q narrowed by a where= value: lines whose field key is
// value, by Loki's json (or logfmt) parser and a label filter
// (query.AddFieldFilter, which the field picker writes too). ok is false
// for a malformed value or a q that is not a log query.
func Narrowed(q, where string) (string, bool) {
	parser, kv, ok := strings.Cut(where, ":")
	key, value, ok2 := strings.Cut(kv, "=")
	if !ok || !ok2 || key == "" || (parser != "json" && parser != "logfmt") || !query.IsLogQuery(q) {
		return q, false
	}
	return query.AddFieldFilter(q, parser, key, value), true
}
