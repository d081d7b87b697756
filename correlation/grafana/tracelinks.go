package grafana

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/ariadne-dev/ariadne/correlation/query"
)

// traceLinks maps a trace datasource's links to logs and metrics. The
// first trace datasource (in Kinds' order) with one sets it.
func (m *mapping) traceLinks(d Datasource) {
	var tl tracesToLogs
	key := "tracesToLogsV2"
	ok, err := d.decodeJSON(key, &tl)
	if !ok && err == nil {
		key = "tracesToLogs"
		ok, err = d.decodeJSON(key, &tl)
	}
	switch {
	case err != nil:
		m.note(d, "%v: the trace→logs query is not taken", err)
	case ok && m.res.TraceLogQuery != "":
		m.note(d, "jsonData.%s not used: the trace→logs query is taken from the first trace datasource", key)
	case ok:
		m.traceLogs(d, key, tl)
	}

	var tm tracesToMetrics
	if ok, err := d.decodeJSON("tracesToMetrics", &tm); err != nil {
		m.note(d, "%v: RED queries not taken", err)
	} else if ok && len(m.res.REDQueries) > 0 {
		m.note(d, "jsonData.tracesToMetrics not used: the RED queries are taken from the first trace datasource")
	} else if ok {
		m.traceMetrics(d, tm)
	}

	var ref uidRef
	if ok, _ := d.decodeJSON("serviceMap", &ref); ok {
		m.note(d, "jsonData.serviceMap not used: Ariadne draws each trace's service graph from its spans")
	}
	if ok, _ := d.decodeJSON("lokiSearch", &ref); ok {
		m.note(d, "jsonData.lokiSearch not used: Ariadne searches traces in the trace backend itself")
	}
}

// traceLogs turns tracesToLogs(V2) into Ariadne's trace log query, a
// LogQL template with ${trace_id} and ${span_id}. Ariadne's query is per
// trace (and narrowed to a span on a span's logs), so a span's tag values
// are not known: tags choose the stream selector (the first tag's label
// present), not its values.
func (m *mapping) traceLogs(d Datasource, key string, tl tracesToLogs) {
	if target, known := m.byUID[tl.DatasourceUID]; known && target.Type != "loki" {
		m.note(d, "jsonData.%s leads to a %s datasource: Ariadne reads logs from Loki only; not taken", key, target.Type)
		return
	} else if known && m.taken["loki"].Name != target.Name {
		m.note(d, "jsonData.%s.datasourceUid %s is not the Loki taken: its query runs on %q", key, tl.DatasourceUID, m.taken["loki"].Name)
	}
	labels := tagLabels(tl.Tags, tl.MappedTags, tl.MapTagNamesEnabled)
	selector := `{service_name=~".+"}`
	if len(labels) > 0 {
		selector = `{` + labels[0] + `=~".+"}`
		if len(labels) > 1 {
			m.note(d, "jsonData.%s.tags %s: Ariadne's trace→logs query is per trace, so it selects the streams with %s and filters by the trace ID", key, strings.Join(labels, ", "), labels[0])
		}
	}
	built := selector + ` |= "${trace_id}"`
	if tl.FilterBySpanID {
		built += ` |= "${span_id}"`
	}
	q := built
	if tl.CustomQuery && strings.TrimSpace(tl.Query) != "" {
		if custom, err := translateLogQuery(tl.Query, strings.TrimSuffix(strings.TrimPrefix(selector, "{"), "}")); err != nil {
			m.note(d, "jsonData.%s.query %q: %v; using %s instead", key, tl.Query, err, built)
		} else {
			q = custom
		}
	} else if !tl.FilterByTraceID {
		m.note(d, "jsonData.%s.filterByTraceID is off: Ariadne always filters a trace's logs by its ID", key)
	}
	if tl.SpanStartTimeShift != "" || tl.SpanEndTimeShift != "" {
		m.note(d, "jsonData.%s.spanStartTimeShift %q, spanEndTimeShift %q not used: Ariadne searches a trace's logs from 1m before it starts to 1m after it ends", key, tl.SpanStartTimeShift, tl.SpanEndTimeShift)
	}
	const probe = "0123456789abcdef0123456789abcdef"
	if _, err := query.TraceLogQuery(q, probe, "0123456789abcdef"); err != nil {
		m.note(d, "jsonData.%s: the query %q: %v; not taken", key, q, err)
		return
	}
	m.res.TraceLogQuery = q
	m.note(d, "trace→logs query: %s", q)
}

