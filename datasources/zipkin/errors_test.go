package zipkin

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/ariadne-dev/ariadne/datasources"
)

// calls are every method of the client, each asking one endpoint.
var calls = []struct {
	name, path string
	call       func(*Client) error
}{
	{"Trace", "/api/v2/trace/5af7183fb1d4cf5f", func(c *Client) error {
		_, err := c.Trace(context.Background(), "00000000000000005af7183fb1d4cf5f", time.Time{}, time.Time{})
		return err
	}},
	{"Search", "/api/v2/traces", func(c *Client) error {
		_, err := c.Search(context.Background(), datasources.TraceQuery{Service: "web"})
		return err
	}},
	{"Services", "/api/v2/services", func(c *Client) error { _, err := c.Services(context.Background()); return err }},
	{"SpanNames", "/api/v2/spans", func(c *Client) error { _, err := c.SpanNames(context.Background(), "web"); return err }},
	{"RemoteServices", "/api/v2/remoteServices", func(c *Client) error {
		_, err := c.RemoteServices(context.Background(), "web")
		return err
	}},
	{"Dependencies", "/api/v2/dependencies", func(c *Client) error {
		_, err := c.Dependencies(context.Background(), time.Time{}, time.Hour)
		return err
	}},
	{"AutocompleteKeys", "/api/v2/autocompleteKeys", func(c *Client) error {
		_, err := c.AutocompleteKeys(context.Background())
		return err
	}},
	{"AutocompleteValues", "/api/v2/autocompleteValues", func(c *Client) error {
		_, err := c.AutocompleteValues(context.Background(), "env")
		return err
	}},
	{"Ready", "/health", func(c *Client) error { return c.Ready(context.Background()) }},
}

// TestErrorMapping answers every endpoint with each failure Zipkin (or
// what stands in front of it) gives, and checks the kind and message a
// page would show.
func TestErrorMapping(t *testing.T) {
	cases := []struct {
		name   string
		reply  reply
		kind   datasources.ErrorKind
		msg    string
		except map[string]datasources.ErrorKind // endpoints that differ
	}{
		{"a 400 in Zipkin's plain text", reply{status: 400, contentType: "text/plain", body: "maxDuration is only valid with minDuration"},
			datasources.ErrorBadQuery, "maxDuration is only valid with minDuration", nil},
		{"a 400 in Spring's JSON", reply{status: 400, contentType: "application/json", body: testdata(t, "error-spring.json")},
			datasources.ErrorBadQuery, "endTs should be positive, in epoch milliseconds", nil},
		{"a 500 from storage", reply{status: 500, contentType: "text/plain", body: "Cassandra timed out"},
			datasources.ErrorUnavailable, "Zipkin answered 500 Internal Server Error.", nil},
		{"a proxy's 502 page", reply{status: 502, contentType: "text/html", body: "<html><body><h1>502 Bad Gateway</h1></body></html>"},
			datasources.ErrorUnavailable, "Zipkin answered 502 Bad Gateway.", nil},
		{"refused credentials", reply{status: 401, body: "Unauthorized"},
			datasources.ErrorUnavailable, "check the credentials", nil},
		{"rate limited", reply{status: 429},
			datasources.ErrorUnavailable, "rate limiting", nil},
		{"a 200 that is a web page", reply{status: 200, contentType: "text/html", body: "<!doctype html><html><head><title>Zipkin</title></head></html>"},
			datasources.ErrorUnavailable, "Zipkin's URL answers", nil},
		{"a 200 that is not Zipkin's JSON", reply{status: 200, contentType: "application/json", body: `{"data":[]}`},
			datasources.ErrorUnavailable, "", nil},
	}
	for _, tc := range cases {
		for _, call := range calls {
			t.Run(tc.name+"/"+call.name, func(t *testing.T) {
				c, _ := newFake(t, map[string]reply{call.path: tc.reply})
				err := call.call(c)
				kind := tc.kind
				if k, ok := tc.except[call.name]; ok {
					kind = k
				}
				e := wantKind(t, err, kind, tc.msg)
				if tc.reply.status == 200 && !strings.Contains(e.Message, "Zipkin") {
					t.Errorf("message %q does not say who answered", e.Message)
				}
			})
		}
	}
}

