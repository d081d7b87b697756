package zipkintest_test

import (
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ariadne-dev/ariadne/datasources/zipkintest"
)

// searchWorld holds four traces, all relative to the clock's now:
//
//	t1 (10 min ago)  web "get /" 300 ms → api "list" client → db (uninstrumented), tag env=prod
//	t2 (20 min ago)  web "get /" 50 ms, annotation "cache.miss", tag env=dev
//	t3 (2 hours ago) web "post /" 1 s, error
//	t4 (30 min ago)  api "list" 80 ms, error tag "" on api; web child tagged env=prod
func searchWorld(t *testing.T, opts ...zipkintest.Option) *zipkintest.Server {
	t.Helper()
	s := server(t, opts...)
	ingest(t, s,
		zipkintest.Span{TraceID: "1", ID: "1", Name: "get /", Kind: zipkintest.KindServer, Timestamp: us(-10 * time.Minute), Duration: 300_000,
			LocalEndpoint: ep("web"), Tags: map[string]string{"env": "prod", "http.path": "/"}},
		zipkintest.Span{TraceID: "1", ID: "2", ParentID: "1", Name: "list", Kind: zipkintest.KindClient, Timestamp: us(-10*time.Minute) + 1000, Duration: 200_000,
			LocalEndpoint: ep("api"), RemoteEndpoint: ep("db")},

		zipkintest.Span{TraceID: "2", ID: "1", Name: "get /", Timestamp: us(-20 * time.Minute), Duration: 50_000,
			LocalEndpoint: ep("web"), Tags: map[string]string{"env": "dev"},
			Annotations: []zipkintest.Annotation{{Timestamp: us(-20*time.Minute) + 10, Value: "cache.miss"}}},

		zipkintest.Span{TraceID: "3", ID: "1", Name: "post /", Timestamp: us(-2 * time.Hour), Duration: 1_000_000,
			LocalEndpoint: ep("web"), Tags: map[string]string{"error": "boom"}},

		zipkintest.Span{TraceID: "4", ID: "1", Name: "list", Timestamp: us(-30 * time.Minute), Duration: 80_000,
			LocalEndpoint: ep("api"), Tags: map[string]string{"error": ""}},
		zipkintest.Span{TraceID: "4", ID: "2", ParentID: "1", Name: "render", Timestamp: us(-30*time.Minute) + 5, Duration: 10_000,
			LocalEndpoint: ep("web"), Tags: map[string]string{"env": "prod"}},
	)
	return s
}

const (
	t1 = "0000000000000001"
	t2 = "0000000000000002"
	t3 = "0000000000000003"
	t4 = "0000000000000004"
)

func TestSearch(t *testing.T) {
	s := searchWorld(t)
	ms := func(d time.Duration) string { return itoa(epoch.Add(d).UnixMilli()) }
	cases := []struct {
		name  string
		query string
		want  []string
	}{
		{"everything in the last day, newest first", "", []string{t1, t2, t4, t3}},
		{"serviceName", "serviceName=api", []string{t1, t4}},
		{"serviceName is case-insensitive", "serviceName=API", []string{t1, t4}},
		{"spanName", "spanName=get+/", []string{t1, t2}},
		{"spanName all is any", "spanName=all&serviceName=api", []string{t1, t4}},
		{"spanName of the service only", "serviceName=api&spanName=get+/", []string{}},
		{"remoteServiceName", "serviceName=api&remoteServiceName=db", []string{t1}},
		{"a tag", "annotationQuery=env%3Dprod", []string{t1, t4}},
		{"a tag's value must match", "annotationQuery=env%3Dstaging", []string{}},
		{"a bare key matches a tag of any value", "annotationQuery=env", []string{t1, t2, t4}},
		{"a bare key matches an annotation", "annotationQuery=cache.miss", []string{t2}},
		{"an empty error tag is still error", "annotationQuery=error", []string{t4, t3}},
		{"and: every term", "annotationQuery=env%3Dprod+and+error", []string{t4}},
		{"terms are met by the named service's spans only", "serviceName=api&annotationQuery=env%3Dprod", []string{}},
		{"a later key=value replaces an earlier one", "annotationQuery=env%3Ddev+and+env%3Dprod", []string{t1, t4}},
		{"a bare key does not replace key=value", "annotationQuery=env%3Ddev+and+env", []string{t2}},
		{"minDuration", "minDuration=100000", []string{t1, t3}},
		{"minDuration and maxDuration", "minDuration=60000&maxDuration=100000", []string{t4}},
		{"duration of the named service's spans", "serviceName=api&minDuration=150000", []string{t1}},
		{"endTs and lookback", "endTs=" + ms(-15*time.Minute) + "&lookback=" + itoa((20 * time.Minute).Milliseconds()), []string{t2, t4}},
		{"lookback reaches the old trace", "lookback=" + itoa((3 * time.Hour).Milliseconds()) + "&serviceName=web&spanName=post+/", []string{t3}},
		{"the window is judged by the root's timestamp", "endTs=" + ms(-10*time.Minute), []string{t1, t2, t4, t3}},
		{"limit keeps the newest", "limit=2", []string{t1, t2}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var traces [][]zipkintest.Span
			getJSON(t, s, "/api/v2/traces?"+tc.query, &traces)
			if got := traceIDs(traces); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("?%s found %v, want %v", tc.query, got, tc.want)
			}
		})
	}
}

