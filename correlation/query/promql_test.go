package query

import (
	"slices"
	"strings"
	"testing"
)

func TestSelectors(t *testing.T) {
	tests := []struct {
		q    string
		want []string
	}{
		{`up`, []string{"up"}},
		{`histogram_quantile(0.99, sum by (le, service) (rate(http_server_request_duration_seconds_bucket[1m])))`,
			[]string{"http_server_request_duration_seconds_bucket"}},
		{`sum without (instance) (rate(a_total{job="x", path=~"/a{2}"}[5m] offset 1h)) / on (job) group_left (team) b`,
			[]string{`a_total{job="x", path=~"/a{2}"}`, "b"}},
		{`max_over_time(rate(x[1m])[10m:30s]) > bool 0.5 and ignoring(le) y unless z`, []string{"x", "y", "z"}},
		{`{__name__="foo", job="a"} # comment with fake_metric{}`, []string{`{__name__="foo", job="a"}`}},
		{`label_replace(up, "dst", "$1", "src", "(.*)")`, []string{"up"}},
		{`1 + 2e3 * Inf - NaN`, nil},
		{`up or up`, []string{"up"}},
		{`sum by(le)(rate(x[1m]))`, []string{"x"}},
		// Broken queries (Prometheus rejects them) still scan without panic.
		{`rate(x{a="unterminated`, []string{`x{a="unterminated}`}},
		{`{`, []string{`{}`}},
	}
	for _, tt := range tests {
		var got []string
		for _, s := range Selectors(tt.q) {
			got = append(got, s.String())
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("Selectors(%q) = %q, want %q", tt.q, got, tt.want)
		}
	}
}

func TestExemplarQuery(t *testing.T) {
	tests := []struct {
		name, q, want string
	}{
		{"demo p99", `histogram_quantile(0.99, sum by (le, service) (rate(http_server_request_duration_seconds_bucket[1m])))`,
			`http_server_request_duration_seconds_bucket`},
		{"matchers kept", `histogram_quantile(0.9, sum by (le) (rate(http_server_request_duration_seconds_bucket{service="orders",route!~"/health.*"}[5m])))`,
			`http_server_request_duration_seconds_bucket{service="orders",route!~"/health.*"}`},
		{"two histograms", `histogram_quantile(0.5, rate(a_bucket{x="1"}[1m])) - histogram_quantile(0.5, rate(b_bucket[1m]))`,
			`a_bucket{x="1"} or b_bucket`},
		{"not a quantile: passed through", `rate(http_server_request_duration_seconds_count[1m])`,
			`rate(http_server_request_duration_seconds_count[1m])`},
		{"native histogram: passed through", `histogram_quantile(0.99, rate(http_duration_seconds[1m]))`,
			`histogram_quantile(0.99, rate(http_duration_seconds[1m]))`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ExemplarQuery(tt.q); got != tt.want {
				t.Errorf("ExemplarQuery = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestREDQueries(t *testing.T) {
	if got := REDQueries(nil, `pay"ments`); len(got) != len(DefaultREDQueries) || !strings.Contains(got[0], `service="pay\"ments"`) {
		t.Errorf("defaults for a hostile name: %q", got)
	}
	if got := REDQueries([]string{`up{job="$service"} + $service`}, "api"); len(got) != 1 || got[0] != `up{job="api"} + api` {
		t.Errorf("configured: %q", got)
	}
}
