package jaegerrun

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// The adaptive sampling collector adapts: root spans sampled at the
// initial probability, far above the target, bring the operation's
// served probability down within a few calculations. (Jaeger v2 in one
// process serves the initial probability forever: AdaptiveVersion.)
func TestAdaptiveAdapts(t *testing.T) {
	RequireAdaptiveBinary(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	a, err := StartAdaptive(ctx, AdaptiveSampling{TargetSamplesPerSecond: 1, InitialSamplingProbability: 0.5,
		CalculationInterval: time.Second, CalculationDelay: 500 * time.Millisecond}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := a.Stop(); err != nil {
			t.Errorf("stopping: %v", err)
		}
	})
	if got := opRate(t, a); got >= 0 {
		t.Fatalf("an operation it has not seen has a rate: %g", got)
	}
	// Some 40 kept root spans a second, sampled at 50%, against a target
	// of one a second.
	for deadline, i := time.Now().Add(15*time.Second), 0; ; i++ {
		push(t, a, i)
		if i%10 == 9 {
			if r := opRate(t, a); r > 0 && r < 0.1 {
				t.Logf("rate %g after %d root spans", r, i+1)
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("the rate is %g after %d root spans, want under 0.1\n%s", opRate(t, a), i+1, a.Logs(20))
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// push sends one root span of svc's "op" with Jaeger's sampler tags.
func push(t *testing.T, a *Adaptive, i int) {
	t.Helper()
	now := time.Now().UnixNano()
	body := fmt.Sprintf(`{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"svc"}}]},"scopeSpans":[{"spans":[
{"traceId":"4bf92f3577b34da6a3ce929d%08x","spanId":"00000000000000a1","name":"op","kind":2,"startTimeUnixNano":"%d","endTimeUnixNano":"%d",
"attributes":[{"key":"sampler.type","value":{"stringValue":"probabilistic"}},{"key":"sampler.param","value":{"doubleValue":0.5}}]}]}]}]}`, i, now, now+1e6)
	req, _ := http.NewRequest(http.MethodPost, a.OTLPHTTP+"/v1/traces", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("OTLP push: %s", resp.Status)
	}
}

// opRate is the probability served for svc's "op", -1 when none is.
func opRate(t *testing.T, a *Adaptive) float64 {
	t.Helper()
	rates, err := ServedRates(a.SamplingURL + "?service=svc")
	if err != nil {
		t.Fatal(err)
	}
	if r, ok := rates["op"]; ok {
		return r
	}
	return -1
}
