package main

import (
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

const goodDB = "postgres://ariadne@127.0.0.1:5432/ariadne"

func TestParseConfigBadValues(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty")
	os.WriteFile(empty, []byte("\n"), 0o600)
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want string // the one line reported
	}{
		{"url without scheme", map[string]string{"PROMETHEUS_URL": "htp//x"}, nil, `PROMETHEUS_URL: parse "htp//x": missing scheme`},
		{"url with other scheme", map[string]string{"LOKI_URL": "ftp://loki:3100"}, nil, `LOKI_URL: parse "ftp://loki:3100": scheme must be http or https`},
		{"url without host", map[string]string{"TEMPO_URL": "http://"}, nil, `TEMPO_URL: parse "http://": missing host`},
		{"url with credentials", map[string]string{"LOKI_URL": "http://u:p@loki:3100"}, nil, "LOKI_URL: credentials in the URL would be logged"},
		{"bad address", map[string]string{"ARIADNE_ADDR": "8080"}, nil, "ARIADNE_ADDR: address 8080: missing port in address"},
		{"bad database url", map[string]string{"DATABASE_URL": "postgres://x:y@h:notaport/db"}, nil, "DATABASE_URL: "},
		{"missing database url", map[string]string{"DATABASE_URL": ""}, nil, "DATABASE_URL: required"},
		{"bad timeout", map[string]string{"LOKI_TIMEOUT": "soon"}, nil, `LOKI_TIMEOUT: time: invalid duration "soon"`},
		{"negative timeout", map[string]string{"TEMPO_TIMEOUT": "-1s"}, nil, `TEMPO_TIMEOUT: "-1s" must be positive`},
		{"bad request timeout", map[string]string{"ARIADNE_REQUEST_TIMEOUT": "0s"}, nil, `ARIADNE_REQUEST_TIMEOUT: "0s" must be positive`},
		{"bad database timeout", map[string]string{"DATABASE_TIMEOUT": "soon"}, nil, `DATABASE_TIMEOUT: `},
		{"bad size", map[string]string{"PROMETHEUS_MAX_RESPONSE_BYTES": "10MB"}, nil, `PROMETHEUS_MAX_RESPONSE_BYTES: "10MB" is not a positive number of bytes`},
		{"zero size", map[string]string{"LOKI_MAX_RESPONSE_BYTES": "0"}, nil, `LOKI_MAX_RESPONSE_BYTES: "0" is not a positive number of bytes`},
		{"missing password file", map[string]string{"LOKI_PASSWORD_FILE": filepath.Join(dir, "nope")}, nil, "LOKI_PASSWORD_FILE: open "},
		{"empty token file", map[string]string{"TEMPO_BEARER_TOKEN_FILE": empty}, nil, "TEMPO_BEARER_TOKEN_FILE: " + empty + " is empty"},
		{"missing CA file", map[string]string{"PROMETHEUS_CA_FILE": filepath.Join(dir, "ca.pem")}, nil, "PROMETHEUS_CA_FILE: stat "},
		{"bad CIDR", map[string]string{"ARIADNE_TRUSTED_PROXIES": "10.0.0.0/8, 300.1.1.1/32"}, nil, `ARIADNE_TRUSTED_PROXIES: netip.ParsePrefix("300.1.1.1/32")`},
		{"bad flag value", nil, []string{"--loki-timeout", "x"}, `--loki-timeout: time: invalid duration "x"`},
		{"unknown flag", nil, []string{"--lokiurl", "x"}, "flag provided but not defined: -lokiurl"},
		{"missing config file", nil, []string{"--config", filepath.Join(dir, "none.yaml")}, "--config " + filepath.Join(dir, "none.yaml") + ": open"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{"DATABASE_URL": goodDB}
			for k, v := range tt.env {
				env[k] = v
			}
			_, err := parseConfig(tt.args, envOf(env), io.Discard)
			if err == nil {
				t.Fatalf("no error, want %q", tt.want)
			}
			msg := err.Error()
			if strings.Contains(msg, "\n") {
				t.Errorf("error spans lines: %q", msg)
			}
			if !strings.HasPrefix(msg, tt.want) {
				t.Errorf("error = %q, want it to start with %q", msg, tt.want)
			}
		})
	}
}

func TestParseConfigReportsEveryBadValue(t *testing.T) {
	_, err := parseConfig(nil, envOf(map[string]string{"DATABASE_URL": goodDB, "LOKI_URL": "x", "TEMPO_TIMEOUT": "y"}), io.Discard)
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "LOKI_URL: ") || !strings.HasPrefix(lines[1], "TEMPO_TIMEOUT: ") {
		t.Errorf("want one line per bad value, got %q", lines)
	}
}

