package query

import (
	"testing"
)

func TestAddPromMatcher(t *testing.T) {
	tests := []struct {
		name, q, label, value, want string
	}{
		{"empty query", "", "service", "orders", `{service="orders"}`},
		{"empty query, metric picked", "", "__name__", "http_server_request_duration_seconds_count", `http_server_request_duration_seconds_count`},
		{"metric picked, then a label", "http_server_request_duration_seconds_count", "route", "/checkout",
			`http_server_request_duration_seconds_count{route="/checkout"}`},
		{"bare metric", "up", "job", "api", `up{job="api"}`},
		{"appends after the others", `up{job="api"}`, "instance", "a:9090", `up{job="api", instance="a:9090"}`},
		{"keeps comma style", `up{job="api",env="prod"}`, "instance", "a", `up{job="api",env="prod",instance="a"}`},
		{"replaces the same name, whatever its operator", `up{job=~"a|b", env="prod"}`, "job", "c", `up{job="c", env="prod"}`},
		{"drops a second matcher of the name", `up{job="a", env="prod", job!="b"}`, "job", "c", `up{job="c", env="prod"}`},
		{"spaces inside braces kept", `up{ job="a" }`, "job", "b", `up{ job="b" }`},
		{"trailing comma", `up{job="a",}`, "env", "p", `up{job="a", env="p"}`},
		{"empty braces", `up{}`, "env", "p", `up{env="p"}`},
		{"latency query: le in by() is not a selector",
			`histogram_quantile(0.99, sum by (le, service) (rate(http_server_request_duration_seconds_bucket[1m])))`, "route", "/checkout",
			`histogram_quantile(0.99, sum by (le, service) (rate(http_server_request_duration_seconds_bucket{route="/checkout"}[1m])))`},
		{"every selector, not on() or group_left()", `sum without (instance) (rate(a_total{job="x"}[5m] offset 1h)) / on (job) group_left (team) b`, "env", "prod",
			`sum without (instance) (rate(a_total{job="x", env="prod"}[5m] offset 1h)) / on (job) group_left (team) b{env="prod"}`},
		{"subquery and bool", `max_over_time(rate(x[1m])[10m:30s]) > bool 0.5`, "a", "b", `max_over_time(rate(x{a="b"}[1m])[10m:30s]) > bool 0.5`},
		{"strings are not selectors", `label_replace(up, "dst", "$1", "src", "(.*)")`, "a", "b", `label_replace(up{a="b"}, "dst", "$1", "src", "(.*)")`},
		{"braces in a value", `x{path=~"/a{2}",job="j"}`, "job", "k", `x{path=~"/a{2}",job="k"}`},
		{"comma in a value", `x{path="a,b"}`, "job", "k", `x{path="a,b", job="k"}`},
		{"bare selector", `{__name__="foo", job="a"}`, "env", "p", `{__name__="foo", job="a", env="p"}`},
		{"metric replaced", `sum(rate(foo{job="a"}[1m]))`, "__name__", "bar", `sum(rate(bar{job="a"}[1m]))`},
		{"metric replaced in a bare selector", `{__name__="foo", job="a"}`, "__name__", "bar", `bar{job="a"}`},
		{"comment is not a selector", "up # fake{}\n", "a", "b", "up{a=\"b\"} # fake{}\n"},
		{"no selector", `1 + 1`, "a", "b", `1 + 1`},
		{"unterminated is left alone", `rate(x{a="unterminated`, "a", "b", `rate(x{a="unterminated`},
		{"hostile quote", `up`, "job", `a"} or vector(1) #`, `up{job="a\"} or vector(1) #"}`},
		{"hostile backslash", `up`, "path", `C:\tmp\`, `up{path="C:\\tmp\\"}`},
		{"hostile newline and tab", `up`, "msg", "a\nb\tc\r", `up{msg="a\nb\tc\r"}`},
		{"UTF-8 label name is quoted", `up`, "http.route", "/a", `up{"http.route"="/a"}`},
		{"quoted name replaced", `up{"http.route"="/a"}`, "http.route", "/b", `up{"http.route"="/b"}`},
		{"escaped quote in a name", `up`, `a"b`, "v", `up{"a\"b"="v"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := AddPromMatcher(tt.q, tt.label, tt.value); got != tt.want {
				t.Errorf("AddPromMatcher(%q, %q, %q)\n got %s\nwant %s", tt.q, tt.label, tt.value, got, tt.want)
			}
		})
	}
}

