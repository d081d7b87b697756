package demo

import (
	"encoding/json"
	"fmt"
	"net/http"
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
		rates, err := servedRates(w.SamplingURL + "?service=" + Gateway)
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

// servedRates is the per-operation probabilities a sampling endpoint serves.
func servedRates(u string) (map[string]float64, error) {
	resp, err := http.Get(u)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var s struct {
		OperationSampling struct {
			PerOperationStrategies []struct {
				Operation             string
				ProbabilisticSampling struct{ SamplingRate float64 }
			}
		}
	}
	if err := json.NewDecoder(resp.Body).Decode(&s); err != nil {
		return nil, err
	}
	out := map[string]float64{}
	for _, o := range s.OperationSampling.PerOperationStrategies {
		out[o.Operation] = o.ProbabilisticSampling.SamplingRate
	}
	return out, nil
}
