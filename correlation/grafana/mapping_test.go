package grafana

import (
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ariadne-dev/ariadne/correlation/logline"
)

// stack is a provisioning file in the shape of Grafana's documentation
// examples: Prometheus with an exemplar destination, Loki with derived
// fields, Tempo with tracesToLogsV2, tracesToMetrics, serviceMap and
// lokiSearch. Grafana's own variables are written with $$, as its docs do.
const stack = `
apiVersion: 1
datasources:
  - name: Prometheus
    type: prometheus
    uid: prom
    access: proxy
    url: http://prometheus:9090
    jsonData:
      httpMethod: POST
      timeout: 30
      exemplarTraceIdDestinations:
        - datasourceUid: tempo
          name: traceID
        - name: traceID
          url: 'http://localhost:3000/explore?left=$${__value.raw}'
  - name: Loki
    type: loki
    uid: loki
    access: proxy
    url: http://loki:3100
    basicAuth: true
    basicAuthUser: ari
    jsonData:
      maxLines: 1000
      httpHeaderName1: X-Scope-OrgID
      derivedFields:
        - datasourceUid: tempo
          matcherRegex: "traceID=(\\w+)"
          name: TraceID
          url: '$${__value.raw}'
          urlDisplayLabel: 'View Trace'
        - matcherType: label
          matcherRegex: trace_id
          name: from metadata
    secureJsonData:
      basicAuthPassword: $LOKI_PASSWORD
      httpHeaderValue1: $__file{/run/secrets/tenant}
  - name: Tempo
    type: tempo
    uid: tempo
    url: http://tempo:3200
    jsonData:
      tracesToLogsV2:
        datasourceUid: loki
        spanStartTimeShift: '-1h'
        spanEndTimeShift: '1h'
        tags: [{ key: 'service.name', value: 'service_name' }, { key: 'job' }]
        filterByTraceID: true
        filterBySpanID: false
      tracesToMetrics:
        datasourceUid: prom
        spanStartTimeShift: '-1h'
        spanEndTimeShift: '1h'
        tags: [{ key: 'service.name', value: 'service' }, { key: 'job' }]
        queries:
          - name: 'Sample query'
            query: 'sum(rate(traces_spanmetrics_latency_bucket{$$__tags}[5m]))'
      serviceMap:
        datasourceUid: prom
      nodeGraph:
        enabled: true
      lokiSearch:
        datasourceUid: loki
`

func stackLookup() Lookup {
	return Lookup{
		Env: func(k string) string {
			if k == "LOKI_PASSWORD" {
				return "hunter2"
			}
			return ""
		},
		ReadFile: func(p string) ([]byte, error) { return []byte("team-a\n"), nil },
	}
}

func mapOne(t *testing.T, yml string) Result {
	t.Helper()
	f, err := Parse("ds.yaml", []byte(yml), stackLookup())
	if err != nil {
		t.Fatal(err)
	}
	return Map([]File{f})
}

func TestMapStack(t *testing.T) {
	r := mapOne(t, stack)
	want := []Backend{
		{Kind: "prometheus", Name: "Prometheus", UID: "prom", Source: "ds.yaml", URL: "http://prometheus:9090", Timeout: 30 * time.Second},
		{Kind: "loki", Name: "Loki", UID: "loki", Source: "ds.yaml", URL: "http://loki:3100", Tenant: "team-a", Username: "ari", Password: "hunter2"},
		{Kind: "tempo", Name: "Tempo", UID: "tempo", Source: "ds.yaml", URL: "http://tempo:3200"},
	}
	if !reflect.DeepEqual(r.Backends, want) {
		t.Errorf("backends\n%+v\nwant\n%+v", r.Backends, want)
	}
	if !reflect.DeepEqual(r.ExemplarTraceLabels, []string{"traceID"}) {
		t.Errorf("exemplar labels %v", r.ExemplarTraceLabels)
	}
	wantFields := []logline.DerivedField{{Name: "TraceID", Regex: `traceID=(\w+)`}, {Name: "from metadata", Label: "trace_id"}}
	if !reflect.DeepEqual(r.DerivedFields, wantFields) {
		t.Errorf("derived fields %+v", r.DerivedFields)
	}
	if want := `{service_name=~".+"} |= "${trace_id}"`; r.TraceLogQuery != want {
		t.Errorf("trace log query %q, want %q", r.TraceLogQuery, want)
	}
	if want := []string{`sum(rate(traces_spanmetrics_latency_bucket{service="$service"}[5m]))`}; !reflect.DeepEqual(r.REDQueries, want) {
		t.Errorf("RED queries %q", r.REDQueries)
	}
	notes := strings.Join(r.Notes, "\n")
	for _, want := range []string{
		`took prometheus "Prometheus" (ds.yaml, uid prom): http://prometheus:9090, timeout 30s`,
		`took loki "Loki" (ds.yaml, uid loki): http://loki:3100, tenant team-a, basic auth as ari`,
		`took tempo "Tempo" (ds.yaml, uid tempo): http://tempo:3200`,
		`prometheus "Prometheus" (ds.yaml): jsonData.httpMethod not used: Ariadne chooses the method`,
		`exemplar traceID: its external url is not used`,
		`loki "Loki" (ds.yaml): jsonData.maxLines not used`,
		`derived field TraceID: urlDisplayLabel not used`,
		`spanStartTimeShift "-1h", spanEndTimeShift "1h" not used: Ariadne searches a trace's logs from 1m before`,
		`jsonData.tracesToLogsV2.tags service_name, job: Ariadne's trace→logs query is per trace`,
		`jsonData.tracesToMetrics.tags job not used`,
		`jsonData.serviceMap not used`,
		`jsonData.lokiSearch not used`,
		`jsonData.nodeGraph not used`,
	} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes lack %q:\n%s", want, notes)
		}
	}
	if strings.Contains(notes, "hunter2") || strings.Contains(notes, "secureJsonData.basicAuthPassword") {
		t.Errorf("a secret or a read secret key in the notes:\n%s", notes)
	}
}

