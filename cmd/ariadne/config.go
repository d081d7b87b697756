package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"gopkg.in/yaml.v3"

	"github.com/ariadne-dev/ariadne/correlation/grafana"
	"github.com/ariadne-dev/ariadne/correlation/links"
	"github.com/ariadne-dev/ariadne/correlation/logline"
	"github.com/ariadne-dev/ariadne/correlation/servicemap"
	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/handlers"
	"github.com/ariadne-dev/ariadne/store"
	"github.com/ariadne-dev/ariadne/telemetry"
)

// Config is everything Ariadne reads at start. It is built in one place,
// parseConfig, with precedence flag > environment > YAML file > default.
type Config struct {
	Addr string
	// PublicURL is the external base URL share links are built on; empty
	// means the listen address when it names a host (see publicURL).
	PublicURL   string
	DatabaseURL string
	// DatabaseTimeout bounds each store call, pool acquire included, so
	// a hung Postgres fails its pages in seconds.
	DatabaseTimeout time.Duration
	RequestTimeout  time.Duration
	MaxQueryBytes   int
	// TraceFlushDelay and TraceRetention are how long the trace backends
	// take to show a trace and how long they keep it, for a missing
	// trace's reasoning (zero: the default delay, an unknown retention).
	TraceFlushDelay time.Duration
	TraceRetention  time.Duration
	NoMigrate       bool

	Prometheus datasources.Config
	Loki       datasources.Config
	Tempo      datasources.Config
	Jaeger     datasources.Config
	Zipkin     datasources.Config

	UserHeader     string
	TrustedProxies []netip.Prefix
	DefaultUser    string

	// Correlation rules; empty means the built-in defaults, which fit the
	// demo and OpenTelemetry's usual names. The lists come from the YAML
	// file only.
	ExemplarTraceLabels []string
	DerivedFields       []logline.DerivedField
	REDQueries          []string
	TraceLogQuery       string
	// ServiceMap names the span and service-graph metrics the home page's
	// map reads (YAML service_map:; zero: servicemap.DefaultMetrics).
	ServiceMap servicemap.Metrics

	// GrafanaDatasources names Grafana provisioning files or directories
	// (comma-separated); Provisioning is what reading them said, a line
	// per datasource taken and per setting not used (no secrets).
	GrafanaDatasources string
	Provisioning       []string

	// MetricsAddr, when set, serves GET /metrics on a listener of its own
	// (e.g. loopback only) and not on Addr.
	MetricsAddr string
	// Telemetry is what the standard OTEL_* variables say of Ariadne's own
	// spans (the SDK reads the rest itself).
	Telemetry telemetry.Settings
}

// yamlLists are the settings too structured for one environment variable.
type yamlLists struct {
	ExemplarTraceLabels []string               `yaml:"exemplar_trace_labels"`
	DerivedFields       []logline.DerivedField `yaml:"derived_fields"`
	REDQueries          []string               `yaml:"red_queries"`
	ServiceMap          *servicemap.Metrics    `yaml:"service_map"`
}

// setting is one configuration value: its environment name (flags use the
// same name in lower case with dashes, YAML the lower-case path), and how a
// text value is applied. Secrets are only ever read from files.
type setting struct {
	env   string
	yaml  string // dotted path in the YAML file
	usage string
	set   func(c *Config, v string) error
}

