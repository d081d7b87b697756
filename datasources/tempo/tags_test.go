package tempo

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ariadne-dev/ariadne/datasources/contracttest"
)

func TestTagNames(t *testing.T) {
	v2 := jsonReply(contracttest.Read(t, "tempo", "real", "search-tags-v2.docs.json"))
	v1 := jsonReply(contracttest.Read(t, "tempo", "real", "search-tags-v1-scope-span.docs.json"))
	cases := []struct {
		name, scope string
		routes      map[string]reply
		want        string // first names, comma-joined
		count       int
		paths       string
	}{
		{"v2 resource scope", "resource", map[string]reply{"/api/v2/search/tags": v2}, "k6,service.name", 2, "/api/v2/search/tags"},
		{"v2 event scope", "event", map[string]reply{"/api/v2/search/tags": v2},
			"exception.escape,exception.message,exception.stacktrace,exception.type", 4, "/api/v2/search/tags"},
		// 1 link + 2 resource + 21 span + 20 intrinsic + 4 event.
		{"v2 all scopes", "", map[string]reply{"/api/v2/search/tags": v2}, "article.count,duration,event:name", 48, "/api/v2/search/tags"},
		{"v1 fallback", "span", map[string]reply{"/api/search/tags": v1}, "host.name,http.method,http.status_code", 14,
			"/api/v2/search/tags /api/search/tags"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, f := newFake(t, tc.routes)
			names, err := c.TagNames(context.Background(), tc.scope, time.Unix(1760000000, 0), time.Time{})
			if err != nil {
				t.Fatal(err)
			}
			if len(names) != tc.count || !strings.HasPrefix(strings.Join(names, ","), tc.want) {
				t.Errorf("names = %v (%d), want %d starting %s", names, len(names), tc.count, tc.want)
			}
			if got := strings.Join(f.paths(), " "); got != tc.paths {
				t.Errorf("paths = %s, want %s", got, tc.paths)
			}
			q := f.last(t).URL.Query()
			if q.Get("scope") != tc.scope || q.Get("start") != "1760000000" || q.Has("end") {
				t.Errorf("query = %v", q)
			}
		})
	}
}

func TestTagValues(t *testing.T) {
	v2 := jsonReply(contracttest.Read(t, "tempo", "real", "search-tag-values-v2-service-name.docs.json"))
	v1 := jsonReply(contracttest.Read(t, "tempo", "real", "search-tag-values-v1-service-name.docs.json"))
	const want = "article-service,auth-service,billing-service,cart-service,postgres,shop-backend"
	cases := []struct {
		name, tag string
		routes    map[string]reply
		paths     string
	}{
		{"v2 scoped", "resource.service.name", map[string]reply{"/api/v2/search/tag/resource.service.name/values": v2},
			"/api/v2/search/tag/resource.service.name/values"},
		{"v2 bare name becomes unscoped", "service.name", map[string]reply{"/api/v2/search/tag/.service.name/values": v2},
			"/api/v2/search/tag/.service.name/values"},
		{"v1 fallback strips the scope", "resource.service.name", map[string]reply{"/api/search/tag/service.name/values": v1},
			"/api/v2/search/tag/resource.service.name/values /api/search/tag/service.name/values"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, f := newFake(t, tc.routes)
			vals, err := c.TagValues(context.Background(), tc.tag, time.Time{}, time.Time{})
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(vals, ","); got != want {
				t.Errorf("values = %s, want %s (sorted)", got, want)
			}
			if got := strings.Join(f.paths(), " "); got != tc.paths {
				t.Errorf("paths = %s, want %s", got, tc.paths)
			}
		})
	}
}
