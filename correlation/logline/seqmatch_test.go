package logline

import (
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/ariadne-dev/ariadne/datasources"
)

// seqAll is every match of m in s as regexp.FindAllStringSubmatchIndex
// lists them; gaveUp when the budget ran out.
func seqAll(m *seqMatcher, s string) (all [][]int, gaveUp bool) {
	for from := 0; from <= len(s); {
		caps := make([]int, m.ncap)
		ok, gave := m.find(s, from, caps)
		if gave {
			return nil, true
		}
		if !ok {
			break
		}
		all = append(all, caps)
		from = max(caps[1], caps[0]+1)
	}
	return all, false
}

// agree checks the sequence finds exactly regexp's matches of expr in s.
func agree(t *testing.T, expr, s string) {
	t.Helper()
	m := compileSeq(expr)
	if m == nil {
		return
	}
	got, gaveUp := seqAll(m, s)
	if gaveUp {
		return // the Deriver asks regexp then
	}
	want := regexp.MustCompile(expr).FindAllStringSubmatchIndex(s, -1)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%q in %q: sequence found %v, regexp %v", expr, s, got, want)
	}
}

var seqPatterns = []string{
	`"trace_?[iI][dD]"\s*:\s*"([^"]*)"`,
	`\btrace_id=([^\s"&,;]+)`,
	`\btraceID=([^\s"&,;]+)`,
	`tid=(a*ab)`,
	`x(\s*)\s*y`,
	`id=(?i)kelvin=(\S+)`,
	`^id=(\d+)$`,
	`(?m)^id=(.*)$`,
	`id\B(\w{2,4})`,
	`ref:(?:x)?(.?)(é+)`,
	`a(b(c))d`,
	`=(.*)`,
	`(?s)=(.*)`,
	`\Atrace=(.)\z`,
	`k=(\d*)\d`,
	`k=([a-c]*)[c-e]x`,
	`v=(\s*)\S+`,
	`v=(é*)[^é]`,
}

func TestSeqMatcherAgreesWithRegexp(t *testing.T) {
	inputs := []string{
		``, `"trace_id":"4bf92f3577b34da6a3ce929d0e0e4736"`, `{"traceId" : "abc","traceID":"def"}`,
		`"trace_id":"unterminated`, `xtrace_id=1 trace_id=2,trace_id=3;`, `trace_id=` + "\xff\xfe" + `=z`,
		`tid=aaab tid=ab tid=aab`, "x  \t y x\ny xy", `id=KELVIN=1 id=kelvin=2 id=` + "\u212aelvin=3", "id=42", "a\nid=1\nid=x\n",
		"idab id_xyz idé", "ref:xééé ref:é ref:", "abcd abd ad", "a=b\nc=d", "trace=é", "trace=ab", "k=123 k=1 k=", "k=abcx k=abcdx k=ccx", "v=  x v=y v= ", "v=ééa v=é",
		"tid=a\xe2\x82ab \xe2\x82\xac tid=\xf0\x9f\x98ab", strings.Repeat("trace_id=", 50),
	}
	for _, p := range seqPatterns {
		if compileSeq(p) == nil {
			t.Fatalf("%s is not run as a sequence", p)
		}
		for _, s := range inputs {
			agree(t, p, s)
		}
	}
}

// The rules that ship are sequences: were one not, every line would pay
// regexp again and nothing would say so.
func TestDefaultRulesRunAsSequences(t *testing.T) {
	for _, r := range DefaultDerivedFields() {
		if r.Regex != "" && compileSeq(r.Regex) == nil {
			t.Errorf("%s is not run as a sequence", r.Regex)
		}
	}
	for _, p := range []string{`trace=(ab|cd)`, `trace=(.*?)x`, `trace=(ab)+`, `a(b(c)?)d`, `(\w+)=trace`, `$x`} {
		if compileSeq(p) != nil {
			t.Errorf("%s compiled as a sequence; it is not one", p)
		}
	}
}

// A line that makes the sequence backtrack past its budget is still
// matched, by regexp.
func TestSeqMatcherGivesUpAndTheDeriverStillFinds(t *testing.T) {
	expr := `trace\s*\s*\s*\s*\s*=([0-9a-f]{32})`
	m := compileSeq(expr)
	if m == nil {
		t.Fatal("not a sequence")
	}
	line := "trace" + strings.Repeat(" ", 400) + "x trace=" + idA
	if _, gaveUp := seqAll(m, line); !gaveUp {
		t.Fatal("the sequence did not give up on quintic backtracking")
	}
	d, err := CompileDerivedFields([]DerivedField{{Name: "t", Regex: expr}})
	if err != nil {
		t.Fatal(err)
	}
	refs := d.Extract(&datasources.LogLine{Line: line})
	if len(refs) != 1 || refs[0].TraceID != idA {
		t.Fatalf("got %v, want %s", refs, idA)
	}
}

func FuzzSeqMatcher(f *testing.F) {
	for i, p := range seqPatterns {
		f.Add(p, `"trace_id": "4bf92f3577b34da6a3ce929d0e0e4736" trace_id=x tid=aab`+strings.Repeat("é", i))
	}
	f.Fuzz(func(t *testing.T, expr, s string) {
		if _, err := regexp.Compile(expr); err != nil || len(s) > 4096 {
			return
		}
		agree(t, expr, s)
	})
}

// The shipped rules walk each candidate once: no run of theirs ever has
// to give back what it took.
func TestDefaultRulesAreLinear(t *testing.T) {
	for _, r := range DefaultDerivedFields() {
		if r.Regex != "" && !compileSeq(r.Regex).linear {
			t.Errorf("%s backtracks", r.Regex)
		}
	}
	if compileSeq(`tid=(a*ab)`).linear {
		t.Error("a*ab must give back an a")
	}
}

// Each shipped rule's literal is looked for by a byte rarer in a JSON
// line than its first.
func TestRareByteOfTheShippedLiterals(t *testing.T) {
	for expr, want := range map[string]byte{`"trace_?[iI][dD]"\s*:\s*"([^"]*)"`: 'r', `\btrace_id=([^\s"&,;]+)`: '=', `\btraceID=([^\s"&,;]+)`: 'I'} {
		if m := compileSeq(expr); m.lead.s[m.lead.rare] != want {
			t.Errorf("%s: looks for %q, want %q", expr, m.lead.s[m.lead.rare], want)
		}
	}
}

func FuzzLiteralIndex(f *testing.F) {
	f.Add(`"trace`, `{"ts":"x","trace_id":"a"} "trace`, 3)
	f.Add(`traceID=`, `traceID traceID=1`, 0)
	f.Add(`=`, `a=b`, 2)
	f.Fuzz(func(t *testing.T, lit, s string, from int) {
		if lit == "" || from < 0 || from > len(s) {
			return
		}
		l := newLiteral(lit)
		want := strings.Index(s[from:], lit)
		if want >= 0 {
			want += from
		}
		if got := l.index(s, from); got != want {
			t.Fatalf("%q in %q from %d: %d, strings.Index %d", lit, s, from, got, want)
		}
	})
}
