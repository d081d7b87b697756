package prometheus

import (
	"context"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/ariadne-dev/ariadne/datasources"
)

func TestQueryRange(t *testing.T) {
	f := newFake(t, map[string]reply{"/api/v1/query_range": {file: "matrix.json"}})
	c := f.client(t, datasources.Config{})
	start := time.Unix(1795659720, 0)
	res, err := c.QueryRange(context.Background(), `histogram_quantile(0.9, rate(x_bucket[5m]))`, start, start.Add(time.Minute), 15*time.Second)
	if err != nil {
		t.Fatal(err)
	}

	req := f.last("/api/v1/query_range")
	for k, want := range map[string]string{
		"query": `histogram_quantile(0.9, rate(x_bucket[5m]))`,
		"start": "1795659720", "end": "1795659780", "step": "15",
		"timeout": "27s", // 90% of the default 30s request timeout
	} {
		if got := req.form.Get(k); got != want {
			t.Errorf("request %s = %q, want %q", k, got, want)
		}
	}

	if len(res.Series) != 2 {
		t.Fatalf("got %d series, want 2", len(res.Series))
	}
	wantLabels := map[string]string{"__name__": "http_request_duration_seconds:p90", "job": "checkout", "instance": "10.0.0.7:8080"}
	if !reflect.DeepEqual(res.Series[0].Labels, wantLabels) {
		t.Errorf("labels = %v, want %v", res.Series[0].Labels, wantLabels)
	}
	pts := res.Series[0].Points
	wantT := []int64{1795659720000, 1795659735000, 1795659750000, 1795659765500}
	for i, p := range pts {
		if p.TMs != wantT[i] {
			t.Errorf("point %d at %d ms, want %d", i, p.TMs, wantT[i])
		}
	}
	if pts[0].V != 0.125 || !math.IsNaN(pts[1].V) || !math.IsInf(pts[2].V, 1) || !math.IsInf(pts[3].V, -1) {
		t.Errorf("values = %v, want 0.125 NaN +Inf -Inf", pts)
	}
	if got := res.Series[1].Points; len(got) != 1 || got[0].V != 0.001 {
		t.Errorf("second series = %v, want one point of 0.001", got)
	}
	wantWarn := []string{`PromQL info: metric might not be a counter, name does not end in _total/_sum/_count/_bucket: "http_requests"`}
	if !reflect.DeepEqual([]string(res.Warnings), wantWarn) {
		t.Errorf("warnings = %q, want %q", res.Warnings, wantWarn)
	}
}

func TestQueryInstant(t *testing.T) {
	at := time.Unix(1795659720, 345e6)
	tests := []struct {
		file string
		want []datasources.Series
	}{
		{"vector.json", []datasources.Series{
			{Labels: map[string]string{"__name__": "up", "instance": "127.0.0.1:9090", "job": "prometheus"}, Points: []datasources.Point{{TMs: 1795659720345, V: 1}}},
			{Labels: map[string]string{"__name__": "up", "instance": "127.0.0.1:9100", "job": "node"}, Points: []datasources.Point{{TMs: 1795659720345, V: 0}}},
		}},
		{"scalar.json", []datasources.Series{
			{Labels: map[string]string{}, Points: []datasources.Point{{TMs: 1795659720360, V: math.Inf(1)}}},
		}},
		{"empty_vector.json", []datasources.Series{}},
		// An instant query of a range selector (up[1m]) answers a matrix.
		{"matrix.json", nil},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			f := newFake(t, map[string]reply{"/api/v1/query": {file: tt.file}})
			res, err := f.client(t, datasources.Config{}).Query(context.Background(), "up", at)
			if err != nil {
				t.Fatal(err)
			}
			if got := f.last("/api/v1/query").form.Get("time"); got != "1795659720.345" {
				t.Errorf("time = %q, want 1795659720.345", got)
			}
			if tt.want == nil {
				if len(res.Series) != 2 || len(res.Series[0].Points) != 4 {
					t.Errorf("matrix answer = %v, want 2 series, 4 points in the first", res.Series)
				}
				return
			}
			if !reflect.DeepEqual(res.Series, tt.want) {
				t.Errorf("series = %v, want %v", res.Series, tt.want)
			}
		})
	}
}

func TestQueryStringResultIsBadQuery(t *testing.T) {
	f := newFake(t, map[string]reply{"/api/v1/query": {file: "string.json"}})
	_, err := f.client(t, datasources.Config{}).Query(context.Background(), `"x"`, time.Time{})
	e := wantError(t, err, datasources.ErrorBadQuery)
	if e.Message != "The query returns a string; graphs need a vector, a matrix or a scalar." {
		t.Errorf("message = %q", e.Message)
	}
}

func TestQueryTimeoutParameter(t *testing.T) {
	tests := []struct {
		timeout time.Duration
		want    string
	}{
		{5 * time.Second, "4s"},    // 4.5s would be rejected by Prometheus
		{2 * time.Minute, "1m48s"}, // Prometheus parses compound durations
		{1500 * time.Millisecond, "1s"},
		{900 * time.Millisecond, ""}, // under a second: leave it to Prometheus
	}
	for _, tt := range tests {
		t.Run(tt.timeout.String(), func(t *testing.T) {
			f := newFake(t, map[string]reply{"/api/v1/query": {file: "vector.json"}})
			if _, err := f.client(t, datasources.Config{Timeout: tt.timeout}).Query(context.Background(), "up", time.Time{}); err != nil {
				t.Fatal(err)
			}
			if got := f.last("/api/v1/query").form.Get("timeout"); got != tt.want {
				t.Errorf("timeout = %q, want %q", got, tt.want)
			}
		})
	}
}
