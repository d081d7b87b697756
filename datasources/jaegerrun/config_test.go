package jaegerrun

import (
	"strings"
	"testing"
	"time"
)

func TestConfigSamplingParts(t *testing.T) {
	ports := [8]string{"q", "qg", "og", "oh", "z", "h", "sh", "sg"}
	plain := config(ports, Options{}, "")
	if strings.Contains(plain, "remote_sampling") || strings.Contains(plain, "adaptive_sampling") {
		t.Errorf("remote sampling without asking:\n%s", plain)
	}
	c := config(ports, Options{Processors: []Processor{{Name: "tail_sampling", YAML: "decision_wait: 5s"}},
		RemoteSampling: &AdaptiveSampling{TargetSamplesPerSecond: 1, CalculationInterval: 10 * time.Second}}, "")
	for _, want := range []string{
		"extensions: [jaeger_storage, jaeger_query, healthcheckv2, remote_sampling]",
		"processors: [tail_sampling, adaptive_sampling, batch]",
		"  tail_sampling:\n    decision_wait: 5s\n",
		"  adaptive_sampling: {}\n",
		"  remote_sampling:\n    adaptive:\n      sampling_store: mem\n      target_samples_per_second: 1\n      calculation_interval: 10s\n    http:\n      endpoint: sh\n    grpc:\n      endpoint: sg\n",
	} {
		if !strings.Contains(c, want) {
			t.Errorf("config lacks %q:\n%s", want, c)
		}
	}
}
