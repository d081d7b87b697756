package views

import (
	"strings"

	"github.com/ariadne-dev/ariadne/correlation/logline"
	"github.com/ariadne-dev/ariadne/correlation/query"
)

// A structured line (JSON or logfmt) reads message first: what the line
// says, then what failed, then the fields worth a glance. The raw line is
// one click away, in the row's expanded view. Raw JSON cut at the width
// of a screen says `{"level":"info","msg":"chargi…` and nothing more.

// messageKeys name the field that says what happened, in preference order.
var messageKeys = []string{"msg", "message", "event"}

// errorKeys name the field that says what failed.
var errorKeys = []string{"error", "err", "exception", "error.message"}

// quiet says whether a key, in any case, is shown elsewhere on the row
// (level, service, time, the trace link) or is noise in a summary. It
// runs for every field of every line of a page: a switch on the key
// lower-cased on the stack, not a map of strings.ToLower's copies.
func quiet(key string) bool {
	var low [len("service_name")]byte
	if len(key) < 2 || len(key) > len(low) {
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
// appended to rest[:0] (the row shows them as k=v pairs); ok is false for
// a line without a message field.
func summary(rest, fields []logline.Field) (msg string, _ []logline.Field, ok bool) {
	get := func(keys []string) (string, string) {
		for _, k := range keys {
			for _, f := range fields {
				if f.Key == k && f.Value != "" {
					return k, f.Value
				}
			}
		}
		return "", ""
	}
	mk, m := get(messageKeys)
	if mk == "" {
		return "", rest[:0], false
	}
	ek, e := get(errorKeys)
	if ek != "" {
		m += " — " + e
	}
	rest = rest[:0]
	for _, f := range fields {
		if f.Key != mk && f.Key != ek && !quiet(f.Key) {
			rest = append(rest, f)
		}
	}
	return m, rest, true
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