func settings() []setting {
	s := []setting{
		{"ARIADNE_ADDR", "addr", "listen address", func(c *Config, v string) error {
			if _, _, err := net.SplitHostPort(v); err != nil {
				return err
			}
			c.Addr = v
			return nil
		}},
		{"ARIADNE_METRICS_ADDR", "metrics_addr", "listen address of a /metrics listener of its own (unset: /metrics is on the main address)", func(c *Config, v string) error {
			if v == "" {
				c.MetricsAddr = ""
				return nil
			}
			if _, _, err := net.SplitHostPort(v); err != nil {
				return err
			}
			c.MetricsAddr = v
			return nil
		}},
		{"ARIADNE_PUBLIC_URL", "public_url", "external base URL of Ariadne, for the share links it gives out (e.g. https://ariadne.example.com)", func(c *Config, v string) error {
			u, err := datasources.ParseBaseURL(v)
			if err != nil {
				return err
			}
			if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
				return fmt.Errorf("%q must be a plain base URL, without user, query or fragment", v)
			}
			c.PublicURL = strings.TrimRight(u.String(), "/")
			return nil
		}},
		{"DATABASE_URL", "database_url", "Postgres connection URL", func(c *Config, v string) error {
			if _, err := pgxpool.ParseConfig(v); err != nil {
				return errors.New(strings.TrimPrefix(err.Error(), "cannot parse "))
			}
			c.DatabaseURL = v
			return nil
		}},
		{"DATABASE_TIMEOUT", "database_timeout", "upper bound for one call to Postgres, waiting for a connection included (Go duration)", func(c *Config, v string) error {
			return setDuration(&c.DatabaseTimeout, v)
		}},
		{"ARIADNE_MAX_QUERY_BYTES", "max_query_bytes", "upper bound for a request's query string, in bytes (longer ones get a 400)", func(c *Config, v string) error {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1024 {
				return fmt.Errorf("%q must be a number of bytes, at least 1024", v)
			}
			c.MaxQueryBytes = n
			return nil
		}},
		{"ARIADNE_REQUEST_TIMEOUT", "request_timeout", "upper bound for one page request (Go duration)", func(c *Config, v string) error {
			return setDuration(&c.RequestTimeout, v)
		}},
		{"ARIADNE_TRACE_FLUSH_DELAY", "trace_flush_delay", "how long the trace backends take to show a trace after its spans are sent, a tail sampler's wait included (Go duration)", func(c *Config, v string) error {
			return setDuration(&c.TraceFlushDelay, v)
		}},
		{"ARIADNE_TRACE_RETENTION", "trace_retention", "how long the trace backends keep traces (Go duration), for a missing trace's page", func(c *Config, v string) error {
			return setDuration(&c.TraceRetention, v)
		}},
		{"ARIADNE_USER_HEADER", "identity.user_header", "header carrying the user name, set by a trusted proxy (e.g. X-Forwarded-User)", func(c *Config, v string) error {
			c.UserHeader = v
			return nil
		}},
		{"ARIADNE_TRUSTED_PROXIES", "identity.trusted_proxies", "comma-separated CIDRs whose user header is believed", func(c *Config, v string) error {
			c.TrustedProxies = nil
			for _, p := range strings.Split(v, ",") {
				p = strings.TrimSpace(p)
				if p == "" {
					continue
				}
				pre, err := netip.ParsePrefix(p)
				if err != nil {
					return err
				}
				c.TrustedProxies = append(c.TrustedProxies, pre.Masked())
			}
			return nil
		}},
		{"ARIADNE_DEFAULT_USER", "identity.default_user", "user name when no trusted header names one", func(c *Config, v string) error {
			c.DefaultUser = v
			return nil
		}},
		{"JAEGER_TENANT_HEADER", "jaeger.tenant_header", "header Jaeger reads the tenant from (default x-tenant)", func(c *Config, v string) error {
			if strings.ContainsAny(v, " :\r\n") {
				return fmt.Errorf("%q is not a header name", v)
			}
			c.Jaeger.TenantHeader = v
			return nil
		}},
		{"ARIADNE_TRACE_LOG_QUERY", "trace_log_query", "LogQL template for a trace's log lines, with ${trace_id} (and optionally ${span_id})", func(c *Config, v string) error {
			if !strings.Contains(v, "${trace_id}") {
				return fmt.Errorf("%q must contain ${trace_id}", v)
			}
			c.TraceLogQuery = v
			return nil
		}},
	}
	for _, b := range []struct {
		name string
		cfg  func(*Config) *datasources.Config
	}{
		{"PROMETHEUS", func(c *Config) *datasources.Config { return &c.Prometheus }},
		{"LOKI", func(c *Config) *datasources.Config { return &c.Loki }},
		{"TEMPO", func(c *Config) *datasources.Config { return &c.Tempo }},
		{"JAEGER", func(c *Config) *datasources.Config { return &c.Jaeger }},
		{"ZIPKIN", func(c *Config) *datasources.Config { return &c.Zipkin }},
	} {
		lower := strings.ToLower(b.name)
		cfg := b.cfg
		s = append(s,
			setting{b.name + "_URL", lower + ".url", lower + " base URL (unset: not configured)", func(c *Config, v string) error {
				if v == "" {
					cfg(c).URL = ""
					return nil
				}
				if err := checkURL(v); err != nil {
					return err
				}
				cfg(c).URL = v
				return nil
			}},
			setting{b.name + "_TENANT", lower + ".tenant", "tenant sent to " + lower + " (in X-Scope-OrgID; Jaeger's in JAEGER_TENANT_HEADER)", func(c *Config, v string) error {
				cfg(c).Tenant = v
				return nil
			}},
			setting{b.name + "_USERNAME", lower + ".username", "basic-auth user for " + lower, func(c *Config, v string) error {
				cfg(c).Username = v
				return nil
			}},
			setting{b.name + "_PASSWORD_FILE", lower + ".password_file", "file holding the basic-auth password", func(c *Config, v string) error {
				return readSecret(&cfg(c).Password, v)
			}},
			setting{b.name + "_BEARER_TOKEN_FILE", lower + ".bearer_token_file", "file holding a bearer token", func(c *Config, v string) error {
				return readSecret(&cfg(c).BearerToken, v)
			}},
			setting{b.name + "_CA_FILE", lower + ".ca_file", "PEM CA bundle to trust", func(c *Config, v string) error {
				if v != "" {
					if _, err := os.Stat(v); err != nil {
						return err
					}
				}
				cfg(c).CAFile = v
				return nil
			}},
			setting{b.name + "_TIMEOUT", lower + ".timeout", "per-request timeout (Go duration)", func(c *Config, v string) error {
				return setDuration(&cfg(c).Timeout, v)
			}},
			setting{b.name + "_MAX_RESPONSE_BYTES", lower + ".max_response_bytes", "largest response read", func(c *Config, v string) error {
				n, err := strconv.ParseInt(v, 10, 64)
				if err != nil || n <= 0 {
					return fmt.Errorf("%q is not a positive number of bytes", v)
				}
				cfg(c).MaxResponseBytes = n
				return nil
			}},
		)
	}
	return s
}