// grafanaVar matches Grafana's ${__…} and $__… variables.
var grafanaVar = regexp.MustCompile(`\$\{__[^}]*\}|\$__[A-Za-z_.]+`)

// translateLogQuery rewrites a custom tracesToLogs query's variables into
// Ariadne's: the trace and span IDs, and the tags as matchers (tags being
// the selector's matcher, since a span's tag values are not known).
func translateLogQuery(q, tags string) (string, error) {
	var bad []string
	out := grafanaVar.ReplaceAllStringFunc(q, func(v string) string {
		switch v {
		case "${__trace.traceId}", "${__span.traceId}", "$__trace.traceId", "$__span.traceId":
			return "${trace_id}"
		case "${__span.spanId}", "$__span.spanId":
			return "${span_id}"
		case "${__tags}", "$__tags", "${__span.tags}", "$__span.tags":
			return tags
		}
		bad = append(bad, v)
		return v
	})
	if len(bad) > 0 {
		return "", fmt.Errorf("Ariadne cannot fill %s (its query knows the trace and span IDs only)", strings.Join(bad, ", "))
	}
	if !strings.Contains(out, "${trace_id}") {
		out += ` |= "${trace_id}"`
	}
	return out, nil
}

// tagLabels are the label names tags become on the other side: a tag's
// own value, else its mapped name (when mapping is on), else its key with
// what a label name cannot hold written as _ (service.name → service_name,
// as Loki's and Prometheus's OpenTelemetry ingestion write it).
func tagLabels(tags, mapped []tag, mapOn bool) []string {
	var out []string
	for _, t := range tags {
		if t.Key == "" {
			continue
		}
		name := t.Value
		if name == "" && mapOn {
			for _, mt := range mapped {
				if mt.Key == t.Key && mt.Value != "" {
					name = mt.Value
				}
			}
		}
		if name == "" {
			name = t.Key
		}
		out = append(out, labelName(name))
	}
	return out
}

func labelName(s string) string {
	b := []byte(s)
	for i, c := range b {
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9') {
			b[i] = '_'
		}
	}
	return string(b)
}

// maxREDQueries is how many queries Ariadne's graph page holds.
const maxREDQueries = 4

// traceMetrics turns tracesToMetrics' queries into RED queries: $__tags
// becomes the service's matcher, label="$service", the label being what
// the service.name tag maps to. Other tags are a span's, unknown to a
// trace's RED graphs.
func (m *mapping) traceMetrics(d Datasource, tm tracesToMetrics) {
	if target, known := m.byUID[tm.DatasourceUID]; known && target.Type != "prometheus" {
		m.note(d, "jsonData.tracesToMetrics leads to a %s datasource: Ariadne reads metrics from Prometheus only; not taken", target.Type)
		return
	}
	service := ""
	var others []string
	for _, t := range tm.Tags {
		if t.Key == "service.name" {
			service = t.Value
			if service == "" {
				service = labelName(t.Key)
			}
			continue
		}
		others = append(others, t.Key)
	}
	if len(others) > 0 {
		m.note(d, "jsonData.tracesToMetrics.tags %s not used: a trace's RED graphs are per service", strings.Join(others, ", "))
	}
	if tm.SpanStartTimeShift != "" || tm.SpanEndTimeShift != "" {
		m.note(d, "jsonData.tracesToMetrics time shifts not used: a trace's RED graphs show 15m either side of it")
	}
	for _, q := range tm.Queries {
		name := q.Name
		if name == "" {
			name = q.Query
		}
		if service == "" {
			m.note(d, "tracesToMetrics query %q: no tag maps service.name, which Ariadne's RED queries need ($service): skipped", name)
			continue
		}
		var bad []string
		out := grafanaVar.ReplaceAllStringFunc(q.Query, func(v string) string {
			if v == "$__tags" || v == "${__tags}" {
				return service + `="$service"`
			}
			bad = append(bad, v)
			return v
		})
		switch {
		case len(bad) > 0:
			m.note(d, "tracesToMetrics query %q: Ariadne cannot fill %s: skipped", name, strings.Join(bad, ", "))
		case !strings.Contains(out, "$service"):
			m.note(d, "tracesToMetrics query %q has no $__tags, so no service to fill: skipped", name)
		case len(m.res.REDQueries) == maxREDQueries:
			m.note(d, "tracesToMetrics query %q: a graph page shows at most %d queries: skipped", name, maxREDQueries)
		default:
			m.res.REDQueries = append(m.res.REDQueries, out)
			m.note(d, "RED query %q: %s", name, out)
		}
	}
}