func TestParseConfigPrecedence(t *testing.T) {
	dir := t.TempDir()
	pw := filepath.Join(dir, "pw")
	os.WriteFile(pw, []byte("s3cret\n"), 0o600)
	yml := filepath.Join(dir, "ariadne.yaml")
	os.WriteFile(yml, []byte(`
addr: 127.0.0.1:7000
database_url: postgres://yaml@127.0.0.1/ariadne
prometheus:
  url: http://yaml-prom:9090
  timeout: 3s
loki:
  url: http://yaml-loki:3100
  tenant: team-a
  username: ari
  password_file: `+pw+`
identity:
  trusted_proxies: [10.0.0.0/8, 192.168.0.0/16]
  user_header: X-Forwarded-User
`), 0o600)
	env := map[string]string{
		"PROMETHEUS_URL": "http://env-prom:9090",
		"LOKI_TENANT":    "team-b",
		"TEMPO_URL":      "http://env-tempo:3200",
	}
	c, err := parseConfig([]string{"--config", yml, "--prometheus-url", "http://flag-prom:9090", "--no-migrate"}, envOf(env), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct{ name, got, want string }{
		{"addr from yaml", c.Addr, "127.0.0.1:7000"},
		{"database from yaml", c.DatabaseURL, "postgres://yaml@127.0.0.1/ariadne"},
		{"flag beats env and yaml", c.Prometheus.URL, "http://flag-prom:9090"},
		{"env beats yaml", c.Loki.Tenant, "team-b"},
		{"yaml kept when nothing overrides", c.Loki.URL, "http://yaml-loki:3100"},
		{"password read from file", c.Loki.Password, "s3cret"},
		{"env alone", c.Tempo.URL, "http://env-tempo:3200"},
		{"header", c.UserHeader, "X-Forwarded-User"},
	}
	for _, ck := range checks {
		if ck.got != ck.want {
			t.Errorf("%s: %q, want %q", ck.name, ck.got, ck.want)
		}
	}
	if c.Prometheus.Timeout != 3*time.Second || c.Tempo.Timeout != 15*time.Second {
		t.Errorf("timeouts: prometheus %s, tempo %s", c.Prometheus.Timeout, c.Tempo.Timeout)
	}
	if len(c.TrustedProxies) != 2 || c.TrustedProxies[1] != netip.MustParsePrefix("192.168.0.0/16") {
		t.Errorf("trusted proxies %v", c.TrustedProxies)
	}
	if !c.NoMigrate {
		t.Error("--no-migrate ignored")
	}
}

func TestParseConfigDefaults(t *testing.T) {
	c, err := parseConfig(nil, envOf(map[string]string{"DATABASE_URL": goodDB}), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:8080" || c.Prometheus.Configured() || c.Loki.Configured() || c.Tempo.Configured() {
		t.Errorf("defaults: %+v", c)
	}
	if c.DatabaseTimeout != 3*time.Second {
		t.Errorf("DATABASE_TIMEOUT defaults to %v, want a few seconds (3s)", c.DatabaseTimeout)
	}
	c, err = parseConfig(nil, envOf(map[string]string{"DATABASE_URL": goodDB, "DATABASE_TIMEOUT": "750ms"}), io.Discard)
	if err != nil || c.DatabaseTimeout != 750*time.Millisecond {
		t.Errorf("DATABASE_TIMEOUT=750ms: %v, %v", c.DatabaseTimeout, err)
	}
}

func TestParseConfigUnknownYAMLKey(t *testing.T) {
	yml := filepath.Join(t.TempDir(), "a.yaml")
	os.WriteFile(yml, []byte("loki:\n  urll: http://x\n"), 0o600)
	_, err := parseConfig([]string{"--config", yml}, envOf(map[string]string{"DATABASE_URL": goodDB}), io.Discard)
	if err == nil || !strings.Contains(err.Error(), "loki.urll (in "+yml+"): unknown setting") {
		t.Errorf("err = %v", err)
	}
}

func TestParseConfigCorrelationRules(t *testing.T) {
	yml := filepath.Join(t.TempDir(), "rules.yaml")
	os.WriteFile(yml, []byte(`
exemplar_trace_labels: [traceID, trace_id]
trace_log_query: '{app=~".+"} | trace_id="${trace_id}"'
derived_fields:
  - name: TraceID
    regex: 'tid=(\w+)'
  - name: from metadata
    label: trace_id
red_queries:
  - 'sum(rate(http_requests_total{job="$service"}[1m]))'
`), 0o600)
	c, err := parseConfig([]string{"--config", yml}, envOf(map[string]string{"DATABASE_URL": goodDB}), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.ExemplarTraceLabels) != 2 || c.ExemplarTraceLabels[0] != "traceID" {
		t.Errorf("exemplar labels %v", c.ExemplarTraceLabels)
	}
	if len(c.DerivedFields) != 2 || c.DerivedFields[0].Regex != `tid=(\w+)` || c.DerivedFields[1].Label != "trace_id" {
		t.Errorf("derived fields %+v", c.DerivedFields)
	}
	if c.TraceLogQuery != `{app=~".+"} | trace_id="${trace_id}"` || len(c.REDQueries) != 1 {
		t.Errorf("trace log query %q, RED %v", c.TraceLogQuery, c.REDQueries)
	}

	bad := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(bad, []byte(`
derived_fields:
  - name: no group
    regex: 'tid=\w+'
  - name: both
    regex: '(x)'
    label: y
  - regex: '(x)'
red_queries: ['up', 'a{s="$service"}', 'b{s="$service"}', 'c{s="$service"}', 'd{s="$service"}']
trace_log_query: '{a="b"}'
`), 0o600)
	_, err = parseConfig([]string{"--config", bad}, envOf(map[string]string{"DATABASE_URL": goodDB}), io.Discard)
	for _, want := range []string{
		"derived_fields (in " + bad + "): derived field 1 (no group): the regex needs exactly one capture group",
		`red_queries[0] (in ` + bad + `): "up" does not use $service`,
		`red_queries (in ` + bad + `): 5 queries, a graph page shows at most 4`,
		`trace_log_query (in ` + bad + `): "{a=\"b\"}" must contain ${trace_id}`,
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v\nlacks %q", err, want)
		}
	}
}