func defaultConfig() Config {
	return Config{
		Addr:            "127.0.0.1:8080",
		RequestTimeout:  60 * time.Second,
		DatabaseTimeout: store.DefaultTimeout,
		MaxQueryBytes:   handlers.DefaultMaxQueryBytes,
		Prometheus:      datasources.Config{Timeout: 15 * time.Second},
		Loki:            datasources.Config{Timeout: 15 * time.Second},
		Tempo:           datasources.Config{Timeout: 15 * time.Second},
	}
}

// flagName turns ARIADNE_ADDR into ariadne-addr (CONVENTIONS.md: flags are
// the variables in lower case with dashes).
func flagName(env string) string {
	return strings.ReplaceAll(strings.ToLower(env), "_", "-")
}

// parseConfig reads args (without the subcommand) and env. Every bad value
// is reported on its own line, named as the user wrote it.
func parseConfig(args []string, getenv func(string) string, stderr io.Writer) (Config, error) {
	c := defaultConfig()
	all := settings()

	fs := flag.NewFlagSet("ariadne serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	configFile := fs.String("config", getenv("ARIADNE_CONFIG"), "YAML configuration file (env ARIADNE_CONFIG)")
	noMigrate := fs.Bool("no-migrate", false, "do not run database migrations on start")
	grafanaDS := fs.String("grafana-datasources", getenv("ARIADNE_GRAFANA_DATASOURCES"), "Grafana datasource provisioning files or directories, comma-separated; explicit settings win (env ARIADNE_GRAFANA_DATASOURCES)")
	flagVals := map[string]*string{}
	for _, s := range all {
		flagVals[s.env] = fs.String(flagName(s.env), "", s.usage+" (env "+s.env+")")
	}
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	c.NoMigrate = *noMigrate

	var errs []error
	var vals map[string]string
	var lists yamlLists
	if *configFile != "" {
		var err error
		if vals, lists, err = readYAML(*configFile); err != nil {
			return c, fmt.Errorf("--config %s: %w", *configFile, err)
		}
	}
	// Provisioning lies under every explicit setting: applied first, then
	// the YAML file, the environment and flags win setting by setting.
	if *grafanaDS != "" {
		r, err := loadProvisioning(*grafanaDS, getenv)
		if err != nil {
			return c, fmt.Errorf("--grafana-datasources %s: %w", *grafanaDS, err)
		}
		yamlKey := map[string]string{}
		for _, s := range all {
			yamlKey[s.env] = s.yaml
		}
		explicit := func(env string) bool {
			_, inYAML := vals[yamlKey[env]]
			_, inEnv := lookup(getenv, env)
			return inYAML || inEnv || given[flagName(env)]
		}
		c.GrafanaDatasources = *grafanaDS
		errs = append(errs, c.applyProvisioning(r, explicit)...)
		if len(lists.ExemplarTraceLabels) > 0 && len(c.ExemplarTraceLabels) > 0 {
			c.Provisioning = append(c.Provisioning, "exemplar trace labels: exemplar_trace_labels in "+*configFile+" wins")
		}
		if len(lists.DerivedFields) > 0 && len(c.DerivedFields) > 0 {
			c.Provisioning = append(c.Provisioning, "derived fields: derived_fields in "+*configFile+" wins")
		}
		if len(lists.REDQueries) > 0 && len(c.REDQueries) > 0 {
			c.Provisioning = append(c.Provisioning, "RED queries: red_queries in "+*configFile+" wins")
		}
		if c.TraceLogQuery != "" && explicit("ARIADNE_TRACE_LOG_QUERY") {
			c.Provisioning = append(c.Provisioning, "trace→logs query: ARIADNE_TRACE_LOG_QUERY (or trace_log_query) wins")
		}
	}
	if *configFile != "" {
		errs = append(errs, c.applyLists(lists, *configFile)...)
		known := map[string]bool{}
		for _, s := range all {
			known[s.yaml] = true
			if v, ok := vals[s.yaml]; ok {
				if err := s.set(&c, v); err != nil {
					errs = append(errs, fmt.Errorf("%s (in %s): %w", s.yaml, *configFile, err))
				}
			}
		}
		for k := range vals {
			if !known[k] {
				errs = append(errs, fmt.Errorf("%s (in %s): unknown setting", k, *configFile))
			}
		}
	}
	for _, s := range all {
		if v, ok := lookup(getenv, s.env); ok {
			if err := s.set(&c, v); err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", s.env, err))
			}
		}
	}
	for _, s := range all {
		if given[flagName(s.env)] {
			if err := s.set(&c, *flagVals[s.env]); err != nil {
				errs = append(errs, fmt.Errorf("--%s: %w", flagName(s.env), err))
			}
		}
	}
	var err error
	if c.Telemetry, err = telemetry.SettingsFromEnv(getenv); err != nil {
		errs = append(errs, err)
	}
	if len(errs) == 0 && c.DatabaseURL == "" {
		errs = append(errs, errors.New("DATABASE_URL: required, e.g. postgres://ariadne@127.0.0.1:5432/ariadne"))
	}
	return c, errors.Join(errs...)
}

