package quality

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ariadne-dev/ariadne/datasources"
)

func attrs(kv ...string) []datasources.Attribute {
	var out []datasources.Attribute
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, datasources.Attribute{Key: kv[i], Value: kv[i+1]})
	}
	return out
}

// span is a well-instrumented internal span unless edited.
func span(edit func(s *datasources.Span)) datasources.Span {
	s := datasources.Span{TraceID: "t1", SpanID: "s1", Name: "reserve stock", Kind: datasources.KindInternal,
		Resource: &datasources.Resource{Service: "inventory"}}
	if edit != nil {
		edit(&s)
	}
	return s
}

func named(n string) func(*datasources.Span) { return func(s *datasources.Span) { s.Name = n } }

func server(kv ...string) func(*datasources.Span) {
	return func(s *datasources.Span) {
		s.Name, s.Kind, s.Attrs = "GET /api/orders/{id}", datasources.KindServer, attrs(kv...)
	}
}

func many(n int) func(*datasources.Span) {
	return func(s *datasources.Span) {
		for i := range n {
			s.Attrs = append(s.Attributes(), datasources.Attribute{Key: fmt.Sprintf("app.k%d", i), Value: "v"})
		}
	}
}

// TestRules holds at least one positive and one negative case per rule
// (TestEveryRuleIsTested enforces it); want is a piece of the detail, ""
// for a span the rule must pass.
func TestRules(t *testing.T) {
	ok := []string{"http.request.method", "GET", "http.response.status_code", "200", "http.route", "/api/orders/{id}"}
	cases := []struct {
		rule, name string
		span       datasources.Span
		want       string
	}{
		{"generic-name", "Handler", span(named("Handler")), `"Handler" names no operation`},
		{"generic-name", "doStuff", span(named("doStuff")), "names no operation"},
		{"generic-name", "do_stuff", span(named("do_stuff")), "names no operation"},
		{"generic-name", "empty", span(named(" ")), "no name"},
		{"generic-name", "an operation", span(named("reserve stock")), ""},
		{"generic-name", "a route", span(named("GET /api/orders/{id}")), ""},

		{"id-in-name", "numeric segment", span(named("GET /api/orders/12345")), "a number (12345)"},
		{"id-in-name", "uuid", span(named("/carts/0b4c2a1e-3f5d-4e6a-9b7c-1d2e3f4a5b6c/items")), "a UUID"},
		{"id-in-name", "hex", span(named("fetch 9f86d081884c7d65")), "a hex ID"},
		{"id-in-name", "order id", span(named("charge ord-199603")), "an ID (ord-199603)"},
		{"id-in-name", "template", span(named("GET /api/orders/{id}")), ""},
		{"id-in-name", "version and port", span(named("GET /v1/items localhost:8080")), ""},
		{"id-in-name", "hex-looking word", span(named("decode cafebabe")), ""},

		{"http-attributes", "server without route", span(server("http.request.method", "GET", "http.response.status_code", "200")), "no http.route"},
		{"http-attributes", "client without method", span(func(s *datasources.Span) {
			s.Kind, s.Attrs = datasources.KindClient, attrs("url.full", "http://x/", "http.response.status_code", "200")
			s.Attrs = append(s.Attributes(), attrs("http.resend_count", "1")...)
		}), "no http.request.method"},
		{"http-attributes", "complete server", span(server(ok...)), ""},
		{"http-attributes", "client failed before a response", span(func(s *datasources.Span) {
			s.Kind, s.Attrs = datasources.KindClient, attrs("http.request.method", "POST", "error.type", "timeout")
		}), ""},
		{"http-attributes", "old names count as present", span(server("http.method", "GET", "http.status_code", "200", "http.route", "/x")), ""},
		{"http-attributes", "not HTTP", span(nil), ""},

		{"db-system", "no system", span(func(s *datasources.Span) {
			s.Kind, s.Attrs = datasources.KindClient, attrs("db.query.text", "SELECT 1")
		}), "no db.system.name"},
		{"db-system", "system.name", span(func(s *datasources.Span) {
			s.Kind, s.Attrs = datasources.KindClient, attrs("db.system.name", "postgresql", "db.query.text", "SELECT 1")
		}), ""},
		{"db-system", "older db.system", span(func(s *datasources.Span) { s.Attrs = attrs("db.system", "redis") }), ""},

		{"error-unexplained", "bare error", span(func(s *datasources.Span) { s.Status = datasources.StatusError }), "no message"},
		{"error-unexplained", "with message", span(func(s *datasources.Span) {
			s.Status, s.Details = datasources.StatusError, &datasources.SpanDetails{StatusMsg: "payment provider did not answer"}
		}), ""},
		{"error-unexplained", "with exception", span(func(s *datasources.Span) {
			s.Status, s.Details = datasources.StatusError, &datasources.SpanDetails{Events: []datasources.SpanEvent{{Name: "exception"}}}
		}), ""},
		{"error-unexplained", "ok span", span(nil), ""},

		{"pii", "e-mail", span(func(s *datasources.Span) { s.Attrs = attrs("user.contact", "Ann <ann.lee@example.com>") }), "user.contact looks like an e-mail address"},
		{"pii", "card", span(func(s *datasources.Span) { s.Attrs = attrs("payment.card", "4111 1111 1111 1111") }), "a card number"},
		{"pii", "bearer", span(func(s *datasources.Span) {
			s.Attrs = attrs("http.request.header.authorization", "Bearer abcdefghijklmnopqrstuvwxyz0123")
		}), "a bearer token"},
		{"pii", "jwt in resource", span(func(s *datasources.Span) {
			s.Resource = &datasources.Resource{Service: "x", Attributes: attrs("token", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NSJ9.c2lnbmF0dXJlaGVyZQ")}
		}), "resource token looks like a bearer token"},
		{"pii", "card failing Luhn", span(func(s *datasources.Span) { s.Attrs = attrs("n", "4111 1111 1111 1112") }), ""},
		{"pii", "unix nanoseconds pass Luhn but are no card", span(func(s *datasources.Span) { s.Attrs = attrs("t", "1764604258000000004") }), ""},
		{"pii", "opaque user id", span(func(s *datasources.Span) { s.Attrs = attrs("user.id", "u-42", "note", "mail me at ann@") }), ""},

		{"large-value", "large", span(func(s *datasources.Span) {
			s.Attrs = attrs("db.query.text", strings.Repeat("x", 12*1024))
		}), "db.query.text is 12.0 KiB"},
		{"large-value", "at the bound", span(func(s *datasources.Span) { s.Attrs = attrs("v", strings.Repeat("x", LargeValueBytes)) }), ""},
		{"large-value", "stack trace in an event", span(func(s *datasources.Span) {
			s.Details = &datasources.SpanDetails{Events: []datasources.SpanEvent{{Name: "exception", Attributes: attrs("exception.stacktrace", strings.Repeat("x", 64*1024))}}}
		}), ""},

		{"too-many-attributes", "over", span(many(129)), "129 attributes"},
		{"too-many-attributes", "at the limit", span(many(128)), "probably dropped"},
		{"too-many-attributes", "under", span(many(127)), ""},

		{"deprecated-attribute", "http.method", span(server("http.method", "GET", "http.status_code", "200", "http.route", "/x")),
			"http.method (now http.request.method), http.status_code (now http.response.status_code)"},
		{"deprecated-attribute", "both names", span(func(s *datasources.Span) {
			s.Attrs = attrs("db.statement", "SELECT 1", "db.query.text", "SELECT 1")
		}), "db.statement (now db.query.text, already set too)"},
		{"deprecated-attribute", "current names", span(server(ok...)), ""},
	}
	for _, c := range cases {
		t.Run(c.rule+"/"+c.name, func(t *testing.T) {
			r, found := RuleByID(c.rule)
			if !found {
				t.Fatalf("no rule %q", c.rule)
			}
			got := r.check(&c.span, c.span.Attributes())
			switch {
			case c.want == "" && got != "":
				t.Errorf("want no finding, got %q", got)
			case c.want != "" && !strings.Contains(got, c.want):
				t.Errorf("finding %q, want it to contain %q", got, c.want)
			}
		})
	}
	// Every rule has its positive and negative case here.
	seen := map[string][2]bool{}
	for _, c := range cases {
		s := seen[c.rule]
		if c.want != "" {
			s[0] = true
		} else {
			s[1] = true
		}
		seen[c.rule] = s
	}
	for _, r := range Rules() {
		if s := seen[r.ID]; !s[0] || !s[1] {
			t.Errorf("rule %s lacks a positive or a negative case (%v)", r.ID, s)
		}
	}
}

func TestRulesAreComplete(t *testing.T) {
	ids := map[string]bool{}
	for _, r := range Rules() {
		if r.ID == "" || r.Title == "" || r.Reason == "" || r.Fix == "" || r.check == nil {
			t.Errorf("rule %+v is incomplete", r.ID)
		}
		if ids[r.ID] {
			t.Errorf("rule ID %s twice", r.ID)
		}
		ids[r.ID] = true
	}
}

func TestCheckTracesGroupsByRule(t *testing.T) {
	bad := func(trace, id, svc, name string) datasources.Span {
		return datasources.Span{TraceID: trace, SpanID: id, Name: name, Resource: &datasources.Resource{Service: svc},
			Status: datasources.StatusError}
	}
	trs := []*datasources.Trace{
		{ID: "t1", Spans: []datasources.Span{bad("t1", "a", "orders", "Handler"), bad("t1", "b", "orders", "Handler"), bad("t1", "c", "payments", "charge")}},
		{ID: "t2", Spans: []datasources.Span{bad("t2", "d", "orders", "Handler"), span(nil)}},
		nil,
	}
	rep := CheckTraces(trs, 2)
	if rep.Traces != 2 || rep.Spans != 5 {
		t.Fatalf("checked %d traces, %d spans", rep.Traces, rep.Spans)
	}
	if len(rep.Groups) != 2 || rep.Groups[0].Rule.ID != "generic-name" || rep.Groups[1].Rule.ID != "error-unexplained" {
		t.Fatalf("groups %+v", rep.Groups)
	}
	g := rep.Groups[0]
	if g.Spans != 3 || g.Traces != 2 {
		t.Errorf("generic-name: %d spans in %d traces, want 3 in 2", g.Spans, g.Traces)
	}
	if len(g.Examples) != 2 || g.Examples[0].SpanID != "a" || g.Examples[1].SpanID != "b" {
		t.Errorf("generic-name examples %+v", g.Examples)
	}
	// Examples show different operations before repeating one.
	e := rep.Groups[1]
	if e.Spans != 4 || len(e.Examples) != 2 || e.Examples[0].SpanID != "a" || e.Examples[1].SpanID != "c" {
		t.Errorf("error examples %+v", e.Examples)
	}
	if len(rep.Clean) != len(Rules())-2 {
		t.Errorf("%d clean rules", len(rep.Clean))
	}
	if svc := CheckService(trs, "payments", 5); svc.Traces != 2 || svc.Spans != 1 || len(svc.Groups) != 1 || svc.Groups[0].Spans != 1 {
		t.Errorf("payments alone: %+v", svc)
	}
	if fs := Check(&trs[0].Spans[2]); len(fs) != 1 || fs[0].RuleID != "error-unexplained" {
		t.Errorf("Check: %+v", fs)
	}
}