// What AddPromMatcher writes reads back as the same selector, with the
// value intact: the scanner finds one selector whose matchers hold it.
func TestAddPromMatcherRoundTrip(t *testing.T) {
	for _, v := range []string{`"`, `\`, `\"`, "\n", `"} or {`, "`", `'`, "{}", "ünï", ""} {
		got := AddPromMatcher("up", "v", v)
		s := Selectors(got)
		if len(s) != 1 || s[0].Metric != "up" || s[0].Matchers != `v="`+PromLabelValue(v)+`"` {
			t.Errorf("value %q: %s scans as %+v", v, got, s)
		}
	}
}

func TestAddLogMatcher(t *testing.T) {
	tests := []struct {
		name, q, label, value, want string
		ok                          bool
	}{
		{"empty query", "", "service_name", "orders", `{service_name="orders"}`, true},
		{"appends", `{service_name="orders"}`, "level", "error", `{service_name="orders", level="error"}`, true},
		{"replaces the same name", `{service_name=~".+", level="info"} |= "x"`, "service_name", "payments",
			`{service_name="payments", level="info"} |= "x"`, true},
		{"only the selector, not label filters", `{service_name="a"} | json | level="info"`, "level", "error",
			`{service_name="a", level="error"} | json | level="info"`, true},
		{"braces in a line filter", `{service_name="a"} |= "{level=x}" | line_format "{{.msg}}"`, "level", "error",
			`{service_name="a", level="error"} |= "{level=x}" | line_format "{{.msg}}"`, true},
		{"metric query", `sum by (level) (count_over_time({service_name="a"} |= "x" [5m]))`, "level", "error",
			`sum by (level) (count_over_time({service_name="a", level="error"} |= "x" [5m]))`, true},
		{"hostile quote", `{service_name="a"}`, "level", `x"} |= "`, `{service_name="a", level="x\"} |= \""}`, true},
		{"hostile backslash and newline", `{service_name="a"}`, "level", "a\\b\nc", `{service_name="a", level="a\\b\nc"}`, true},
		{"not a label name", `{service_name="a"}`, "a.b", "x", `{service_name="a"}`, false},
		{"no selector", `rate(x[5m])`, "a", "x", `rate(x[5m])`, false},
		{"unterminated", `{service_name="a`, "level", "x", `{service_name="a`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := AddLogMatcher(tt.q, tt.label, tt.value)
			if got != tt.want || ok != tt.ok {
				t.Errorf("AddLogMatcher(%q, %q, %q)\n got %s %v\nwant %s %v", tt.q, tt.label, tt.value, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestAddFieldFilter(t *testing.T) {
	tests := []struct {
		name, q, parser, key, value, want string
	}{
		{"json", `{service_name="payments"}`, "json", "order_id", "ord-1", `{service_name="payments"} | json | order_id="ord-1"`},
		{"logfmt", `{service_name="orders"}`, "logfmt", "order.id", "42", `{service_name="orders"} | logfmt | order_id="42"`},
		{"structured metadata needs no parser", `{service_name="a"}`, "", "trace_id", "abc", `{service_name="a"} | trace_id="abc"`},
		{"parser already there", `{service_name="a"} | json | level="error"`, "json", "status", "500",
			`{service_name="a"} | json | level="error" | status="500"`},
		{"a json stage with arguments parses only those", `{service_name="a"} | json msg="message"`, "json", "status", "500",
			`{service_name="a"} | json msg="message" | json | status="500"`},
		{"hostile value", `{service_name="a"}`, "json", "msg", "a\"b\\c\nd", `{service_name="a"} | json | msg="a\"b\\c\nd"`},
		{"hostile key", `{service_name="a"}`, "json", `x"|drop`, "v", `{service_name="a"} | json | x__drop="v"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := AddFieldFilter(tt.q, tt.parser, tt.key, tt.value); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestLatencyQuery(t *testing.T) {
	tests := []struct {
		l    Latency
		want string
	}{
		{Latency{}, `histogram_quantile(0.99, sum by (le, service) (rate(http_server_request_duration_seconds_bucket[1m])))`},
		{Latency{Quantile: "0.5", Service: "orders"},
			`histogram_quantile(0.5, sum by (le, route) (rate(http_server_request_duration_seconds_bucket{service="orders"}[1m])))`},
		{Latency{Service: "orders", Route: "/checkout"},
			`histogram_quantile(0.99, sum by (le) (rate(http_server_request_duration_seconds_bucket{service="orders", route="/checkout"}[1m])))`},
		{Latency{Route: `/a"b`}, `histogram_quantile(0.99, sum by (le) (rate(http_server_request_duration_seconds_bucket{route="/a\"b"}[1m])))`},
	}
	for _, tt := range tests {
		if got := LatencyQuery(tt.l); got != tt.want {
			t.Errorf("LatencyQuery(%+v)\n got %s\nwant %s", tt.l, got, tt.want)
		}
	}
}

func TestParseQuantile(t *testing.T) {
	for in, want := range map[string]string{"": "0.99", "0.990": "0.99", "0.5": "0.5", "1": "1", " 0.999 ": "0.999"} {
		if got, err := ParseQuantile(in); err != nil || got != want {
			t.Errorf("ParseQuantile(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"0", "1.5", "-0.1", "NaN", "x", "0.99) or vector(1"} {
		if _, err := ParseQuantile(in); err == nil {
			t.Errorf("ParseQuantile(%q) accepted", in)
		}
	}
}

func TestScope(t *testing.T) {
	tests := []struct {
		q, without string
		want       []string
	}{
		{"", "", nil},
		{`1 + 1`, "", nil},
		{`sum(rate(x_bucket{service="a", route="/b"}[1m]))`, "", []string{`x_bucket{service="a", route="/b"}`}},
		{`sum(rate(x_bucket{service="a", route="/b"}[1m]))`, "route", []string{`x_bucket{service="a"}`}},
		{`x{a="1"} / y`, "a", []string{"x", "y"}},
		{`{__name__="foo", job="a"}`, "__name__", []string{`{job="a"}`}},
		{`foo`, "__name__", nil},
	}
	for _, tt := range tests {
		got := Scope(tt.q, tt.without)
		if len(got) != len(tt.want) || (len(got) > 0 && !equalStrings(got, tt.want)) {
			t.Errorf("Scope(%q, %q) = %q, want %q", tt.q, tt.without, got, tt.want)
		}
	}
}

func equalStrings(a, b []string) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return len(a) == len(b)
}

func TestLogSelector(t *testing.T) {
	tests := []struct{ q, without, want string }{
		{`{service_name="a", level="error"} |= "x"`, "", `{service_name="a", level="error"}`},
		{`{service_name="a", level="error"} |= "x"`, "level", `{service_name="a"}`},
		{`{level="error"}`, "level", ""},
		{`sum(count_over_time({service_name="a"} [5m]))`, "", `{service_name="a"}`},
		{`|= "{a=b}"`, "", ""},
		{``, "", ""},
	}
	for _, tt := range tests {
		if got := LogSelector(tt.q, tt.without); got != tt.want {
			t.Errorf("LogSelector(%q, %q) = %q, want %q", tt.q, tt.without, got, tt.want)
		}
	}
}