// lookup treats an empty variable as unset, the way shells and compose files
// usually mean it.
func lookup(getenv func(string) string, name string) (string, bool) {
	v := getenv(name)
	return v, v != ""
}

// checkURL is the clients' own check of a base URL (so that what starts
// here is never refused by a client's New), plus one of configuration's:
// no credentials in a value that is logged.
func checkURL(v string) error {
	u, err := datasources.ParseBaseURL(v)
	if err != nil {
		return err
	}
	if u.User != nil {
		return fmt.Errorf("credentials in the URL would be logged: use _USERNAME and _PASSWORD_FILE")
	}
	return nil
}

func setDuration(d *time.Duration, v string) error {
	x, err := time.ParseDuration(v)
	if err != nil {
		return err
	}
	if x <= 0 {
		return fmt.Errorf("%q must be positive", v)
	}
	*d = x
	return nil
}

func readSecret(dst *string, path string) error {
	if path == "" {
		*dst = ""
		return nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	*dst = strings.TrimSpace(string(b))
	if *dst == "" {
		return fmt.Errorf("%s is empty", path)
	}
	return nil
}

// applyLists validates the YAML-only settings. A list the file gives
// replaces provisioning's; one it leaves out keeps it.
func (c *Config) applyLists(l yamlLists, file string) []error {
	var errs []error
	if len(l.ExemplarTraceLabels) > 0 {
		c.ExemplarTraceLabels = l.ExemplarTraceLabels
	}
	// The same compile the handlers use, so a rule that loads here works there.
	if _, err := logline.CompileDerivedFields(l.DerivedFields); err != nil {
		errs = append(errs, fmt.Errorf("derived_fields (in %s): %w", file, err))
	}
	if len(l.DerivedFields) > 0 {
		c.DerivedFields = l.DerivedFields
	}
	if len(l.REDQueries) > maxREDQueries {
		errs = append(errs, fmt.Errorf("red_queries (in %s): %d queries, a graph page shows at most %d", file, len(l.REDQueries), maxREDQueries))
	}
	for i, q := range l.REDQueries {
		if !strings.Contains(q, "$service") {
			errs = append(errs, fmt.Errorf("red_queries[%d] (in %s): %q does not use $service", i, file, q))
		}
	}
	if len(l.REDQueries) > 0 {
		c.REDQueries = l.REDQueries
	}
	if l.ServiceMap != nil {
		// Names left out keep their defaults: a file may rename one label.
		m := l.ServiceMap.WithDefaults()
		if err := m.Validate(); err != nil {
			errs = append(errs, fmt.Errorf("service_map (in %s): %w", file, err))
		}
		c.ServiceMap = m
	}
	return errs
}

// applyProvisioning takes what Grafana's provisioning configures. A
// backend whose URL is set explicitly is not taken at all, so that its
// provisioned credentials go to no other URL; explicit settings of a
// backend taken (LOKI_TENANT…) are applied after this and win.
func (c *Config) applyProvisioning(r grafana.Result, explicit func(env string) bool) []error {
	var errs []error
	for _, kind := range grafana.Kinds {
		env := strings.ToUpper(kind) + "_URL"
		if _, ok := r.Backend(kind); ok && explicit(env) {
			r.Drop(kind, env+" is set (its credentials go to no other URL)")
		}
	}
	for _, b := range r.Backends {
		if err := checkURL(b.URL); err != nil {
			errs = append(errs, fmt.Errorf("%s %q url (in %s): %w", b.Kind, b.Name, b.Source, err))
			continue
		}
		d := c.backend(b.Kind)
		d.URL, d.Tenant, d.Username, d.Password, d.BearerToken, d.CAPEM = b.URL, b.Tenant, b.Username, b.Password, b.BearerToken, b.CAPEM
		if b.TenantHeader != "" {
			d.TenantHeader = b.TenantHeader
		}
		if b.Timeout > 0 {
			d.Timeout = b.Timeout
		}
	}
	// Provisioned rules come first and Ariadne's defaults after them: a
	// Grafana file names what its own stack writes, and the usual names
	// (the demo's among them) keep working beside it.
	if len(r.ExemplarTraceLabels) > 0 {
		c.ExemplarTraceLabels = slices.Clone(r.ExemplarTraceLabels)
		for _, l := range links.DefaultTraceLabels {
			if !slices.Contains(c.ExemplarTraceLabels, l) {
				c.ExemplarTraceLabels = append(c.ExemplarTraceLabels, l)
			}
		}
	}
	if len(r.DerivedFields) > 0 {
		c.DerivedFields = slices.Clone(r.DerivedFields)
		for _, f := range logline.DefaultDerivedFields() {
			if !slices.ContainsFunc(c.DerivedFields, func(g logline.DerivedField) bool { return g.Regex == f.Regex && g.Label == f.Label }) {
				c.DerivedFields = append(c.DerivedFields, f)
			}
		}
	}
	c.REDQueries = r.REDQueries
	c.TraceLogQuery = r.TraceLogQuery
	c.Provisioning = r.Notes
	return errs
}

// backend is the settings of the backend of kind (one of grafana.Kinds).
func (c *Config) backend(kind string) *datasources.Config {
	switch kind {
	case "prometheus":
		return &c.Prometheus
	case "loki":
		return &c.Loki
	case "tempo":
		return &c.Tempo
	case "jaeger":
		return &c.Jaeger
	}
	return &c.Zipkin
}

// maxREDQueries is how many queries one graph page holds (q, q2, q3, q4).
const maxREDQueries = 4

// listKeys are read by yamlLists, not flattened.
var listKeys = map[string]bool{"exemplar_trace_labels": true, "derived_fields": true, "red_queries": true, "service_map": true}

// readYAML flattens a YAML mapping into dotted keys with scalar values,
// and decodes the list settings on their own.
func readYAML(path string) (map[string]string, yamlLists, error) {
	var lists yamlLists
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, lists, err
	}
	var root map[string]any
	if err := yaml.Unmarshal(b, &root); err != nil {
		return nil, lists, err
	}
	if err := yaml.Unmarshal(b, &lists); err != nil {
		return nil, lists, err
	}
	for k := range listKeys {
		delete(root, k)
	}
	out := map[string]string{}
	var walk func(prefix string, m map[string]any) error
	walk = func(prefix string, m map[string]any) error {
		for k, v := range m {
			key := k
			if prefix != "" {
				key = prefix + "." + k
			}
			switch x := v.(type) {
			case map[string]any:
				if err := walk(key, x); err != nil {
					return err
				}
			case []any:
				parts := make([]string, len(x))
				for i, e := range x {
					parts[i] = fmt.Sprint(e)
				}
				out[key] = strings.Join(parts, ",")
			case nil:
				out[key] = ""
			default:
				out[key] = fmt.Sprint(x)
			}
		}
		return nil
	}
	return out, lists, walk("", root)
}

// publicURL is the base URL of the links Ariadne gives out: the configured
// one, else the address it listens on (bound: the listener's, so port 0
// is the port it got) when ARIADNE_ADDR names a host (127.0.0.1:8080,
// ariadne.internal:8080), else "" for relative links. Never a request's
// Host header: that is the client's to choose.
func (c Config) publicURL(bound string) string {
	if c.PublicURL != "" {
		return c.PublicURL
	}
	host, _, err := net.SplitHostPort(c.Addr)
	if err != nil || host == "" {
		return ""
	}
	if ip, err := netip.ParseAddr(host); err == nil && ip.IsUnspecified() {
		return ""
	}
	_, port, err := net.SplitHostPort(bound)
	if err != nil {
		return ""
	}
	return "http://" + net.JoinHostPort(host, port)
}
