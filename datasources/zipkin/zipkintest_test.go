package zipkin_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/datasources/zipkin"
	"github.com/ariadne-dev/ariadne/datasources/zipkintest"
)

// now is the zipkintest server's injected clock in these tests: fixtures
// are written relative to it, so no test depends on the day it runs.
var now = time.Unix(0, 0).UTC().Add(540_000 * time.Hour)

const (
	checkout64 = "00f067aa0ba902b7"                 // a 64-bit trace
	checkout   = "0000000000000000" + checkout64    // as Ariadne writes it
	batch128   = "4bf92f3577b34da6a3ce929d0e0e4736" // a 128-bit trace
)

// shop is a small world: a checkout through gateway → orders (a shared
// RPC) → payments, which fails, and a 128-bit batch job an hour older.
func shop() []zipkintest.Span {
	at := func(d time.Duration) int64 { return zipkintest.Micros(now.Add(d)) }
	ep := func(svc, ip string) *zipkintest.Endpoint {
		return &zipkintest.Endpoint{ServiceName: svc, IPv4: ip, Port: 8080}
	}
	return []zipkintest.Span{
		{TraceID: checkout64, ID: "a1", Name: "POST /checkout", Kind: zipkintest.KindServer,
			Timestamp: at(-5 * time.Minute), Duration: 250_000, LocalEndpoint: ep("gateway", "10.0.0.1"),
			Tags: map[string]string{"http.method": "POST", "env": "prod"}},
		{TraceID: checkout64, ID: "b2", ParentID: "a1", Name: "create order", Kind: zipkintest.KindClient,
			Timestamp: at(-5*time.Minute) + 1000, Duration: 200_000, LocalEndpoint: ep("gateway", "10.0.0.1"),
			RemoteEndpoint: ep("orders", "10.0.0.2")},
		{TraceID: checkout64, ID: "b2", ParentID: "a1", Name: "create order", Kind: zipkintest.KindServer, Shared: true,
			Timestamp: at(-5*time.Minute) + 2000, Duration: 190_000, LocalEndpoint: ep("orders", "10.0.0.2")},
		{TraceID: checkout64, ID: "c3", ParentID: "b2", Name: "charge", Kind: zipkintest.KindClient,
			Timestamp: at(-5*time.Minute) + 3000, Duration: 150_000, LocalEndpoint: ep("orders", "10.0.0.2"),
			RemoteEndpoint: ep("payments", ""), Tags: map[string]string{"error": "card declined"},
			Annotations: []zipkintest.Annotation{{Timestamp: at(-5*time.Minute) + 4000, Value: "retry"}}},
		{TraceID: batch128, ID: "d4", Name: "nightly export", Timestamp: at(-65 * time.Minute), Duration: 2_000_000,
			LocalEndpoint: ep("inventory", "10.0.0.4"), Tags: map[string]string{"env": "prod"}},
	}
}