// TestSearchValidation refuses what Zipkin's QueryRequest refuses, with its
// messages.
func TestSearchValidation(t *testing.T) {
	s := searchWorld(t)
	cases := []struct{ query, want string }{
		{"maxDuration=10", "maxDuration is only valid with minDuration"},
		{"minDuration=10&maxDuration=5", "maxDuration < minDuration"},
		{"minDuration=0", "minDuration <= 0"},
		{"lookback=0", "lookback <= 0"},
		{"limit=0", "limit <= 0"},
		{"endTs=-1", "endTs <= 0"},
		{"endTs=soon", "endTs is not a number"},
		{"limit=ten", "limit is not a number"},
	}
	for _, tc := range cases {
		t.Run(tc.query, func(t *testing.T) {
			status, body := get(t, s, "/api/v2/traces?"+tc.query)
			if status != http.StatusBadRequest || !strings.Contains(string(body), tc.want) {
				t.Errorf("%d %s, want 400 %q", status, body, tc.want)
			}
		})
	}
}

func TestNames(t *testing.T) {
	s := searchWorld(t, zipkintest.WithAutocompleteKeys("env"))
	cases := []struct {
		path       string
		wantStatus int
		want       []string
		wantBody   string
	}{
		{"/api/v2/services", 200, []string{"api", "web"}, ""},
		{"/api/v2/spans?serviceName=web", 200, []string{"get /", "post /", "render"}, ""},
		{"/api/v2/spans?serviceName=WEB", 200, []string{"get /", "post /", "render"}, ""},
		{"/api/v2/spans?serviceName=", 200, []string{}, ""},
		{"/api/v2/spans", 400, nil, "Mandatory parameter is missing: serviceName"},
		{"/api/v2/remoteServices?serviceName=api", 200, []string{"db"}, ""},
		{"/api/v2/remoteServices?serviceName=web", 200, []string{}, ""},
		{"/api/v2/remoteServices", 400, nil, "serviceName"},
		{"/api/v2/autocompleteKeys", 200, []string{"env"}, ""},
		{"/api/v2/autocompleteValues?key=env", 200, []string{"dev", "prod"}, ""},
		{"/api/v2/autocompleteValues?key=http.path", 200, []string{}, ""}, // not configured
		{"/api/v2/autocompleteValues?key=", 400, nil, "key was empty"},
		{"/api/v2/autocompleteValues", 400, nil, "Mandatory parameter is missing: key"},
	}
	for _, tc := range cases {
		t.Run(tc.path, func(t *testing.T) {
			status, body := get(t, s, tc.path)
			if status != tc.wantStatus || !strings.Contains(string(body), tc.wantBody) {
				t.Fatalf("%d %s, want %d containing %q", status, body, tc.wantStatus, tc.wantBody)
			}
			if tc.want != nil {
				var got []string
				getJSON(t, s, tc.path, &got)
				if !reflect.DeepEqual(got, tc.want) {
					t.Errorf("got %v, want %v", got, tc.want)
				}
			}
		})
	}
}

