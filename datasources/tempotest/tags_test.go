package tempotest_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ariadne-dev/ariadne/datasources/tempotest"
)

func TestTagsThroughClient(t *testing.T) {
	spanTags := "db.cache_hit,db.latency_ratio,db.rows,db.system,http.method,http.request.method," +
		"http.response.status_code,http.route,http.status_code,server.address"
	for _, v := range []struct {
		name string
		opts []tempotest.Option
	}{{"v2", nil}, {"v1 fallback", []tempotest.Option{tempotest.WithoutV2()}}} {
		t.Run(v.name, func(t *testing.T) {
			srv, c := withCheckout(t, v.opts...)
			srv.Ingest(legacyTrace())
			names := []struct{ scope, want string }{
				{"resource", "deployment.environment,service.name"},
				{"span", spanTags},
			}
			if v.opts == nil {
				names = append(names, struct{ scope, want string }{"event", "exception.message,exception.type"})
			}
			for _, n := range names {
				got, err := c.TagNames(context.Background(), n.scope, time.Time{}, time.Time{})
				if err != nil || strings.Join(got, ",") != n.want {
					t.Errorf("TagNames(%s) = %v %v, want %s", n.scope, got, err, n.want)
				}
			}
			values := []struct{ tag, want string }{
				{"resource.service.name", "cart,frontend,test-api"},
				{"span.http.status_code", "200,502"},
				{"http.request.method", "GET,POST"},
			}
			if v.opts == nil { // intrinsics exist only in v2
				values = append(values, struct{ tag, want string }{"status", "error,unset"}, struct{ tag, want string }{"kind", "client,server"})
			}
			for _, tv := range values {
				got, err := c.TagValues(context.Background(), tv.tag, time.Time{}, time.Time{})
				if err != nil || strings.Join(got, ",") != tv.want {
					t.Errorf("TagValues(%s) = %v %v, want %s", tv.tag, got, err, tv.want)
				}
			}
		})
	}
}

func TestTagEndpointsWire(t *testing.T) {
	srv, _ := withCheckout(t)
	cases := []struct{ path, want string }{
		{"/api/v2/search/tag/span.http.response.status_code/values", `{"metrics":{},"tagValues":[{"type":"int","value":"503"}]}`},
		{"/api/v2/search/tag/span.db.cache_hit/values", `{"metrics":{},"tagValues":[{"type":"bool","value":"false"}]}`},
		{"/api/v2/search/tag/kind/values", `{"metrics":{},"tagValues":[{"type":"keyword","value":"client"},{"type":"keyword","value":"server"}]}`},
		{"/api/search/tag/service.name/values", `{"metrics":{},"tagValues":["cart","frontend"]}`},
		{"/api/search/tags?scope=resource", `{"metrics":{},"tagNames":["deployment.environment","service.name"]}`},
		{"/api/v2/search/tags?scope=event", `{"metrics":{},"scopes":[{"name":"event","tags":["exception.message","exception.type"]}]}`},
		// Outside the trace's time range nothing is listed.
		{"/api/search/tag/service.name/values?start=1700000000&end=1700000100", `{"metrics":{},"tagValues":[]}`},
	}
	for _, tc := range cases {
		status, _, body := get(t, srv.URL+tc.path, "")
		if status != 200 || string(body) != tc.want {
			t.Errorf("%s: %d %s\nwant %s", tc.path, status, body, tc.want)
		}
	}
	if status, _, body := get(t, srv.URL+"/api/v2/search/tag/%7B%7D/values", ""); status != 400 {
		t.Errorf("bad identifier: %d %s", status, body)
	}
	if status, _, _ := get(t, srv.URL+"/api/search/tags?scope=nope", ""); status != 400 {
		t.Errorf("bad scope: %d", status)
	}
}
