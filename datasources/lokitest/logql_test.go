package lokitest

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/ariadne-dev/ariadne/datasources/contracttest"
)

type logqlExample struct {
	ID        string `json:"id"`
	Query     string `json:"query"`
	Kind      string `json:"kind"`
	Essential bool   `json:"essential"`
}

func logqlExamples(t testing.TB) []logqlExample {
	t.Helper()
	var ex []logqlExample
	if err := json.Unmarshal(contracttest.Read(t, "loki", "handwritten", "logql_examples.json"), &ex); err != nil {
		t.Fatal(err)
	}
	return ex
}

// Every essential query of the contract parses as the right kind; the
// others either parse or say plainly that lokitest lacks the feature.
func TestContractLogQLExamples(t *testing.T) {
	for _, ex := range logqlExamples(t) {
		t.Run(ex.ID, func(t *testing.T) {
			lq, se, err := parseQuery(ex.Query)
			if err != nil {
				if ex.Essential || !strings.Contains(err.Error(), "not supported by lokitest") {
					t.Fatalf("%s: %v", ex.Query, err)
				}
				return
			}
			if (ex.Kind == "log") != (lq != nil) || (ex.Kind == "metric") != (se != nil) {
				t.Errorf("%s parsed as log=%v metric=%v, want %s", ex.Query, lq != nil, se != nil, ex.Kind)
			}
		})
	}
}

func TestParseShapes(t *testing.T) {
	lq, _, err := parseQuery("{a=\"b\", c=~`x.+`} |= \"e\" != \"f\" |~ \"(?i)g\" | json | logfmt | x >= 1.5s and (y=\"z\" or w < 20MB), v!=\"\" | drop __error__, k=\"v\" | keep a | line_format \"{{.a}}\"")
	if err != nil {
		t.Fatal(err)
	}
	if len(lq.matchers) != 2 || lq.matchers[1].op != opRe || lq.matchers[1].re.MatchString("xy-suffix-no") != true || lq.matchers[1].re.MatchString("ax") {
		t.Errorf("matchers = %+v", lq.matchers)
	}
	kinds := []string{}
	for _, s := range lq.stages {
		switch s := s.(type) {
		case lineFilter:
			kinds = append(kinds, s.op)
		case parserStage:
			kinds = append(kinds, s.kind)
		case labelFilterStage:
			kinds = append(kinds, "filter")
		case dropStage:
			kinds = append(kinds, "drop")
		case keepStage:
			kinds = append(kinds, "keep")
		case lineFormatStage:
			kinds = append(kinds, "line_format")
		}
	}
	if got := strings.Join(kinds, " "); got != "|= != |~ json logfmt filter drop keep line_format" {
		t.Errorf("stages = %s", got)
	}
	_, se, err := parseQuery(`topk(2, sum by (a) (rate({a="b"}[5m] |= "x"))) / 2`)
	if err != nil {
		t.Fatal(err)
	}
	b, ok := se.(*binaryExpr)
	if !ok || b.op != "/" {
		t.Fatalf("top = %#v", se)
	}
	tk := b.l.(*vectorAgg)
	inner := tk.inner.(*vectorAgg)
	ra := inner.inner.(*rangeAgg)
	if tk.op != "topk" || tk.param != 2 || inner.group.labels[0] != "a" || ra.window.Minutes() != 5 || len(ra.log.stages) != 1 {
		t.Errorf("parsed %+v %+v %+v", tk, inner, ra)
	}
}

func TestLogfmtAndJSONParsers(t *testing.T) {
	tests := []struct {
		parser, line string
		want         string // sorted k=v, or "error"
	}{
		{"logfmt", `level=info msg="hello \"world\"" bare dur=1.5s`, `bare= dur=1.5s level=info msg=hello "world"`},
		{"logfmt", `"hello1`, "error"},
		{"logfmt", `text=hello2`, "text=hello2"},
		{"json", `{"a":{"b":{"c":1}},"d-e":"f","arr":[1,2],"n":null,"t":true,"1x":"y"}`, "_1x=y a_b_c=1 d_e=f n= t=true"},
		{"json", `not json`, "error"},
		{"json", `[1,2]`, "error"},
	}
	for _, tt := range tests {
		got := map[string]string{}
		add := func(k, v string) { got[k] = v }
		var err error
		if tt.parser == "json" {
			err = parseJSONLine(tt.line, add)
		} else {
			err = parseLogfmt(tt.line, add)
		}
		s := "error"
		if err == nil {
			var parts []string
			for k, v := range got {
				parts = append(parts, k+"="+v)
			}
			sortStrings(parts)
			s = strings.Join(parts, " ")
		}
		if s != tt.want {
			t.Errorf("%s %s = %q, want %q", tt.parser, tt.line, s, tt.want)
		}
	}
}

func sortStrings(s []string) {
	for i := range s {
		for j := i + 1; j < len(s); j++ {
			if s[j] < s[i] {
				s[i], s[j] = s[j], s[i]
			}
		}
	}
}

// FuzzParseQuery: no input may panic the parser, and what parses must
// also evaluate without panicking.
func FuzzParseQuery(f *testing.F) {
	for _, ex := range logqlExamples(f) {
		f.Add(ex.Query)
	}
	for _, s := range []string{`{a="b"} | json | x > 1 or (y="z", w!~"q")`, "sum(", `{a="\xff"}`, "((((((1))))))", `vector(1)+vector(1)`} {
		f.Add(s)
	}
	srv := New(WithRetention(0))
	srv.Push(map[string]string{"a": "b", "service_name": "checkout"},
		Entry{Time: unix(1), Line: `{"level":"error","x":2}`}, Entry{Time: unix(2), Line: `level=info x=1`})
	f.Fuzz(func(t *testing.T, q string) {
		lq, se, err := parseQuery(q)
		if err != nil {
			if _, ok := err.(*parseError); !ok {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		if lq != nil {
			srv.evalLogs(DefaultTenant, lq, 0, 10e9, 10, false, true)
		} else {
			srv.evalSample(DefaultTenant, se, steps{start: 0, step: 1e9, n: 5})
		}
	})
}
