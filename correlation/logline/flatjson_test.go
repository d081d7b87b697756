package logline

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// slowFields is ParseFields' full decode, the reference flatJSON must
// agree with whenever it answers.
func slowFields(line string) []Field {
	var m map[string]any
	if json.Unmarshal([]byte(strings.TrimSpace(line)), &m) != nil {
		return nil
	}
	out := flattenJSON(nil, "", m)
	sortFields(out)
	return out
}

func TestFlatJSONAgreesWithTheFullDecode(t *testing.T) {
	for _, tc := range []struct {
		line string
		fast bool // flatJSON answers (false: it leaves the line to the full decode)
	}{
		{`{"time":"2026-01-02T03:04:05Z","level":"info","msg":"charged","amount":42,"ok":true,"gone":null}`, true},
		{` { "a" : "b" , "c":-7 } `, true},
		{`{}`, true},
		{`{"msg":"say \"hi\"\n\tbye \\ \/ \b\f\r"}`, true},
		{`{"msg":"caf\u00e9 \ud83d\ude00 lone \ud800 x \udc00"}`, true},
		{`{"n":0,"m":-0,"big":123456789012345,"bigger":1234567890123456789,"f":2.50,"e":1e3,"E":-1.5E-3}`, true},
		{`{"nested":{"a":1}}`, false},
		{`{"list":[1,2]}`, false},
		{`{"dup":1,"dup":2}`, false},
		{`{"bad":01}`, false},
		{`{"bad":1.}`, false},
		{`{"bad":.5}`, false},
		{`{"bad":1e}`, false},
		{`{"huge":1e400}`, false},
		{`{"ctl":"a` + "\x01" + `b"}`, false},
		{`{"utf8":"` + "\xff" + `"}`, false},
		{`{"esc":"\x"}`, false},
		{`{"a":1}trailing`, false},
		{`{"a":1,}`, false},
		{`{"a" 1}`, false},
		{`{"a":tru}`, false},
		{`{"a":"unterminated`, false},
		{`{"\u0061":1}`, true},
	} {
		got, ok := flatJSON(nil, strings.TrimSpace(tc.line))
		sortFields(got)
		if ok != tc.fast {
			t.Errorf("%s: answered %v, want %v", tc.line, ok, tc.fast)
		}
		if want := slowFields(tc.line); ok && !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n fast %q\n full %q", tc.line, got, want)
		}
		if want := slowFields(tc.line); !reflect.DeepEqual(ParseFields(tc.line), want) && !(len(want) == 0 && len(ParseFields(tc.line)) == 0) {
			t.Errorf("%s: ParseFields %q, want %q", tc.line, ParseFields(tc.line), want)
		}
	}
}

func FuzzFlatJSON(f *testing.F) {
	// Strings of eight bytes and more are read a word at a time: seeds
	// with a quote, escape, control character or invalid byte past one.
	for _, s := range []string{`{"a":"b","n":1.5}`, `{"m":"x\u00e9\n"}`, `{"a":{"b":1}}`, `{"a":-0.0e-0}`, `{}`,
		`{"message_key_long":"abcdefghijklmnop\"q","k":"ünïcødé text past eight"}`, "{\"abcdefghij\":\"0123456789\x01\"}",
		"{\"abcdefghij\":\"01234567\xff89\"}", `{"abcdefghijklmnopq":"0123456789abcdef\\n"}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := flatJSON(nil, s)
		if !ok {
			return
		}
		sortFields(got)
		if want := slowFields(s); !reflect.DeepEqual(got, want) && !(len(got) == 0 && len(want) == 0) {
			t.Fatalf("%q:\n fast %q\n full %q", s, got, want)
		}
	})
}

// Two fields of one key send a line to the full decode (which keeps the
// last), whatever their place, however alike the other keys look.
func TestHasDuplicateKey(t *testing.T) {
	f := func(keys ...string) []Field {
		var out []Field
		for _, k := range keys {
			out = append(out, Field{Key: k})
		}
		return out
	}
	for _, tc := range []struct {
		fields []Field
		dup    bool
	}{
		{f("a", "b", "c"), false},
		{f("ab", "ba", "axb", "a.b"), false},
		{f("msg", "level", "msg"), true},
		{f("", "x", ""), true},
		{f("abc", "adc", "abc"), true},
		{f(strings.Repeat("a", 70), strings.Repeat("b", 64), strings.Repeat("a", 63)), false},
		{f(strings.Repeat("a", 70), strings.Repeat("b", 64), strings.Repeat("a", 70)), true},
		{f("k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8", "k9", "k10", "k11", "k12", "k13", "k14", "k15", "k16", "k3"), true},
		{f("k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8", "k9", "k10", "k11", "k12", "k13", "k14", "k15", "k16"), false},
	} {
		if got := hasDuplicateKey(tc.fields); got != tc.dup {
			t.Errorf("%v: %v, want %v", tc.fields, got, tc.dup)
		}
	}
}
