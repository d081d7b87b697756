package demo

import (
	"fmt"
	"testing"
	"time"

	"github.com/ariadne-dev/ariadne/datasources/jaegerrun"
)

// With --sampling adaptive the shop's per-operation probabilities follow
// the traffic: the order look-ups, far above the target at the initial
// probability, are served a lower one within a few calculations (the
// span names the sampler decides by are the ones Jaeger counts).
func TestWorldAdaptiveSampling(t *testing.T) {
	jaegerrun.RequireBinary(t)
	jaegerrun.RequireAdaptiveBinary(t)
	w, _ := startWorld(t, Options{Rate: 20, Sampling: SamplingAdaptive})
	if w.SamplingURL == "" {
		t.Fatal("no sampling endpoint")
	}
	// 13 look-ups a second at 20% keep 2.6 a second: the target is 1.
	eventually(t, 60*time.Second, "a lower rate for the order look-ups", func() error {
		rates, err := jaegerrun.ServedRates(w.SamplingURL + "?service=" + Gateway)
		if err != nil {
			return err
		}
		if r, ok := rates["GET /api/orders/{id}"]; !ok || r >= 0.15 {
			return fmt.Errorf("served %v", rates)
		}
		t.Logf("served %v", rates)
		return nil
	})
}
