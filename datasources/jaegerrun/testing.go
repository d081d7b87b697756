package jaegerrun

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"testing"
	"time"
)

// StartTest starts Jaeger for the test's duration. Without the binary the
// test is skipped, except under CI=true (make test builds it), where it
// fails instead of silently skipping the integration tests.
func StartTest(t testing.TB, opts Options) *Jaeger {
	t.Helper()
	RequireBinary(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	j, err := Start(ctx, opts)
	if err != nil {
		t.Fatalf("starting jaeger: %v", err)
	}
	t.Cleanup(func() {
		if err := j.Stop(); err != nil {
			t.Errorf("stopping jaeger: %v", err)
		}
	})
	return j
}

// RequireBinary skips the test when no jaeger binary is built, or fails it
// under CI=true.
func RequireBinary(t testing.TB) {
	t.Helper()
	if _, err := Binary(); err != nil {
		if !errors.Is(err, ErrBinaryNotFound) || os.Getenv("CI") == "true" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
}

// RequireAdaptiveBinary skips the test when the adaptive sampling
// collector is not built, or fails it under CI=true.
func RequireAdaptiveBinary(t testing.TB) {
	t.Helper()
	if _, err := AdaptiveBinary(); err != nil {
		if !errors.Is(err, ErrAdaptiveBinaryNotFound) || os.Getenv("CI") == "true" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
}

// ServedRates is the probability a remote sampling endpoint (Jaeger's
// /api/sampling?service=) serves for each operation: what the tests of
// adaptive sampling watch change.
func ServedRates(url string) (map[string]float64, error) {
	resp, err := http.Get(url)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("sampling strategies: %s", resp.Status)
	}
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
