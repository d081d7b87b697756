package main

import (
	"fmt"
	"io"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/ariadne-dev/ariadne/correlation/logline"
	"github.com/ariadne-dev/ariadne/correlation/query"
	"github.com/ariadne-dev/ariadne/datasources"
)

// configCommand is `ariadne config check [flags]`: the configuration
// serve would run with, every source applied, secrets masked.
func configCommand(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "check" {
		return fmt.Errorf(`config: want "config check [flags]"`)
	}
	cfg, err := parseConfig(args[1:], getenv, stderr)
	for _, n := range cfg.Provisioning {
		fmt.Fprintln(stdout, "# grafana:", n)
	}
	if err != nil {
		return err
	}
	for _, l := range describeConfig(cfg) {
		fmt.Fprintln(stdout, l)
	}
	return nil
}

// describeConfig is cfg as NAME=value lines, in the environment's names,
// secrets shown only as set.
func describeConfig(c Config) []string {
	var out []string
	add := func(name, v string) { out = append(out, name+"="+v) }
	opt := func(name, v string) {
		if v != "" {
			add(name, v)
		}
	}
	add("ARIADNE_ADDR", c.Addr)
	opt("ARIADNE_METRICS_ADDR", c.MetricsAddr)
	if c.Telemetry.TracesEndpoint != "" {
		add("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", redactURL(c.Telemetry.TracesEndpoint))
		add("OTEL_SERVICE_NAME", c.Telemetry.ServiceName)
	}
	opt("ARIADNE_PUBLIC_URL", c.PublicURL)
	add("DATABASE_URL", maskDatabaseURL(c.DatabaseURL))
	add("DATABASE_TIMEOUT", c.DatabaseTimeout.String())
	add("ARIADNE_REQUEST_TIMEOUT", c.RequestTimeout.String())
	add("ARIADNE_MAX_QUERY_BYTES", strconv.Itoa(c.MaxQueryBytes))
	if c.TraceFlushDelay > 0 {
		add("ARIADNE_TRACE_FLUSH_DELAY", c.TraceFlushDelay.String())
	}
	if c.TraceRetention > 0 {
		add("ARIADNE_TRACE_RETENTION", c.TraceRetention.String())
	}
	opt("ARIADNE_USER_HEADER", c.UserHeader)
	var cidrs []string
	for _, p := range c.TrustedProxies {
		cidrs = append(cidrs, p.String())
	}
	opt("ARIADNE_TRUSTED_PROXIES", strings.Join(cidrs, ","))
	opt("ARIADNE_DEFAULT_USER", c.DefaultUser)
	opt("ARIADNE_GRAFANA_DATASOURCES", c.GrafanaDatasources)
	for _, b := range []struct {
		env string
		cfg datasources.Config
	}{{"PROMETHEUS", c.Prometheus}, {"LOKI", c.Loki}, {"TEMPO", c.Tempo}, {"JAEGER", c.Jaeger}, {"ZIPKIN", c.Zipkin}} {
		if !b.cfg.Configured() {
			add(b.env+"_URL", "  # not configured")
			continue
		}
		add(b.env+"_URL", b.cfg.URL)
		opt(b.env+"_TENANT", b.cfg.Tenant)
		opt(b.env+"_TENANT_HEADER", b.cfg.TenantHeader)
		opt(b.env+"_USERNAME", b.cfg.Username)
		if b.cfg.Password != "" {
			add(b.env+"_PASSWORD", "(set, masked)")
		}
		if b.cfg.BearerToken != "" {
			add(b.env+"_BEARER_TOKEN", "(set, masked)")
		}
		opt(b.env+"_CA_FILE", b.cfg.CAFile)
		if b.cfg.CAPEM != "" {
			add(b.env+"_CA", "(a certificate from provisioning)")
		}
		add(b.env+"_TIMEOUT", b.cfg.RequestTimeout().String())
		add(b.env+"_MAX_RESPONSE_BYTES", strconv.FormatInt(b.cfg.Limit(), 10))
	}
	labels := c.ExemplarTraceLabels
	if len(labels) == 0 {
		labels = []string{"trace_id", "traceID", "trace-id"}
	}
	add("exemplar_trace_labels", strings.Join(labels, ", ")+defaultMark(len(c.ExemplarTraceLabels) == 0))
	fields, mark := c.DerivedFields, defaultMark(len(c.DerivedFields) == 0)
	if len(fields) == 0 {
		fields = logline.DefaultDerivedFields()
	}
	for _, f := range fields {
		if f.Label != "" {
			add("derived_fields", fmt.Sprintf("%s: label %s%s", f.Name, f.Label, mark))
		} else {
			add("derived_fields", fmt.Sprintf("%s: regex %s%s", f.Name, f.Regex, mark))
		}
	}
	q := c.TraceLogQuery
	if q == "" {
		q = query.DefaultTraceLogQuery
	}
	add("ARIADNE_TRACE_LOG_QUERY", q+defaultMark(c.TraceLogQuery == ""))
	red, mark := c.REDQueries, defaultMark(len(c.REDQueries) == 0)
	if len(red) == 0 {
		red = query.DefaultREDQueries
	}
	for _, r := range red {
		add("red_queries", r+mark)
	}
	return out
}

func defaultMark(isDefault bool) string {
	if isDefault {
		return "  # default"
	}
	return ""
}

var dsnPassword = regexp.MustCompile(`(?i)(password\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)`)

// maskDatabaseURL hides the password of a postgres:// URL (in its user
// info or its query) or of a keyword/value connection string.
func maskDatabaseURL(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.Scheme != "" {
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
		}
		if q := u.Query(); q.Has("password") {
			q.Set("password", "xxxxx")
			u.RawQuery = q.Encode()
		}
		return u.String()
	}
	return dsnPassword.ReplaceAllString(raw, "${1}xxxxx")
}
