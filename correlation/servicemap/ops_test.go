package servicemap

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/ariadne-dev/ariadne/datasources"
)

func opNames(ops []Operation) string {
	var s []string
	for _, o := range ops {
		s = append(s, o.Name)
	}
	return strings.Join(s, ",")
}

func TestOperationsRanked(t *testing.T) {
	from := time.Unix(1_700_000_000, 0)
	ops := OperationsFromTraces([]*datasources.Trace{checkout(from, true), checkout(from, false)}, "orders")
	// orders' spans: its entry (90 ms, failed once), the insert (3 ms),
	// the fraud check (20 ms), the charge call (60 ms), the reserve call.
	if got := opNames(ByP99(ops, 3)); got != "POST /orders,POST /charge,POST /v1/score" {
		t.Errorf("by p99: %s", got)
	}
	if got := opNames(ByErrors(ops, 5)); got != "POST /orders" {
		t.Errorf("by errors (never-failing ones left out): %s", got)
	}
	for _, o := range ops {
		if o.Name == "POST /orders" && (o.RED.Sampled != 2 || o.RED.Errors != 0.5) {
			t.Errorf("POST /orders %+v", o.RED)
		}
	}
	unknown := []Operation{{Name: "b", RED: Unknown()}, {Name: "a", RED: RED{P99: 1, Errors: math.NaN()}}}
	if got := opNames(ByP99(unknown, 2)); got != "a,b" {
		t.Errorf("unknown p99 last: %s", got)
	}
}