func TestDependencies(t *testing.T) {
	s := server(t)
	ingest(t, s,
		// web → api as one RPC in two halves sharing ID 2, the server half failing.
		zipkintest.Span{TraceID: "1", ID: "1", Kind: zipkintest.KindServer, Timestamp: us(-time.Minute), LocalEndpoint: ep("web")},
		zipkintest.Span{TraceID: "1", ID: "2", ParentID: "1", Kind: zipkintest.KindClient, Timestamp: us(-time.Minute), LocalEndpoint: ep("web")},
		zipkintest.Span{TraceID: "1", ID: "2", ParentID: "1", Kind: zipkintest.KindServer, Shared: true, Timestamp: us(-time.Minute),
			LocalEndpoint: ep("api"), Tags: map[string]string{"error": "500"}},
		// api → db, db not traced: the client's remote endpoint.
		zipkintest.Span{TraceID: "1", ID: "3", ParentID: "2", Kind: zipkintest.KindClient, Timestamp: us(-time.Minute),
			LocalEndpoint: ep("api"), RemoteEndpoint: ep("db")},
		// api → auth with separate span IDs (client parent, server child).
		zipkintest.Span{TraceID: "1", ID: "4", ParentID: "2", Kind: zipkintest.KindClient, Timestamp: us(-time.Minute),
			LocalEndpoint: ep("api"), RemoteEndpoint: ep("auth")},
		zipkintest.Span{TraceID: "1", ID: "5", ParentID: "4", Kind: zipkintest.KindServer, Timestamp: us(-time.Minute), LocalEndpoint: ep("auth")},
		// api → queue → mailer.
		zipkintest.Span{TraceID: "1", ID: "6", ParentID: "2", Kind: zipkintest.KindProducer, Timestamp: us(-time.Minute),
			LocalEndpoint: ep("api"), RemoteEndpoint: ep("queue")},
		zipkintest.Span{TraceID: "1", ID: "7", ParentID: "6", Kind: zipkintest.KindConsumer, Timestamp: us(-time.Minute),
			LocalEndpoint: ep("mailer"), RemoteEndpoint: ep("queue")},

		// A second web → api call, in another trace, outside a 1-hour window.
		zipkintest.Span{TraceID: "2", ID: "1", Kind: zipkintest.KindClient, Timestamp: us(-2 * time.Hour), LocalEndpoint: ep("web")},
		zipkintest.Span{TraceID: "2", ID: "1", Kind: zipkintest.KindServer, Shared: true, Timestamp: us(-2 * time.Hour), LocalEndpoint: ep("api")},
	)
	end := itoa(epoch.UnixMilli())
	cases := []struct {
		query string
		want  []zipkintest.DependencyLink
	}{
		{"endTs=" + end + "&lookback=" + itoa(time.Hour.Milliseconds()), []zipkintest.DependencyLink{
			{Parent: "api", Child: "auth", CallCount: 1},
			{Parent: "api", Child: "db", CallCount: 1},
			{Parent: "api", Child: "queue", CallCount: 1},
			{Parent: "queue", Child: "mailer", CallCount: 1},
			{Parent: "web", Child: "api", CallCount: 1, ErrorCount: 1},
		}},
		{"endTs=" + end, []zipkintest.DependencyLink{ // a day by default
			{Parent: "api", Child: "auth", CallCount: 1},
			{Parent: "api", Child: "db", CallCount: 1},
			{Parent: "api", Child: "queue", CallCount: 1},
			{Parent: "queue", Child: "mailer", CallCount: 1},
			{Parent: "web", Child: "api", CallCount: 2, ErrorCount: 1},
		}},
		{"endTs=" + itoa(epoch.Add(-3*time.Hour).UnixMilli()) + "&lookback=1000", []zipkintest.DependencyLink{}},
	}
	for _, tc := range cases {
		var got []zipkintest.DependencyLink
		getJSON(t, s, "/api/v2/dependencies?"+tc.query, &got)
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("?%s:\n got %+v\nwant %+v", tc.query, got, tc.want)
		}
	}
	for _, q := range []string{"", "lookback=10", "endTs=x", "endTs=" + end + "&lookback=0"} {
		if status, body := get(t, s, "/api/v2/dependencies?"+q); status != http.StatusBadRequest {
			t.Errorf("?%s: %d %s, want 400", q, status, body)
		}
	}
}