// TestNotFound: a 404 is "no such trace" from the trace endpoint and "not
// Zipkin's API" everywhere else.
func TestNotFound(t *testing.T) {
	for _, call := range calls {
		t.Run(call.name, func(t *testing.T) {
			c, _ := newFake(t, nil) // every path 404s
			err := call.call(c)
			if call.name == "Trace" {
				wantKind(t, err, datasources.ErrorNotFound, "Zipkin has no trace 00000000000000005af7183fb1d4cf5f")
				return
			}
			wantKind(t, err, datasources.ErrorUnavailable, "check that the Zipkin URL is the server's base URL")
		})
	}
}

func TestNotConfigured(t *testing.T) {
	c, err := New(datasources.Config{})
	if err != nil {
		t.Fatal(err)
	}
	for _, call := range calls {
		wantKind(t, call.call(c), datasources.ErrorNotConfigured, "Zipkin is not configured.")
	}
	if _, err := New(datasources.Config{URL: "zipkin:9411"}); datasources.ErrorKindOf(err) != datasources.ErrorNotConfigured {
		t.Errorf("a URL without a scheme: %v", err)
	}
}

func TestTransportErrors(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there now
	c, err := New(datasources.Config{URL: "http://" + addr})
	if err != nil {
		t.Fatal(err)
	}
	for _, call := range calls {
		wantKind(t, call.call(c), datasources.ErrorUnavailable, "Zipkin is unreachable.")
	}
}

func TestTooLarge(t *testing.T) {
	big := jsonReply(`["` + strings.Repeat("x", 2000) + `"]`)
	c, _ := newFakeWith(t, datasources.Config{MaxResponseBytes: 1000}, map[string]reply{"/api/v2/services": big})
	_, err := c.Services(context.Background())
	wantKind(t, err, datasources.ErrorTooLarge, "1000 bytes")
}

func TestReady(t *testing.T) {
	cases := []struct {
		name  string
		reply reply
		kind  datasources.ErrorKind // ErrorUnknown: ready
		msg   string
	}{
		{"UP", jsonReply(testdata(t, "health-up.json")), datasources.ErrorUnknown, ""},
		{"DOWN names the failing storage", reply{status: 503, contentType: "application/json", body: testdata(t, "health-down.json")},
			datasources.ErrorUnavailable, "Zipkin reports its health as DOWN (CassandraStorage{contactPoints=cassandra:9042, keyspace=zipkin2}: com.datastax"},
		{"UNKNOWN", jsonReply(`{"status":"UNKNOWN"}`), datasources.ErrorUnavailable, "health as UNKNOWN"},
		{"another service's 200", reply{status: 200, contentType: "text/plain", body: "ok"}, datasources.ErrorUnavailable, "but not as Zipkin"},
		{"JSON that is not health", jsonReply(`{"healthy":true}`), datasources.ErrorUnavailable, "but not as Zipkin"},
		{"a 503 without a body", reply{status: 503}, datasources.ErrorUnavailable, "Zipkin answered 503 Service Unavailable."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := newFake(t, map[string]reply{"/health": tc.reply})
			err := c.Ready(context.Background())
			if tc.kind == datasources.ErrorUnknown {
				if err != nil {
					t.Fatalf("err = %v, want ready", err)
				}
				return
			}
			e := wantKind(t, err, tc.kind, tc.msg)
			if tc.name == "another service's 200" && !errors.Is(e, datasources.ErrNotAnAPI) {
				t.Errorf("err = %v, want it to wrap ErrNotAnAPI", e)
			}
		})
	}
}

