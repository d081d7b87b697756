package lokitest_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ariadne-dev/ariadne/datasources/lokitest"
)

// Bad requests get Loki's status and plain-text words.
func TestErrorAnswers(t *testing.T) {
	srv, _ := newPair(t, lokitest.WithMaxSeries(1))
	mustPush(t, srv, map[string]string{"service_name": "checkout", "pod": "a"}, lokitest.Entry{Time: at(1), Line: "x"})
	mustPush(t, srv, map[string]string{"service_name": "checkout", "pod": "b"}, lokitest.Entry{Time: at(2), Line: "y"})
	const rng = "&start=1705312800000000000&end=1705316400000000000"
	tests := []struct {
		name, path, params string
		status             int
		body               string // exact, or a prefix when it ends with "…"
	}{
		{"unbalanced aggregation", "query_range", `query=sum({job="mysql"})` + rng, 400,
			"parse error at line 1, col 18: syntax error: unexpected ), expecting ["},
		{"garbage in selector", "query_range", `query={a b}` + rng, 400,
			"parse error at line 1, col 4: syntax error: unexpected IDENTIFIER, expecting = or =~ or !~ or !="},
		{"selector matches everything", "query_range", `query={app=~".*"}` + rng, 400,
			`parse error : queries require at least one regexp or equality matcher that does not have an empty-compatible value. For instance, app=~".*" does not meet this requirement, but app=~".+" will`},
		{"empty selector", "query_range", `query={}` + rng, 400, "parse error at line 1, col 2: syntax error: unexpected }, expecting IDENTIFIER"},
		{"unterminated string", "query_range", `query={a="b}` + rng, 400, "parse error at line 1, col 4: syntax error: unterminated string"},
		{"log query on instant endpoint", "query", `query={service_name="checkout"}`, 400,
			"log queries are not supported as an instant query type, please change your query to a range query type"},
		{"max entries", "query_range", `query={service_name="checkout"}&limit=10000` + rng, 400,
			"max entries limit per query exceeded, limit > max_entries_limit_per_query (10000 > 5000)"},
		{"query length", "query_range", `query={service_name="checkout"}&start=1697536800000000000&end=1705316400000000000`, 400,
			"the query time range exceeds the limit (query length: 2161h0m0s, limit: 30d1h)"},
		{"series limit", "query_range", `query=count_over_time({service_name="checkout"}[1m])` + rng, 400,
			"maximum number of series (1) reached for a single query; …"},
		{"step too small", "query_range", `query=count_over_time({service_name="checkout"}[1m])&step=0.1` + rng, 400,
			"exceeded maximum resolution of 11,000 points per time series. Try increasing the value of the step parameter"},
		{"end before start", "query_range", `query={service_name="checkout"}&start=2000&end=1000`, 400,
			"end timestamp must not be before or equal to start time"},
		{"timestamp without zone", "query_range", `query={service_name="checkout"}&end=2025-05-27T14:59:33.073316`, 400,
			`could not parse 'end' parameter: strconv.ParseInt: parsing "2025-05-27T14:59:33.073316": invalid syntax`},
		{"non-positive limit", "query_range", `query={service_name="checkout"}&limit=0` + rng, 400, "limit must be a positive value"},
		{"bad direction", "query_range", `query={service_name="checkout"}&direction=up` + rng, 400, "invalid direction 'up'"},
		{"unsupported function", "query_range", `query=avg_over_time({a="b"} | unwrap x [1m])` + rng, 400,
			"parse error at line 1, col 1: avg_over_time is not supported by lokitest"},
		{"series without match", "series", "", 400, "at least one match[] argument must be provided"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := srv.URL + "/loki/api/v1/" + tt.path + "?" + encode(tt.params)
			status, body := get(t, u)
			match := body == tt.body
			if p, ok := strings.CutSuffix(tt.body, "…"); ok {
				match = strings.HasPrefix(body, p)
			}
			if status != tt.status || !match {
				t.Errorf("got %d %q\nwant %d %q", status, body, tt.status, tt.body)
			}
		})
	}
}

// encode escapes the values of a raw a=b&c=d string.
func encode(raw string) string {
	v := url.Values{}
	for _, kv := range strings.Split(raw, "&") {
		if k, val, ok := strings.Cut(kv, "="); ok {
			v.Add(k, val)
		}
	}
	return v.Encode()
}

func TestMultiTenantNeedsOrgID(t *testing.T) {
	srv := lokitest.NewTestServer(t, lokitest.WithMultiTenant(), lokitest.WithClock(func() time.Time { return t0 }))
	if status, body := get(t, srv.URL+"/loki/api/v1/labels"); status != 401 || body != "no org id" {
		t.Errorf("got %d %q", status, body)
	}
	if status, body := get(t, srv.URL+"/loki/api/v1/labels", "X-Scope-OrgID", "team-a"); status != 200 || body != `{"status":"success"}` {
		t.Errorf("got %d %q", status, body)
	}
}
