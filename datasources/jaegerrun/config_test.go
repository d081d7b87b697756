package jaegerrun

import (
	"strings"
	"testing"
)

func TestConfigSamplingParts(t *testing.T) {
	ports := [6]string{"q", "qg", "og", "oh", "z", "h"}
	c := config(ports, Options{Processors: []Processor{{Name: "tail_sampling", YAML: "decision_wait: 5s"}}}, "")
	for _, want := range []string{
		"extensions: [jaeger_storage, jaeger_query, healthcheckv2]",
		"processors: [tail_sampling, batch]",
		"  tail_sampling:\n    decision_wait: 5s\n",
	} {
		if !strings.Contains(c, want) {
			t.Errorf("config lacks %q:\n%s", want, c)
		}
	}
}