// TestTraceIDForms: a 64-bit trace is asked for by its 16-character form
// first, and by the padded one only after a 404; a 128-bit one once.
func TestTraceIDForms(t *testing.T) {
	const span = `[{"traceId":"5af7183fb1d4cf5f","id":"1"}]`
	cases := []struct {
		name   string
		id     string
		routes map[string]reply
		asked  []string
		kind   datasources.ErrorKind // ErrorUnknown: found
	}{
		{"64-bit, found by its short form", "5af7183fb1d4cf5f",
			map[string]reply{"/api/v2/trace/5af7183fb1d4cf5f": jsonReply(span)},
			[]string{"/api/v2/trace/5af7183fb1d4cf5f"}, datasources.ErrorUnknown},
		{"padded 64-bit, found by its short form", "00000000000000005AF7183FB1D4CF5F",
			map[string]reply{"/api/v2/trace/5af7183fb1d4cf5f": jsonReply(span)},
			[]string{"/api/v2/trace/5af7183fb1d4cf5f"}, datasources.ErrorUnknown},
		{"64-bit, found by its padded form", "5af7183fb1d4cf5f",
			map[string]reply{"/api/v2/trace/00000000000000005af7183fb1d4cf5f": jsonReply(span)},
			[]string{"/api/v2/trace/5af7183fb1d4cf5f", "/api/v2/trace/00000000000000005af7183fb1d4cf5f"}, datasources.ErrorUnknown},
		{"64-bit, not found", "5af7183fb1d4cf5f", nil,
			[]string{"/api/v2/trace/5af7183fb1d4cf5f", "/api/v2/trace/00000000000000005af7183fb1d4cf5f"}, datasources.ErrorNotFound},
		{"128-bit, asked once", "4e441824ec2b6a44ffdc9bb9a6453df3", nil,
			[]string{"/api/v2/trace/4e441824ec2b6a44ffdc9bb9a6453df3"}, datasources.ErrorNotFound},
		{"an empty list is not found", "4e441824ec2b6a44ffdc9bb9a6453df3",
			map[string]reply{"/api/v2/trace/4e441824ec2b6a44ffdc9bb9a6453df3": jsonReply(`[]`)},
			[]string{"/api/v2/trace/4e441824ec2b6a44ffdc9bb9a6453df3"}, datasources.ErrorNotFound},
		{"a 500 on the short form is not retried", "5af7183fb1d4cf5f",
			map[string]reply{"/api/v2/trace/5af7183fb1d4cf5f": {status: 500, body: "boom"}},
			[]string{"/api/v2/trace/5af7183fb1d4cf5f"}, datasources.ErrorUnavailable},
		{"not a trace ID", "not-hex", nil, nil, datasources.ErrorBadQuery},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, f := newFake(t, tc.routes)
			tr, err := c.Trace(context.Background(), tc.id, time.Time{}, time.Time{})
			if got := f.paths(); strings.Join(got, " ") != strings.Join(tc.asked, " ") {
				t.Errorf("asked %v, want %v", got, tc.asked)
			}
			if tc.kind == datasources.ErrorUnknown {
				if err != nil || tr.ID != "00000000000000005af7183fb1d4cf5f" {
					t.Errorf("trace %v, err %v", tr, err)
				}
				return
			}
			wantKind(t, err, tc.kind, "")
		})
	}
}

// TestRequestHeaders: the shared transport adds auth and the tenant.
func TestRequestHeaders(t *testing.T) {
	c, f := newFakeWith(t, datasources.Config{Username: "u", Password: "p", Tenant: "team-a"},
		map[string]reply{"/api/v2/services": jsonReply(testdata(t, "services.json"))})
	got, err := c.Services(context.Background())
	if err != nil || strings.Join(got, ",") != "backend,frontend,mailer,orders" {
		t.Fatalf("services %v, %v", got, err)
	}
	r := f.requests[0]
	if u, p, ok := r.BasicAuth(); !ok || u != "u" || p != "p" || r.Header.Get("X-Scope-OrgID") != "team-a" || r.Header.Get("Accept") != "application/json" {
		t.Errorf("headers %v", r.Header)
	}
}