// Share links are built on ARIADNE_PUBLIC_URL, else on a listen address
// that names a host, else relative: never on a request's Host header.
func TestPublicURL(t *testing.T) {
	tests := []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"ARIADNE_PUBLIC_URL": "https://ariadne.example.com/"}, "https://ariadne.example.com"},
		{map[string]string{"ARIADNE_PUBLIC_URL": "https://example.com/ariadne", "ARIADNE_ADDR": "127.0.0.1:9000"}, "https://example.com/ariadne"},
		{map[string]string{"ARIADNE_ADDR": "127.0.0.1:9000"}, "http://127.0.0.1:9000"},
		{map[string]string{"ARIADNE_ADDR": "127.0.0.1:0"}, "http://127.0.0.1:9000"}, // the port the listener got
		{map[string]string{"ARIADNE_ADDR": "ariadne.internal:8080"}, "http://ariadne.internal:8080"},
		{map[string]string{"ARIADNE_ADDR": ":8080"}, ""},
		{map[string]string{"ARIADNE_ADDR": "0.0.0.0:8080"}, ""},
		{map[string]string{"ARIADNE_ADDR": "[::]:8080"}, ""},
	}
	for _, tt := range tests {
		env := map[string]string{"DATABASE_URL": goodDB}
		for k, v := range tt.env {
			env[k] = v
		}
		c, err := parseConfig(nil, envOf(env), io.Discard)
		if err != nil {
			t.Fatalf("%v: %v", tt.env, err)
		}
		bound := c.Addr // what the listener reports
		if strings.HasSuffix(bound, ":0") {
			bound = "127.0.0.1:9000"
		}
		if got := c.publicURL(bound); got != tt.want {
			t.Errorf("%v: public URL %q, want %q", tt.env, got, tt.want)
		}
	}
	for _, bad := range []string{"ariadne.example.com", "ftp://x", "https://x/?a=1", "https://u:p@x"} {
		if _, err := parseConfig(nil, envOf(map[string]string{"DATABASE_URL": goodDB, "ARIADNE_PUBLIC_URL": bad}), io.Discard); err == nil || !strings.Contains(err.Error(), "ARIADNE_PUBLIC_URL") {
			t.Errorf("ARIADNE_PUBLIC_URL=%s: %v, want refused", bad, err)
		}
	}
}

// Jaeger and Zipkin have the same family of settings as the other
// backends; Jaeger's tenant header is its own.
func TestTraceBackendSettings(t *testing.T) {
	c, err := parseConfig(nil, envOf(map[string]string{"DATABASE_URL": goodDB,
		"JAEGER_URL": "http://127.0.0.1:16686", "JAEGER_TENANT": "acme", "JAEGER_TENANT_HEADER": "x-org", "JAEGER_TIMEOUT": "3s",
		"ZIPKIN_URL": "http://127.0.0.1:9411", "ZIPKIN_MAX_RESPONSE_BYTES": "1048576"}), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.Jaeger.URL != "http://127.0.0.1:16686" || c.Jaeger.Tenant != "acme" || c.Jaeger.TenantHeader != "x-org" || c.Jaeger.Timeout != 3*time.Second {
		t.Errorf("jaeger %+v", c.Jaeger)
	}
	if c.Zipkin.URL != "http://127.0.0.1:9411" || c.Zipkin.MaxResponseBytes != 1<<20 {
		t.Errorf("zipkin %+v", c.Zipkin)
	}
	cl, err := connect(c)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, b := range cl.traceBackends(c) {
		names = append(names, b.Name)
	}
	if strings.Join(names, ",") != "jaeger,zipkin" {
		t.Errorf("trace backends %v, want jaeger,zipkin (Tempo unset)", names)
	}
	for _, bad := range []map[string]string{{"ZIPKIN_URL": "htp//x"}, {"JAEGER_TENANT_HEADER": "x tenant"}} {
		bad["DATABASE_URL"] = goodDB
		if _, err := parseConfig(nil, envOf(bad), io.Discard); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{"5000000": 5_000_000, "5MB": 5_000_000, "64MiB": 64 << 20, "512 KB": 512_000, "1GiB": 1 << 30} {
		if got, err := parseSize(in); err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "0", "-5MB", "five", "5XB", "2TiB"} {
		if _, err := parseSize(bad); err == nil {
			t.Errorf("parseSize(%q) accepted", bad)
		}
	}
}
