package sampling

import (
	"reflect"
	"testing"
)

func TestOperations(t *testing.T) {
	cases := []struct {
		name     string
		kept     map[string]int
		requests map[string]float64
		want     []OperationCounts
	}{
		{"no kept roots: not a root service", nil, map[string]float64{"GET /x": 10}, nil},
		{"paired, busiest first", map[string]int{"POST /api/checkout": 60, "GET /api/orders/{id}": 58},
			map[string]float64{"GET /api/orders/{id}": 780, "POST /api/checkout": 420},
			[]OperationCounts{{"GET /api/orders/{id}", 780, 58}, {"POST /api/checkout", 420, 60}}},
		{"a root the metrics do not name, an operation nothing kept", map[string]int{"cron": 3},
			map[string]float64{"GET /": 5},
			[]OperationCounts{{"GET /", 5, 0}, {"cron", -1, 3}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := Operations(tc.kept, tc.requests); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %+v\nwant %+v", got, tc.want)
			}
		})
	}
}