// world starts a zipkintest server on the injected clock, pushes the shop
// over HTTP as a tracer would, and returns a client for it.
func world(t *testing.T, opts ...zipkintest.Option) (*zipkintest.Server, *zipkin.Client) {
	t.Helper()
	srv := zipkintest.NewTestServer(t, append([]zipkintest.Option{zipkintest.WithClock(func() time.Time { return now }),
		zipkintest.WithAutocompleteKeys("env")}, opts...)...)
	body, err := json.Marshal(shop())
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Post(srv.URL+"/api/v2/spans", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("push: %d %s", resp.StatusCode, b)
	}
	c, err := zipkin.New(datasources.Config{URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}

func TestTraceFromZipkintest(t *testing.T) {
	_, c := world(t)
	ctx := context.Background()
	for _, id := range []string{checkout, checkout64, "F067AA0BA902B7"} {
		tr, err := c.Trace(ctx, id, time.Time{}, time.Time{})
		if err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		if tr.ID != checkout || len(tr.Spans) != 4 {
			t.Fatalf("%s: trace %s with %d spans, want %s with 4 (both halves of create order)", id, tr.ID, len(tr.Spans), checkout)
		}
	}
	tr, _ := c.Trace(ctx, checkout, time.Time{}, time.Time{})
	var client, server, charge datasources.Span
	for _, s := range tr.Spans {
		switch {
		case s.Name == "create order" && s.Kind == datasources.KindClient:
			client = s
		case s.Name == "create order" && s.Kind == datasources.KindServer:
			server = s
		case s.Name == "charge":
			charge = s
		}
	}
	if client.SpanID != "00000000000000b2" || server.ParentSpanID != client.SpanID || charge.ParentSpanID != server.SpanID {
		t.Errorf("client %s, server %s under %s, charge under %s: want charge under orders' server half under gateway's client half",
			client.SpanID, server.SpanID, server.ParentSpanID, charge.ParentSpanID)
	}
	if charge.Status != datasources.StatusError || charge.StatusMsg() != "card declined" || len(charge.Events()) != 1 {
		t.Errorf("charge: %q %q, events %+v", charge.Status, charge.StatusMsg(), charge.Events())
	}
	if v, _ := datasources.Attr(charge.Attributes(), "peer.service"); v != "payments" {
		t.Errorf("charge attributes %+v", charge.Attributes())
	}

	batch, err := c.Trace(ctx, batch128, time.Time{}, time.Time{})
	if err != nil || batch.ID != batch128 || batch.Spans[0].Kind != datasources.KindInternal {
		t.Errorf("batch: %+v, %v", batch, err)
	}
	_, err = c.Trace(ctx, "00000000000000000000000000000001", time.Time{}, time.Time{})
	if e, ok := err.(*datasources.Error); !ok || e.Kind != datasources.ErrorNotFound {
		t.Errorf("a missing trace: %v", err)
	}
}

// TestLenientZipkintest: Zipkin with STRICT_TRACE_ID=false finds a 128-bit
// trace by its low half, which is what a 64-bit ID in a log gives.
func TestLenientZipkintest(t *testing.T) {
	_, c := world(t, zipkintest.WithLenientTraceIDs())
	tr, err := c.Trace(context.Background(), batch128[16:], time.Time{}, time.Time{})
	if err != nil || tr.ID != batch128 {
		t.Fatalf("trace %+v, %v", tr, err)
	}
}

func TestSearchZipkintest(t *testing.T) {
	_, c := world(t)
	hour := datasources.TraceQuery{Start: now.Add(-time.Hour), End: now}
	cases := []struct {
		name string
		q    datasources.TraceQuery
		want []string
	}{
		{"the last two hours", datasources.TraceQuery{Start: now.Add(-2 * time.Hour), End: now}, []string{checkout, batch128}},
		{"the last hour", hour, []string{checkout}},
		{"a service with spans in the trace", with(hour, func(q *datasources.TraceQuery) { q.Service = "orders" }), []string{checkout}},
		{"errors only", datasources.TraceQuery{ErrorsOnly: true, Start: now.Add(-2 * time.Hour), End: now}, []string{checkout}},
		{"a tag", datasources.TraceQuery{Attributes: []datasources.Attribute{{Key: "env", Value: "prod"}}, Start: now.Add(-2 * time.Hour), End: now},
			[]string{checkout, batch128}},
		{"a span name", with(hour, func(q *datasources.TraceQuery) { q.Operation = "Charge" }), []string{checkout}},
		{"a minimum duration", datasources.TraceQuery{MinDuration: time.Second, Start: now.Add(-2 * time.Hour), End: now}, []string{batch128}},
		{"a maximum alone", datasources.TraceQuery{MaxDuration: 160 * time.Millisecond, Start: now.Add(-2 * time.Hour), End: now}, []string{checkout}},
		{"limit", datasources.TraceQuery{Limit: 1, Start: now.Add(-2 * time.Hour), End: now}, []string{checkout}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, err := c.Search(context.Background(), tc.q)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, s := range res.Traces {
				got = append(got, s.TraceID)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("found %v, want %v (sent %s)", got, tc.want, res.Sent)
			}
		})
	}
	res, err := c.Search(context.Background(), hour)
	if err != nil {
		t.Fatal(err)
	}
	want := datasources.TraceSummary{TraceID: checkout, RootService: "gateway", RootName: "post /checkout",
		StartNs: now.Add(-5 * time.Minute).UnixNano(), Duration: 250 * time.Millisecond, Spans: 4, Errors: 1,
		Services: []string{"gateway", "orders"}}
	got := res.Traces[0]
	if len(got.Sampling) != 1 || got.Sampling[0].SpanID != "00000000000000a1" {
		t.Errorf("sampling spans %+v: want the root alone", got.Sampling)
	}
	got.Sampling = nil
	if !reflect.DeepEqual(got, want) {
		t.Errorf("summary\n got %+v\nwant %+v", got, want)
	}
}

func with(q datasources.TraceQuery, f func(*datasources.TraceQuery)) datasources.TraceQuery {
	f(&q)
	return q
}

func TestNamesZipkintest(t *testing.T) {
	srv, c := world(t)
	ctx := context.Background()
	check := func(what string, got []string, err error, want ...string) {
		t.Helper()
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("%s: %v, %v; want %v", what, got, err, want)
		}
	}
	got, err := c.Services(ctx)
	check("services", got, err, "gateway", "inventory", "orders")
	got, err = c.SpanNames(ctx, "orders")
	check("span names", got, err, "charge", "create order")
	got, err = c.RemoteServices(ctx, "orders")
	check("remote services", got, err, "payments")
	got, err = c.AutocompleteKeys(ctx)
	check("autocomplete keys", got, err, "env")
	got, err = c.AutocompleteValues(ctx, "env")
	check("autocomplete values", got, err, "prod")

	deps, err := c.Dependencies(ctx, now, time.Hour)
	wantDeps := []zipkin.Dependency{{Parent: "gateway", Child: "orders", CallCount: 1}, {Parent: "orders", Child: "payments", CallCount: 1, ErrorCount: 1}}
	if err != nil || !reflect.DeepEqual(deps, wantDeps) {
		t.Errorf("dependencies %+v, %v; want %+v", deps, err, wantDeps)
	}

	if err := c.Ready(ctx); err != nil {
		t.Errorf("ready: %v", err)
	}
	srv.SetDown("storage is full")
	err = c.Ready(ctx)
	if e, ok := err.(*datasources.Error); !ok || e.Kind != datasources.ErrorUnavailable || e.Message != "Zipkin reports its health as DOWN (InMemoryStorage: storage is full)." {
		t.Errorf("ready when down: %v", err)
	}
}

// TestBadQueryZipkintest: what the server refuses reaches the user in its
// words.
func TestBadQueryZipkintest(t *testing.T) {
	_, c := world(t)
	_, err := c.AutocompleteValues(context.Background(), "")
	if e, ok := err.(*datasources.Error); !ok || e.Kind != datasources.ErrorBadQuery || e.Message != "key was empty" {
		t.Errorf("err = %v", err)
	}
}
