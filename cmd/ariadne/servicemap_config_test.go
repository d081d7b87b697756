package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// service_map: in the YAML file renames what the map reads; names left
// out keep their defaults, and a name that is not one is refused.
func TestParseConfigServiceMap(t *testing.T) {
	yml := filepath.Join(t.TempDir(), "map.yaml")
	os.WriteFile(yml, []byte(`
service_map:
  service_graph:
    client_label: source
  span_metrics:
    - calls: my_calls_total
      bucket: my_duration_seconds_bucket
      service_label: svc
`), 0o600)
	c, err := parseConfig([]string{"--config", yml}, envOf(map[string]string{"DATABASE_URL": goodDB}), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	g, s := c.ServiceMap.ServiceGraph, c.ServiceMap.SpanMetrics
	if g.ClientLabel != "source" || g.ServerLabel != "server" || g.Requests != "traces_service_graph_request_total" {
		t.Errorf("service graph %+v", g)
	}
	if len(s) != 1 || s[0].Calls != "my_calls_total" || s[0].ServiceLabel != "svc" || s[0].SpanLabel != "span_name" || s[0].Unit != "s" || s[0].Name != "my_calls_total" {
		t.Errorf("span metrics %+v", s)
	}

	bad := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(bad, []byte(`
service_map:
  span_metrics:
    - calls: 'calls{job="x"}'
      bucket: b_bucket
`), 0o600)
	if _, err := parseConfig([]string{"--config", bad}, envOf(map[string]string{"DATABASE_URL": goodDB}), io.Discard); err == nil || !strings.Contains(err.Error(), "service_map") {
		t.Errorf("a selector as a metric name: %v", err)
	}
}
