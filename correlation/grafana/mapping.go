package grafana

import (
	"encoding/base64"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/ariadne-dev/ariadne/correlation/logline"
)

// Kinds are the datasource types Ariadne reads, in the order it reports
// them and looks traces up.
var Kinds = []string{"prometheus", "loki", "tempo", "jaeger", "zipkin"}

// Backend is one datasource taken, as Ariadne's settings for a backend.
// Password and BearerToken are secrets: no note names them.
type Backend struct {
	Kind, Name, UID, Source string
	URL                     string
	Tenant, TenantHeader    string
	Username                string
	Password, BearerToken   string
	CAPEM                   string
	Timeout                 time.Duration
}

// Result is what the provisioning files configure. Empty fields configure
// nothing. Notes are the lines to print at start: one per datasource taken
// and one per setting Ariadne does not use, with what it does instead.
type Result struct {
	Backends            []Backend
	ExemplarTraceLabels []string
	DerivedFields       []logline.DerivedField
	TraceLogQuery       string
	REDQueries          []string
	Notes               []string

	took map[string]int // a kind's "took" line in Notes
}

// Backend returns the backend of kind taken, if any.
func (r Result) Backend(kind string) (Backend, bool) {
	for _, b := range r.Backends {
		if b.Kind == kind {
			return b, true
		}
	}
	return Backend{}, false
}

// Drop leaves out the backend of kind, because of why (an explicit
// setting of Ariadne's wins): its "took" line says so instead.
func (r *Result) Drop(kind, why string) {
	for i, b := range r.Backends {
		if b.Kind != kind {
			continue
		}
		r.Backends = append(r.Backends[:i:i], r.Backends[i+1:]...)
		if at, ok := r.took[kind]; ok {
			r.Notes[at] = fmt.Sprintf("%s %q (%s): not taken: %s", b.Kind, b.Name, b.Source, why)
		}
		return
	}
}

// mapping holds what Map works from: every datasource by UID and the one
// taken per kind.
type mapping struct {
	res   Result
	byUID map[string]Datasource
	taken map[string]Datasource // by kind
}

// Map turns provisioned datasources into Ariadne's settings. Ariadne reads
// one backend per kind: the kind's datasource marked isDefault, else the
// first in file order; the others are reported and left.
func Map(files []File) Result {
	m := &mapping{byUID: map[string]Datasource{}, taken: map[string]Datasource{}}
	var all []Datasource
	for _, f := range files {
		all = append(all, f.Datasources...)
		for _, name := range f.Deleted {
			m.notef("%s: deleteDatasources %q ignored: Ariadne keeps no datasources of its own", f.Path, name)
		}
	}
	for _, d := range all {
		if d.UID != "" {
			m.byUID[d.UID] = d
		}
	}
	for _, kind := range Kinds {
		for _, d := range all {
			if d.Type != kind {
				continue
			}
			if cur, ok := m.taken[kind]; !ok || d.IsDefault && !cur.IsDefault {
				m.taken[kind] = d
			}
		}
	}
	for _, d := range all {
		t, known := m.taken[d.Type]
		switch {
		case !isKind(d.Type):
			m.note(d, "type %q is not a backend Ariadne reads: skipped", d.Type)
		case !known || t.Name != d.Name || t.Source != d.Source:
			m.note(d, "not taken: Ariadne reads one %s, %q", d.Type, t.Name)
		}
	}
	for _, kind := range Kinds {
		if d, ok := m.taken[kind]; ok {
			m.backend(d)
		}
	}
	if d, ok := m.taken["prometheus"]; ok {
		m.exemplars(d)
	}
	if d, ok := m.taken["loki"]; ok {
		m.derivedFields(d)
	}
	for _, kind := range []string{"tempo", "jaeger", "zipkin"} {
		if d, ok := m.taken[kind]; ok {
			m.traceLinks(d)
		}
	}
	return m.res
}