// The trace→logs query from Grafana's tracesToLogsV2, as Ariadne's
// template with ${trace_id} and ${span_id}.
func TestTraceLogQuery(t *testing.T) {
	tests := []struct {
		name, jsonData, want, note string
	}{
		{"tags and span filter", `
        tags: [job, pod]
        filterByTraceID: true
        filterBySpanID: true`, `{job=~".+"} |= "${trace_id}" |= "${span_id}"`, ""},
		{"no tags", `
        filterByTraceID: true`, `{service_name=~".+"} |= "${trace_id}"`, ""},
		{"mapped tag names", `
        tags: ['service.name']
        mappedTags: [{ key: 'service.name', value: 'service' }]
        mapTagNamesEnabled: true
        filterByTraceID: true`, `{service=~".+"} |= "${trace_id}"`, ""},
		{"mapping off keeps the key", `
        tags: ['service.name']
        mappedTags: [{ key: 'service.name', value: 'service' }]
        filterByTraceID: true`, `{service_name=~".+"} |= "${trace_id}"`, ""},
		{"trace filter off", `
        tags: [job]`, `{job=~".+"} |= "${trace_id}"`, "filterByTraceID is off: Ariadne always filters"},
		{"custom query with span variables", `
        tags: [{ key: 'service.name', value: 'service_name' }]
        customQuery: true
        query: '{$${__tags}} | json | trace_id="$${__span.traceId}" | span_id="$${__span.spanId}"'`,
			`{service_name=~".+"} | json | trace_id="${trace_id}" | span_id="${span_id}"`, ""},
		{"custom query with the trace variable and $__tags", `
        tags: [job]
        customQuery: true
        query: '{$$__tags} |= "$${__trace.traceId}"'`, `{job=~".+"} |= "${trace_id}"`, ""},
		{"custom query with ${__span.tags}, unescaped", `
        tags: [namespace]
        customQuery: true
        query: '{${__span.tags}} |= "${__span.traceId}"'`, `{namespace=~".+"} |= "${trace_id}"`, ""},
		{"custom query without the trace ID", `
        tags: [job]
        customQuery: true
        query: '{$${__tags}} |= "error"'`, `{job=~".+"} |= "error" |= "${trace_id}"`, ""},
		{"custom query Ariadne cannot fill", `
        tags: [job]
        filterByTraceID: true
        customQuery: true
        query: 'method="$${__span.tags.method}"'`, `{job=~".+"} |= "${trace_id}"`, "Ariadne cannot fill ${__span.tags.method}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := mapOne(t, `
apiVersion: 1
datasources:
  - name: Tempo
    type: tempo
    url: http://tempo:3200
    jsonData:
      tracesToLogsV2:
        datasourceUid: loki`+tt.jsonData+"\n")
			if r.TraceLogQuery != tt.want {
				t.Errorf("query %q, want %q", r.TraceLogQuery, tt.want)
			}
			if tt.note != "" && !strings.Contains(strings.Join(r.Notes, "\n"), tt.note) {
				t.Errorf("notes lack %q: %q", tt.note, r.Notes)
			}
		})
	}
}

func TestREDQueries(t *testing.T) {
	r := mapOne(t, `
apiVersion: 1
datasources:
  - name: Jaeger
    type: jaeger
    url: http://jaeger:16686
    jsonData:
      tracesToMetrics:
        tags: [{ key: 'service.name' }]
        queries:
          - name: rate
            query: 'sum(rate(calls_total{$$__tags}[1m]))'
          - name: per span
            query: 'sum(rate(calls_total{$$__tags, span_name="$${__span.name}"}[1m]))'
          - name: no tags
            query: 'up'
`)
	if want := []string{`sum(rate(calls_total{service_name="$service"}[1m]))`}; !reflect.DeepEqual(r.REDQueries, want) {
		t.Errorf("RED %q", r.REDQueries)
	}
	notes := strings.Join(r.Notes, "\n")
	for _, want := range []string{`query "per span": Ariadne cannot fill ${__span.name}: skipped`, `query "no tags" has no $__tags`} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes lack %q:\n%s", want, notes)
		}
	}
}

func TestDerivedFields(t *testing.T) {
	r := mapOne(t, `
apiVersion: 1
datasources:
  - name: Loki
    type: loki
    url: http://loki:3100
    jsonData:
      derivedFields:
        - name: two groups
          matcherRegex: 'trace_?[iI][dD]=(\w+)(,|$)'
          datasourceUid: tempo
        - name: no group
          matcherRegex: 'tid-\w+'
        - name: external
          matcherRegex: 'traceID=(\w+)'
          url: 'http://localhost:16686/trace/$${__value.raw}'
        - name: to prometheus
          matcherRegex: 'metric=(\w+)'
          datasourceUid: prom
        - name: broken
          matcherRegex: '(unclosed'
  - name: Prom
    type: prometheus
    uid: prom
    url: http://prometheus:9090
  - name: Tempo
    type: tempo
    uid: tempo
    url: http://tempo:3200
`)
	// Grafana's value is the first capture group; later groups stop
	// capturing.
	if len(r.DerivedFields) > 0 {
		re := regexp.MustCompile(r.DerivedFields[0].Regex)
		if m := re.FindStringSubmatch("x trace_id=abc123, y"); re.NumSubexp() != 1 || len(m) != 2 || m[1] != "abc123" {
			t.Errorf("two groups: %q finds %q", r.DerivedFields[0].Regex, m)
		}
		r.DerivedFields[0].Regex = "checked"
	}
	want := []logline.DerivedField{
		{Name: "two groups", Regex: "checked"},
		{Name: "no group", Regex: `(tid-\w+)`},
		{Name: "external", Regex: `traceID=(\w+)`},
	}
	if !reflect.DeepEqual(r.DerivedFields, want) {
		t.Errorf("derived fields\n%+v\nwant\n%+v", r.DerivedFields, want)
	}
	notes := strings.Join(r.Notes, "\n")
	for _, w := range []string{
		"derived field to prometheus: leads to a prometheus datasource",
		"derived field broken: matcherRegex",
		`derived field external: its url "http://localhost:16686/trace/${__value.raw}" is not used`,
	} {
		if !strings.Contains(notes, w) {
			t.Errorf("notes lack %q:\n%s", w, notes)
		}
	}
}

// Connection settings: headers, credentials, CA, timeouts, and one
// backend per kind.
func TestBackends(t *testing.T) {
	f1, err := Parse("a.yaml", []byte(`
apiVersion: 1
datasources:
  - name: Mimir
    type: prometheus
    url: http://mimir/prometheus
    jsonData:
      httpHeaderName1: 'X-Scope-OrgID'
      httpHeaderName2: 'Authorization'
      httpHeaderName3: 'X-Custom'
      tlsAuthWithCACert: true
      tlsSkipVerify: true
      timeout: '$TIMEOUT'
    secureJsonData:
      httpHeaderValue1: 'tenant-1'
      httpHeaderValue2: 'Bearer tok3n'
      httpHeaderValue3: 'v'
      tlsCACert: '-----BEGIN CERTIFICATE-----'
      tlsClientKey: 'secret-key'
  - name: Jaeger
    type: jaeger
    url: http://jaeger:16686
    jsonData:
      httpHeaderName1: x-tenant
      httpHeaderName2: Authorization
    secureJsonData:
      httpHeaderValue1: acme
      httpHeaderValue2: Basic dXNlcjpwYXNz
  - name: Elastic
    type: elasticsearch
    url: http://es:9200
`), Lookup{Env: func(k string) string { return map[string]string{"TIMEOUT": "45"}[k] }})
	if err != nil {
		t.Fatal(err)
	}
	f2, err := Parse("b.yaml", []byte(`
apiVersion: 1
datasources:
  - name: Other Prometheus
    type: prometheus
    url: http://other:9090
  - name: Zipkin
    type: zipkin
    url: http://zipkin:9411
    basicAuthUser: nobody
`), Lookup{})
	if err != nil {
		t.Fatal(err)
	}
	r := Map([]File{f1, f2})
	prom, _ := r.Backend("prometheus")
	if prom.Name != "Mimir" || prom.Tenant != "tenant-1" || prom.BearerToken != "tok3n" || prom.CAPEM != "-----BEGIN CERTIFICATE-----" || prom.Timeout != 45*time.Second {
		t.Errorf("prometheus %+v", prom)
	}
	j, _ := r.Backend("jaeger")
	if j.Tenant != "acme" || j.TenantHeader != "x-tenant" || j.Username != "user" || j.Password != "pass" {
		t.Errorf("jaeger %+v", j)
	}
	z, _ := r.Backend("zipkin")
	if z.URL != "http://zipkin:9411" || z.Username != "" {
		t.Errorf("zipkin %+v", z)
	}
	notes := strings.Join(r.Notes, "\n")
	for _, w := range []string{
		`prometheus "Other Prometheus" (b.yaml): not taken: Ariadne reads one prometheus, "Mimir"`,
		`elasticsearch "Elastic" (a.yaml): type "elasticsearch" is not a backend Ariadne reads`,
		`httpHeaderName3 X-Custom: not sent`,
		`jsonData.tlsSkipVerify not used: Ariadne always verifies TLS`,
		`secureJsonData.tlsClientKey not used`,
		`basicAuthUser "nobody" ignored: basicAuth is off`,
		`http://mimir/prometheus, tenant tenant-1, bearer token, its CA certificate, timeout 45s`,
	} {
		if !strings.Contains(notes, w) {
			t.Errorf("notes lack %q:\n%s", w, notes)
		}
	}
	for _, secret := range []string{"tok3n", "secret-key", "dXNlcjpwYXNz", "pass\"", "BEGIN"} {
		if strings.Contains(notes, secret) {
			t.Errorf("notes show %q:\n%s", secret, notes)
		}
	}

	r.Drop("jaeger", "JAEGER_URL is set")
	if _, ok := r.Backend("jaeger"); ok || !strings.Contains(strings.Join(r.Notes, "\n"), `jaeger "Jaeger" (a.yaml): not taken: JAEGER_URL is set`) || strings.Contains(strings.Join(r.Notes, "\n"), `took jaeger`) {
		t.Errorf("Drop: %+v\n%s", r.Backends, strings.Join(r.Notes, "\n"))
	}
	if len(r.Backends) != 2 {
		t.Errorf("Drop left %d backends, want prometheus and zipkin", len(r.Backends))
	}

	// isDefault wins over file order.
	f2.Datasources[0].IsDefault = true
	if p, _ := Map([]File{f1, f2}).Backend("prometheus"); p.Name != "Other Prometheus" {
		t.Errorf("isDefault: took %q", p.Name)
	}
}

func TestParse(t *testing.T) {
	if _, err := Parse("x.yaml", []byte("apiVersion: 2\ndatasources: []\n"), Lookup{}); err == nil || !strings.Contains(err.Error(), "apiVersion 2") {
		t.Errorf("apiVersion 2: %v", err)
	}
	if f, err := Parse("x.yaml", nil, Lookup{}); err != nil || len(f.Datasources) != 0 {
		t.Errorf("empty file: %+v, %v", f, err)
	}
	if _, err := Parse("x.yaml", []byte("datasources: [{name: a, url: '$__file{/x}'}]"), Lookup{}); err == nil || !strings.Contains(err.Error(), "url: $__file{/x}") {
		t.Errorf("unreadable file: %v", err)
	}
	f, err := Parse("x.yaml", []byte("deleteDatasources: [{name: Old, orgId: 1}]\n"), Lookup{})
	if err != nil || len(f.Deleted) != 1 {
		t.Fatalf("%+v %v", f, err)
	}
	if n := Map([]File{f}).Notes; len(n) != 1 || !strings.Contains(n[0], `deleteDatasources "Old" ignored`) {
		t.Errorf("notes %q", n)
	}
}
