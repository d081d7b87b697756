package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ariadne-dev/ariadne/correlation/logline"
)

// grafanaStack is a provisioning file in the shape of Grafana's
// documentation examples: Prometheus with exemplar destination traceID,
// Loki with a derived field regex (basic auth, tenant header, the password
// from $__file{}), Tempo with tracesToLogsV2's tags and shifts.
func grafanaStack(t *testing.T) (dir, file string) {
	t.Helper()
	dir = t.TempDir()
	pw := filepath.Join(dir, "loki-password")
	os.WriteFile(pw, []byte("s3cret-loki\n"), 0o600)
	file = filepath.Join(dir, "datasources.yaml")
	os.WriteFile(file, []byte(`apiVersion: 1
datasources:
  - name: Prometheus
    type: prometheus
    uid: prometheus
    url: http://prometheus:9090
    jsonData:
      httpMethod: POST
      exemplarTraceIdDestinations:
        - datasourceUid: tempo
          name: traceID
  - name: Loki
    type: loki
    uid: loki
    url: http://loki:3100
    basicAuth: true
    basicAuthUser: grafana
    jsonData:
      timeout: 20
      httpHeaderName1: X-Scope-OrgID
      derivedFields:
        - datasourceUid: tempo
          matcherRegex: "traceID=(\\w+)"
          name: TraceID
          url: '$${__value.raw}'
    secureJsonData:
      basicAuthPassword: $__file{`+pw+`}
      httpHeaderValue1: ${LOKI_ORG}
  - name: Tempo
    type: tempo
    uid: tempo
    url: http://tempo:3200
    jsonData:
      tracesToLogsV2:
        datasourceUid: loki
        spanStartTimeShift: '-2m'
        spanEndTimeShift: '2m'
        tags: [{ key: 'service.name', value: 'service_name' }, { key: 'namespace' }]
        filterByTraceID: true
        filterBySpanID: true
`), 0o600)
	return dir, file
}

func TestGrafanaProvisioning(t *testing.T) {
	_, file := grafanaStack(t)
	c, err := parseConfig([]string{"--grafana-datasources", file}, envOf(map[string]string{"DATABASE_URL": goodDB, "LOKI_ORG": "team-a"}), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct{ name, got, want string }{
		{"prometheus url", c.Prometheus.URL, "http://prometheus:9090"},
		{"loki url", c.Loki.URL, "http://loki:3100"},
		{"loki tenant from the header", c.Loki.Tenant, "team-a"},
		{"loki user", c.Loki.Username, "grafana"},
		{"loki password from $__file", c.Loki.Password, "s3cret-loki"},
		{"tempo url", c.Tempo.URL, "http://tempo:3200"},
		{"exemplar label, then the defaults", strings.Join(c.ExemplarTraceLabels, ","), "traceID,trace_id,trace-id"},
		{"trace→logs query", c.TraceLogQuery, `{service_name=~".+"} |= "${trace_id}" |= "${span_id}"`},
	}
	for _, ck := range checks {
		if ck.got != ck.want {
			t.Errorf("%s: %q, want %q", ck.name, ck.got, ck.want)
		}
	}
	if c.Loki.Timeout != 20*time.Second || c.Tempo.Timeout != 15*time.Second {
		t.Errorf("timeouts: loki %s (jsonData.timeout 20), tempo %s (default)", c.Loki.Timeout, c.Tempo.Timeout)
	}
	// The provisioned field first, then the defaults the file does not repeat.
	if n := len(logline.DefaultDerivedFields()); len(c.DerivedFields) != 1+n || c.DerivedFields[0].Name != "TraceID" || c.DerivedFields[0].Regex != `traceID=(\w+)` {
		t.Errorf("derived fields %+v", c.DerivedFields)
	}
	if c.Jaeger.Configured() || c.Zipkin.Configured() {
		t.Error("a backend configured that the file does not name")
	}
	if _, err := connect(c); err != nil {
		t.Errorf("the clients refuse the provisioned settings: %v", err)
	}
	notes := strings.Join(c.Provisioning, "\n")
	for _, want := range []string{
		`took prometheus "Prometheus" (` + file + `, uid prometheus): http://prometheus:9090`,
		`took loki "Loki" (` + file + `, uid loki): http://loki:3100, tenant team-a, basic auth as grafana, timeout 20s`,
		`took tempo "Tempo" (` + file + `, uid tempo): http://tempo:3200`,
		`jsonData.httpMethod not used`,
		`spanStartTimeShift "-2m", spanEndTimeShift "2m" not used`,
	} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes lack %q:\n%s", want, notes)
		}
	}
	if strings.Contains(notes, "s3cret") {
		t.Errorf("a secret in the notes:\n%s", notes)
	}
}