func isKind(t string) bool {
	for _, k := range Kinds {
		if k == t {
			return true
		}
	}
	return false
}

func (m *mapping) notef(format string, args ...any) {
	m.res.Notes = append(m.res.Notes, fmt.Sprintf(format, args...))
}

// note is one line about datasource d.
func (m *mapping) note(d Datasource, format string, args ...any) {
	m.notef("%s %q (%s): %s", d.Type, d.Name, d.Source, fmt.Sprintf(format, args...))
}

// jsonKeys says which jsonData and secureJsonData keys Ariadne reads for a
// kind; the others are reported with ignoredBecause.
var jsonKeys = map[string][]string{
	"":           {"timeout", "tlsAuthWithCACert"},
	"prometheus": {"exemplarTraceIdDestinations"},
	"loki":       {"derivedFields"},
	"tempo":      {"tracesToLogsV2", "tracesToLogs", "tracesToMetrics", "serviceMap", "lokiSearch"},
	"jaeger":     {"tracesToLogsV2", "tracesToLogs", "tracesToMetrics"},
	"zipkin":     {"tracesToLogsV2", "tracesToLogs", "tracesToMetrics"},
}

// ignoredBecause is what Ariadne does instead of a setting it does not
// read; any other key is "not used by Ariadne".
var ignoredBecause = map[string]string{
	"tlsSkipVerify":    "Ariadne always verifies TLS: give it the CA with tlsCACert or _CA_FILE",
	"tlsAuth":          "client certificates are not supported: requests go without one",
	"serverName":       "the name verified is the URL's host",
	"oauthPassThru":    "Ariadne calls backends as itself, not as the viewer: use basic auth or a bearer token",
	"httpMethod":       "Ariadne chooses the method",
	"maxLines":         "Ariadne pages log lines itself",
	"keepCookies":      "Ariadne forwards no cookies",
	"tlsClientCert":    "client certificates are not supported: requests go without one",
	"tlsClientKey":     "client certificates are not supported: requests go without one",
	"password":         "Ariadne reads basicAuthPassword for basic auth",
	"nodeGraph":        "Ariadne draws the service graph of every trace",
	"search":           "Ariadne's trace search is its own form",
	"traceQuery":       "Ariadne looks a trace up in a window of its own around the link's",
	"spanBar":          "Ariadne's waterfall shows each span's duration",
	"tracesToProfiles": "Ariadne reads no profiles",
	"streamingEnabled": "Ariadne does not stream search results",
}

func (m *mapping) backend(d Datasource) {
	b := Backend{Kind: d.Type, Name: d.Name, UID: d.UID, Source: d.Source, URL: strings.TrimSpace(d.URL)}
	var how []string
	start := len(m.res.Notes) // the "took" line goes before its details
	if b.URL == "" {
		m.note(d, "no url: not taken")
		return
	}
	if d.BasicAuth {
		b.Username, b.Password = d.BasicAuthUser, d.SecureJSONData["basicAuthPassword"]
		if b.Password == "" {
			m.note(d, "basicAuth without secureJsonData.basicAuthPassword: sent with an empty password")
		}
	} else if d.BasicAuthUser != "" {
		m.note(d, "basicAuthUser %q ignored: basicAuth is off", d.BasicAuthUser)
	}
	if d.User != "" {
		m.note(d, "user %q ignored: Ariadne reads basicAuthUser for basic auth", d.User)
	}
	for _, h := range d.headers() {
		m.header(d, &b, h)
	}
	if fmt.Sprint(d.JSONData["tlsAuthWithCACert"]) == "true" { // a bool, or "true" from a variable
		b.CAPEM = d.SecureJSONData["tlsCACert"]
		if b.CAPEM == "" {
			m.note(d, "tlsAuthWithCACert without secureJsonData.tlsCACert: the system's CAs are trusted")
		}
	}
	if raw, ok := d.JSONData["timeout"]; ok && raw != nil {
		t, err := seconds(raw)
		if err != nil {
			m.note(d, "jsonData.timeout %v: %v; Ariadne's default timeout is kept", raw, err)
		} else {
			b.Timeout = t
		}
	}
	m.unusedKeys(d)

	how = append(how, b.URL)
	if b.Tenant != "" {
		how = append(how, "tenant "+b.Tenant)
	}
	if b.Username != "" {
		how = append(how, "basic auth as "+b.Username)
	}
	if b.BearerToken != "" {
		how = append(how, "bearer token")
	}
	if b.CAPEM != "" {
		how = append(how, "its CA certificate")
	}
	if b.Timeout > 0 {
		how = append(how, "timeout "+b.Timeout.String())
	}
	uid := ""
	if d.UID != "" {
		uid = ", uid " + d.UID
	}
	took := fmt.Sprintf("took %s %q (%s%s): %s", d.Type, d.Name, d.Source, uid, strings.Join(how, ", "))
	m.res.Notes = append(m.res.Notes[:start], append([]string{took}, m.res.Notes[start:]...)...)
	if m.res.took == nil {
		m.res.took = map[string]int{}
	}
	m.res.took[d.Type] = start
	m.res.Backends = append(m.res.Backends, b)
}

