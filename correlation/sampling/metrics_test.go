package sampling

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/ariadne-dev/ariadne/datasources"
)

// labelled is a series with labels k=v pairs and one point per value, a
// minute apart.
func labelled(kv []string, vals ...float64) datasources.Series {
	s := datasources.Series{Labels: map[string]string{}}
	for i := 0; i+1 < len(kv); i += 2 {
		s.Labels[kv[i]] = kv[i+1]
	}
	for i, v := range vals {
		s.Points = append(s.Points, datasources.Point{TMs: int64(i+1) * 60_000, V: v})
	}
	return s
}

func svc(name string, vals ...float64) datasources.Series {
	return labelled([]string{"service", name}, vals...)
}

func op(service, method, route string, vals ...float64) datasources.Series {
	return labelled([]string{"service", service, "method", method, "route", route}, vals...)
}

func exemplar(service, key, id string) datasources.Exemplar {
	return datasources.Exemplar{SeriesLabels: map[string]string{"service": service}, Labels: map[string]string{key: id}}
}

// counted is one service's counts in a line: its totals, its steps and
// what it carries beside.
func counted(c Counted) string {
	var ops []string
	for _, k := range slices.Sorted(maps.Keys(c.Ops)) {
		ops = append(ops, fmt.Sprintf("%s=%g", k, c.Ops[k]))
	}
	return fmt.Sprintf("%s: %g requests, %g errors, steps %v %v, ops [%s], exemplars %v",
		c.Counts.Service, c.Counts.Requests, c.Counts.Errors, c.EndsMs, c.Requests, strings.Join(ops, " "), c.ExemplarTraces)
}

func TestMetricsServices(t *testing.T) {
	const id1, id2, id3 = "0af7651916cd43dd8448eb211c80319c", "00000000000000000000000000000abc", "4bf92f3577b34da6a3ce929d0e0e4736"
	nan, inf := math.NaN(), math.Inf(1)
	for _, tc := range []struct {
		name string
		m    Metrics
		want []string
	}{
		{
			name: "nothing counted",
			m:    Metrics{},
		},
		{
			// A gap in the counter is no request: the step shows 0.
			name: "services by name, NaN and infinite steps count 0",
			m: Metrics{Requests: []datasources.Series{svc("orders", 5, nan, 7), svc("gateway", 10, inf), svc("", 99)},
				Errors: []datasources.Series{svc("orders", 1, nan, 2), svc("gateway", inf, 3), svc("ghost", 4)}},
			want: []string{
				"gateway: 10 requests, 3 errors, steps [60000 120000] [10 0], ops [], exemplars []",
				"orders: 12 requests, 3 errors, steps [60000 120000 180000] [5 0 7], ops [], exemplars []",
			},
		},
		{
			name: "without the errors and operations answers: none counted",
			m:    Metrics{Requests: []datasources.Series{svc("orders", 5)}},
			want: []string{"orders: 5 requests, 0 errors, steps [60000] [5], ops [], exemplars []"},
		},
		{
			name: "operations named as root spans are",
			m: Metrics{Requests: []datasources.Series{svc("orders", 5)}, Ops: []datasources.Series{
				op("orders", "GET", "/api/orders/{id}", 2, nan, 1),
				op("orders", "POST", "/api/orders", 2),
				op("orders", "", "/health", 9),
				op("orders", "GET", "", 9),
				op("ghost", "GET", "/", 9),
			}},
			want: []string{"orders: 5 requests, 0 errors, steps [60000] [5], ops [GET /api/orders/{id}=3 POST /api/orders=2], exemplars []"},
		},
		{
			name: "exemplars' traces, at most MaxExemplars a service",
			m: Metrics{Requests: []datasources.Series{svc("orders", 5), svc("gateway", 1)}, MaxExemplars: 2, Exemplars: []datasources.Exemplar{
				exemplar("orders", "trace_id", id1),
				exemplar("orders", "trace_id", "not a trace id"),
				exemplar("orders", "span_id", id3),
				exemplar("orders", "trace_id", "ABC"),
				exemplar("orders", "trace_id", id3),
				exemplar("gateway", "traceID", id3),
				exemplar("ghost", "trace_id", id1),
			}},
			want: []string{
				"gateway: 1 requests, 0 errors, steps [60000] [1], ops [], exemplars [" + id3 + "]",
				"orders: 5 requests, 0 errors, steps [60000] [5], ops [], exemplars [" + id1 + " " + id2 + "]",
			},
		},
		{
			name: "configured trace labels",
			m: Metrics{Requests: []datasources.Series{svc("orders", 5)}, MaxExemplars: 5, TraceLabels: []string{"tid"}, Exemplars: []datasources.Exemplar{
				exemplar("orders", "trace_id", id1),
				exemplar("orders", "tid", id3),
			}},
			want: []string{"orders: 5 requests, 0 errors, steps [60000] [5], ops [], exemplars [" + id3 + "]"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, c := range tc.m.Services() {
				got = append(got, counted(c))
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("got\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(tc.want, "\n  "))
			}
		})
	}
}