// Explicit settings win: a flag, the environment and the YAML file each
// over provisioning, setting by setting; a backend whose URL is set
// explicitly takes nothing from provisioning.
func TestGrafanaProvisioningPrecedence(t *testing.T) {
	dir, file := grafanaStack(t)
	yml := filepath.Join(dir, "ariadne.yaml")
	os.WriteFile(yml, []byte(`
exemplar_trace_labels: [trace_id]
loki:
  username: yaml-user
`), 0o600)
	env := map[string]string{
		"DATABASE_URL": goodDB, "LOKI_ORG": "team-a",
		"ARIADNE_GRAFANA_DATASOURCES": file,
		"LOKI_TENANT":                 "team-env",
		"LOKI_TIMEOUT":                "5s",
		"ARIADNE_TRACE_LOG_QUERY":     `{app=~".+"} |= "${trace_id}"`,
	}
	c, err := parseConfig([]string{"--config", yml, "--prometheus-url", "http://flag-prom:9090"}, envOf(env), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct{ name, got, want string }{
		{"flag URL beats provisioning", c.Prometheus.URL, "http://flag-prom:9090"},
		{"env tenant beats provisioning", c.Loki.Tenant, "team-env"},
		{"yaml user beats provisioning", c.Loki.Username, "yaml-user"},
		{"provisioning password kept", c.Loki.Password, "s3cret-loki"},
		{"provisioning URL kept", c.Loki.URL, "http://loki:3100"},
		{"yaml exemplar labels beat provisioning", strings.Join(c.ExemplarTraceLabels, ","), "trace_id"},
		{"env trace log query beats provisioning", c.TraceLogQuery, `{app=~".+"} |= "${trace_id}"`},
		{"provisioning derived field kept", c.DerivedFields[0].Name, "TraceID"},
	}
	for _, ck := range checks {
		if ck.got != ck.want {
			t.Errorf("%s: %q, want %q", ck.name, ck.got, ck.want)
		}
	}
	if c.Loki.Timeout != 5*time.Second {
		t.Errorf("LOKI_TIMEOUT=5s lost to jsonData.timeout: %s", c.Loki.Timeout)
	}
	notes := strings.Join(c.Provisioning, "\n")
	for _, want := range []string{
		`prometheus "Prometheus" (` + file + `): not taken: PROMETHEUS_URL is set`,
		"exemplar trace labels: exemplar_trace_labels in " + yml + " wins",
		"trace→logs query: ARIADNE_TRACE_LOG_QUERY (or trace_log_query) wins",
	} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes lack %q:\n%s", want, notes)
		}
	}
	if strings.Contains(notes, `took prometheus`) {
		t.Errorf("the overridden Prometheus is reported taken:\n%s", notes)
	}

	// The flag beats the environment's ARIADNE_GRAFANA_DATASOURCES.
	other := filepath.Join(dir, "other.yaml")
	os.WriteFile(other, []byte("apiVersion: 1\ndatasources:\n  - {name: Z, type: zipkin, url: 'http://zipkin:9411'}\n"), 0o600)
	c, err = parseConfig([]string{"--grafana-datasources", other}, envOf(env), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.Zipkin.URL != "http://zipkin:9411" || c.Tempo.Configured() {
		t.Errorf("--grafana-datasources did not replace the environment's: zipkin %q tempo %q", c.Zipkin.URL, c.Tempo.URL)
	}
}

func TestGrafanaProvisioningFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(body), 0o600)
		return p
	}
	write("a.yaml", "apiVersion: 1\ndatasources:\n  - {name: P, type: prometheus, url: 'http://p:9090'}\n")
	write("b.yml", "apiVersion: 1\ndatasources:\n  - {name: T, type: tempo, url: 'http://t:3200'}\n")
	write("notes.txt", "not yaml: [")
	extra := filepath.Join(t.TempDir(), "loki.yaml")
	os.WriteFile(extra, []byte("apiVersion: 1\ndatasources:\n  - {name: L, type: loki, url: 'http://l:3100'}\n"), 0o600)

	c, err := parseConfig([]string{"--grafana-datasources", dir + ", " + extra}, envOf(map[string]string{"DATABASE_URL": goodDB}), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.Prometheus.URL != "http://p:9090" || c.Tempo.URL != "http://t:3200" || c.Loki.URL != "http://l:3100" {
		t.Errorf("a directory and a file: %q %q %q", c.Prometheus.URL, c.Tempo.URL, c.Loki.URL)
	}

	big := write("big.yaml", "# "+strings.Repeat("x", maxProvisioningBytes)+"\n")
	bad := write("bad.yaml", "apiVersion: 1\ndatasources:\n  - {name: L, type: loki, url: 'http://u:p@l:3100'}\n")
	for _, tt := range []struct{ spec, want string }{
		{filepath.Join(dir, "missing.yaml"), "--grafana-datasources " + filepath.Join(dir, "missing.yaml") + ": stat "},
		{big, "is larger than 1048576 bytes"},
		{bad, `loki "L" url (in ` + bad + `): credentials in the URL would be logged`},
	} {
		_, err := parseConfig([]string{"--grafana-datasources", tt.spec}, envOf(map[string]string{"DATABASE_URL": goodDB}), io.Discard)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want %q", tt.spec, err, tt.want)
		}
	}
}

func TestConfigCheck(t *testing.T) {
	_, file := grafanaStack(t)
	var out bytes.Buffer
	err := run(context.Background(), []string{"config", "check", "--grafana-datasources", file},
		envOf(map[string]string{"DATABASE_URL": "postgres://ariadne:dbpass@127.0.0.1:5432/ariadne", "LOKI_ORG": "team-a"}), &out, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{
		"# grafana: took loki \"Loki\"",
		"DATABASE_URL=postgres://ariadne:xxxxx@127.0.0.1:5432/ariadne",
		"LOKI_URL=http://loki:3100",
		"LOKI_TENANT=team-a",
		"LOKI_USERNAME=grafana",
		"LOKI_PASSWORD=(set, masked)",
		"LOKI_TIMEOUT=20s",
		"JAEGER_URL=  # not configured",
		"exemplar_trace_labels=traceID, trace_id, trace-id\n",
		`derived_fields=TraceID: regex traceID=(\w+)`,
		`ARIADNE_TRACE_LOG_QUERY={service_name=~".+"} |= "${trace_id}" |= "${span_id}"`,
		"red_queries=histogram_quantile(0.99",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("config check lacks %q:\n%s", want, got)
		}
	}
	for _, secret := range []string{"s3cret", "dbpass"} {
		if strings.Contains(got, secret) {
			t.Errorf("config check shows %q:\n%s", secret, got)
		}
	}
	if err := run(context.Background(), []string{"config"}, envOf(nil), io.Discard, io.Discard); err == nil {
		t.Error("config without check accepted")
	}
}

func TestMaskDatabaseURL(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://a:b@h/db":               "postgres://a:xxxxx@h/db",
		"postgres://a@h/db?password=b&x=1":  "postgres://a@h/db?password=xxxxx&x=1",
		"host=h user=a password=b dbname=d": "host=h user=a password=xxxxx dbname=d",
		"host=h password='b c' dbname=d":    "host=h password=xxxxx dbname=d",
		"postgres://a@h/db":                 "postgres://a@h/db",
	} {
		if got := maskDatabaseURL(in); got != want {
			t.Errorf("maskDatabaseURL(%q) = %q, want %q", in, got, want)
		}
	}
}