// header maps one custom header: the tenant, or credentials.
func (m *mapping) header(d Datasource, b *Backend, h header) {
	name := strings.TrimSpace(h.name)
	switch lower := strings.ToLower(name); {
	case lower == "x-scope-orgid":
		b.Tenant = h.value
		if d.Type == "jaeger" {
			b.TenantHeader = name
		}
	case d.Type == "jaeger" && strings.Contains(lower, "tenant"):
		b.Tenant, b.TenantHeader = h.value, name
	case lower == "authorization":
		scheme, cred, _ := strings.Cut(strings.TrimSpace(h.value), " ")
		switch strings.ToLower(scheme) {
		case "bearer":
			b.BearerToken = strings.TrimSpace(cred)
			return
		case "basic":
			raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(cred))
			user, pass, ok := strings.Cut(string(raw), ":")
			if err == nil && ok {
				b.Username, b.Password = user, pass
				return
			}
		}
		m.note(d, "jsonData.httpHeaderName%d Authorization: neither Bearer nor Basic, not sent", h.n)
	default:
		m.note(d, "jsonData.httpHeaderName%d %s: not sent; Ariadne sends only the tenant (X-Scope-OrgID) and credentials", h.n, name)
	}
}

// unusedKeys reports the jsonData and secureJsonData keys Ariadne does not
// read (never their values: some are secrets).
func (m *mapping) unusedKeys(d Datasource) {
	read := map[string]bool{}
	for _, k := range append(jsonKeys[""], jsonKeys[d.Type]...) {
		read[k] = true
	}
	var keys []string
	for k := range d.JSONData {
		if !read[k] && !strings.HasPrefix(k, "httpHeaderName") {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		m.note(d, "jsonData.%s not used: %s", k, because(k))
	}
	keys = keys[:0]
	for k := range d.SecureJSONData {
		switch {
		case k == "basicAuthPassword" || k == "tlsCACert" || strings.HasPrefix(k, "httpHeaderValue"):
		default:
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		m.note(d, "secureJsonData.%s not used: %s", k, because(k))
	}
}

func because(key string) string {
	if r, ok := ignoredBecause[key]; ok {
		return r
	}
	return "Ariadne has no such setting"
}

// seconds reads Grafana's timeout: a number of seconds, or a Go duration.
func seconds(v any) (time.Duration, error) {
	s := strings.TrimSpace(fmt.Sprint(v))
	if n, err := strconv.ParseFloat(s, 64); err == nil {
		if n <= 0 || n > 24*3600 {
			return 0, fmt.Errorf("want a positive number of seconds")
		}
		return time.Duration(n * float64(time.Second)), nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("want seconds or a duration such as 30s")
	}
	return d, nil
}
