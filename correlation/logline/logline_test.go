package logline

import (
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/ariadne-dev/ariadne/datasources"
)

func TestCleanLine(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain text is kept", `GET /x 200 "ok"`, `GET /x 200 "ok"`},
		{"HTML is left for the template to escape", `<script>alert(1)</script>`, `<script>alert(1)</script>`},
		{"ANSI colours removed", "\x1b[31mERROR\x1b[0m disk full", "ERROR disk full"},
		{"OSC title removed", "\x1b]0;pwned\x07after", "after"},
		{"cursor movement removed", "a\x1b[2Jb\x1b[10;20Hc", "abc"},
		{"invalid UTF-8 replaced", "bad \xff\xfe byte", "bad \uFFFD\uFFFD byte"},
		{"carriage return shown", "progress\rdone", "progress\u240ddone"},
		{"NUL shown", "a\x00b", "a\u2400b"},
		{"C1 CSI shown", "a\u009b31mb", "a⟨U+009B⟩31mb"},
		{"right-to-left override shown", "file \u202Egpj.exe", "file ⟨U+202E⟩gpj.exe"},
		{"zero-width space shown", "user=ad\u200Bmin", "user=ad⟨U+200B⟩min"},
		{"tab and newline kept", "a\tb\nc", "a\tb\nc"},
		{"non-ASCII kept", "café ✓ 日本", "café ✓ 日本"},
	}
	for _, tt := range tests {
		if got := CleanLine(tt.in); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestParseFields(t *testing.T) {
	tests := []struct {
		name, line string
		want       []Field
	}{
		{"JSON, nested keys joined", `{"level":"error","msg":"charge failed","http":{"status":504},"ok":false,"tags":["a"]}`,
			[]Field{{"http_status", "504"}, {"level", "error"}, {"msg", "charge failed"}, {"ok", "false"}, {"tags", `["a"]`}}},
		{"logfmt with quotes", `level=warn msg="acquirer slow to respond" wait_ms=812`,
			[]Field{{"level", "warn"}, {"msg", "acquirer slow to respond"}, {"wait_ms", "812"}}},
		{"prose with one pair is text", `user logged in with role=admin after three tries`, nil},
		{"broken JSON is text", `{"level":`, nil},
		{"plain text", `hello world`, nil},
		// A quote left open takes the rest of the line; it used to
		// lose its last byte, or crash the page on `k="`.
		{"logfmt, a quote never closed", `level=warn msg="cut sho`, []Field{{"level", "warn"}, {"msg", "cut sho"}}},
		{"logfmt, a bare open quote", `0="`, []Field{{"0", ""}}},
	}
	for _, tt := range tests {
		if got := ParseFields(tt.line); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestLineLevelAndService(t *testing.T) {
	tests := []struct {
		line           datasources.LogLine
		level, service string
	}{
		{datasources.LogLine{Labels: map[string]string{"level": "ERROR", "service_name": "payments"}}, "error", "payments"},
		{datasources.LogLine{Labels: map[string]string{"job": "x"}, Line: `{"level":"warning","msg":"m"}`}, "warn", "x"},
		{datasources.LogLine{Labels: map[string]string{"app": "y"}, Line: `ts=1 level=debug msg=m`}, "debug", "y"},
		{datasources.LogLine{StructuredMetadata: map[string]string{"detected_level": "fatal"}}, "error", ""},
		{datasources.LogLine{Line: `no level here`}, "", ""},
	}
	for _, tt := range tests {
		if got := LineLevel(&tt.line); got != tt.level {
			t.Errorf("%+v: level %q, want %q", tt.line, got, tt.level)
		}
		if got := LineService(&tt.line); got != tt.service {
			t.Errorf("%+v: service %q, want %q", tt.line, got, tt.service)
		}
	}
}

// A page reads a line's level from the fields it parsed for the
// summary: the same level as searching the line, labels and metadata
// first, the line's own level field over one nested deeper, and the
// search still for a line whose fields have no level.
func TestLevelOfParsedFields(t *testing.T) {
	tests := []struct {
		line  datasources.LogLine
		level string
	}{
		{datasources.LogLine{Line: `{"level":"warning","msg":"m"}`}, "warn"},
		{datasources.LogLine{Line: `ts=1 level=debug msg=m`}, "debug"},
		{datasources.LogLine{Labels: map[string]string{"level": "ERROR"}, Line: `{"level":"info"}`}, "error"},
		{datasources.LogLine{StructuredMetadata: map[string]string{"detected_level": "fatal"}, Line: `level=info`}, "error"},
		{datasources.LogLine{Line: `{"ctx":{"level":"debug"},"level":"error"}`}, "error"},
		{datasources.LogLine{Line: `{"ctx":{"level":"debug"},"msg":"m"}`}, "debug"},
		{datasources.LogLine{Line: `plain words then level=warn once`}, "warn"},
		{datasources.LogLine{Line: `no level here`}, ""},
	}
	for _, tt := range tests {
		if got := LevelOf(&tt.line, StreamLevelsOf(tt.line.Labels), AppendFields(nil, CleanLine(tt.line.Line))); got != tt.level {
			t.Errorf("%+v: level %q, want %q", tt.line, got, tt.level)
		}
	}
}

func FuzzCleanLine(f *testing.F) {
	for _, s := range []string{"\x1b[31mx", "\xff", "a\x1b]0;t\x07b", "<img src=x onerror=alert(1)>", strings.Repeat("\x1b[", 5)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := CleanLine(s)
		if !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8 out of %q", s)
		}
		if strings.ContainsRune(out, 0x1b) {
			t.Fatalf("ESC left in %q", out)
		}
		if CleanLine(out) != out {
			t.Fatalf("not idempotent on %q", s)
		}
	})
}

// A page parses each line into one scratch slice: what a line leaves
// behind in it must never show up in the next line's fields.
func TestAppendFieldsReusingScratchEqualsParseFields(t *testing.T) {
	lines := []string{
		`{"level":"error","msg":"payment declined","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","attempt":3,"user":"u-1","cart":"c-9"}`,
		`level=info msg="charged card" amount=12.5`,
		`plain text with one a=b in it`,
		`{"http":{"method":"GET","status":500},"msg":"nested"}`,
		`{}`,
		`a=1`,
		`{"msg":"after nested","k":"v"}`,
		``,
		`{not json`,
	}
	var scratch []Field
	for _, line := range lines {
		got := AppendFields(scratch, line)
		if cap(got) > cap(scratch) {
			scratch = got[:0]
		}
		if want := ParseFields(line); !reflect.DeepEqual(got, want) {
			t.Errorf("%q: reusing scratch gave %v, want %v", line, got, want)
		}
	}
}

// sortFields orders keys as sorting them whole does (stably), whatever
// their first eight bytes share: the keys are the fuzzed string cut at
// each comma, values their place.
func FuzzSortFields(f *testing.F) {
	f.Add("b,a,c")
	f.Add("duration_ms,level,msg,method,path,status,trace_id,ts,user")
	f.Add("abcdefgh1,abcdefgh,abcdefgh\x00,abcdefg,abcdefgh0,,a\x00,a,abcdefgh1")
	f.Fuzz(func(t *testing.T, s string) {
		var got []Field
		for i, k := range strings.Split(s, ",") {
			got = append(got, Field{Key: k, Value: strconv.Itoa(i)})
		}
		want := slices.Clone(got)
		slices.SortStableFunc(want, func(a, b Field) int { return strings.Compare(a.Key, b.Key) })
		sortFields(got)
		if len(got) <= 16 && !slices.Equal(got, want) {
			t.Fatalf("%q: %v, want %v", s, got, want)
		}
		if !slices.IsSortedFunc(got, func(a, b Field) int { return strings.Compare(a.Key, b.Key) }) {
			t.Fatalf("%q: %v is not sorted", s, got)
		}
	})
}
