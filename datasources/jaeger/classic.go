package jaeger

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/datasources/otlp"
)

// The classic API's JSON (Jaeger's UI model): a trace is spans plus the
// processes they name, times in microseconds, tags typed, logs as events,
// references instead of a parent field.
type (
	classicResponse struct {
		Data   []classicTrace `json:"data"`
		Errors []classicError `json:"errors"`
	}
	classicError struct {
		Code    int    `json:"code"`
		Msg     string `json:"msg"`
		TraceID string `json:"traceID"`
	}
	classicTrace struct {
		TraceID   string                    `json:"traceID"`
		Spans     []classicSpan             `json:"spans"`
		Processes map[string]classicProcess `json:"processes"`
		Warnings  []string                  `json:"warnings"`
	}
	classicSpan struct {
		TraceID       string       `json:"traceID"`
		SpanID        string       `json:"spanID"`
		OperationName string       `json:"operationName"`
		References    []classicRef `json:"references"`
		StartTime     int64        `json:"startTime"` // µs
		Duration      int64        `json:"duration"`  // µs
		Tags          []classicKV  `json:"tags"`
		Logs          []classicLog `json:"logs"`
		ProcessID     string       `json:"processID"`
		Warnings      []string     `json:"warnings"`
	}
	classicRef struct {
		RefType string `json:"refType"` // CHILD_OF, FOLLOWS_FROM
		TraceID string `json:"traceID"`
		SpanID  string `json:"spanID"`
	}
	classicProcess struct {
		ServiceName string      `json:"serviceName"`
		Tags        []classicKV `json:"tags"`
	}
	classicLog struct {
		Timestamp int64       `json:"timestamp"` // µs
		Fields    []classicKV `json:"fields"`
	}
	classicKV struct {
		Key   string          `json:"key"`
		Type  string          `json:"type"` // string, bool, int64, float64, binary
		Value json.RawMessage `json:"value"`
	}
)

// WarningAttribute is where a span's Jaeger warnings are kept.
const WarningAttribute = "jaeger.warning"

// convertClassic turns one classic trace into the model. The first
// CHILD_OF reference in the trace is the parent; FOLLOWS_FROM (and any
// further reference) is a link, so a span that only follows another is not
// drawn as its child. Jaeger's own bookkeeping tags (span.kind,
// otel.status_code, error, otel.scope.name) become the fields they stand for.
func convertClassic(ct classicTrace) *datasources.Trace {
	resources := make(map[string]*datasources.Resource, len(ct.Processes))
	for id, p := range ct.Processes {
		resources[id] = &datasources.Resource{Service: p.ServiceName, Attributes: classicAttrs(p.Tags)}
	}
	tr := &datasources.Trace{ID: padID(ct.TraceID, 32), Spans: make([]datasources.Span, 0, len(ct.Spans))}
	if len(ct.Warnings) > 0 {
		// The trace's warnings are Jaeger's way of saying it may be
		// incomplete or adjusted: the page's partial-trace notice.
		tr.Partial, tr.PartialMessage = true, "Jaeger: "+strings.Join(ct.Warnings, "; ")
	}
	for _, cs := range ct.Spans {
		sp := datasources.Span{TraceID: padID(cs.TraceID, 32), SpanID: padID(cs.SpanID, 16), Name: cs.OperationName,
			StartNs: cs.StartTime * 1000, EndNs: (cs.StartTime + cs.Duration) * 1000, Resource: resources[cs.ProcessID]}
		if sp.Resource == nil {
			sp.Resource = &datasources.Resource{}
		}
		var more datasources.SpanDetails
		for _, r := range cs.References {
			if r.RefType == "CHILD_OF" && sp.ParentSpanID == "" && padID(r.TraceID, 32) == sp.TraceID {
				sp.ParentSpanID = padID(r.SpanID, 16)
				continue
			}
			l := datasources.SpanLink{TraceID: padID(r.TraceID, 32), SpanID: padID(r.SpanID, 16)}
			if r.RefType == "FOLLOWS_FROM" {
				l.Attributes = []datasources.Attribute{{Key: "opentracing.ref_type", Value: "follows_from"}}
			}
			more.Links = append(more.Links, l)
		}
		statusSet := false
		for _, a := range classicAttrs(cs.Tags) {
			switch a.Key {
			case "span.kind":
				sp.Kind = datasources.SpanKind(a.Value)
			case "otel.status_code":
				statusSet = true
				switch a.Value {
				case "ERROR":
					sp.Status = datasources.StatusError
				case "OK":
					sp.Status = datasources.StatusOK
				}
			case "otel.status_description":
				more.StatusMsg = a.Value
			case "otel.scope.name":
				sp.Scope = a.Value
			case datasources.TraceStateTag:
				more.TraceState = a.Value
			case "error":
				if a.Value == "true" && !statusSet {
					sp.Status = datasources.StatusError
				}
			default:
				sp.Attrs = append(sp.Attrs, a)
			}
		}
		// Jaeger's own notes on the span (clock skew adjusted, an invalid
		// parent reference) stay with it, where the details show them.
		for _, w := range cs.Warnings {
			sp.Attrs = append(sp.Attrs, datasources.Attribute{Key: WarningAttribute, Value: w})
		}
		for _, lg := range cs.Logs {
			ev := datasources.SpanEvent{TimeNs: lg.Timestamp * 1000}
			for _, a := range classicAttrs(lg.Fields) {
				if a.Key == "event" && ev.Name == "" {
					ev.Name = a.Value
					continue
				}
				ev.Attributes = append(ev.Attributes, a)
			}
			more.Events = append(more.Events, ev)
		}
		sp.Details = datasources.NewSpanDetails(more)
		tr.Spans = append(tr.Spans, sp)
	}
	return tr
}

func classicAttrs(kvs []classicKV) []datasources.Attribute {
	out := make([]datasources.Attribute, 0, len(kvs))
	for _, kv := range kvs {
		a := datasources.Attribute{Key: kv.Key}
		switch kv.Type {
		case "bool":
			a.Type, a.Value = datasources.TypeBool, string(kv.Value)
		case "int64":
			a.Type, a.Value = datasources.TypeInt, string(kv.Value)
		case "float64":
			a.Type = datasources.TypeDouble
			if f, err := strconv.ParseFloat(string(kv.Value), 64); err == nil {
				a.Value = string(otlp.AppendFloat(nil, f))
			} else {
				a.Value = string(kv.Value)
			}
		case "binary":
			a.Type = datasources.TypeBytes
			json.Unmarshal(kv.Value, &a.Value)
		default:
			a.Type = datasources.TypeString
			if json.Unmarshal(kv.Value, &a.Value) != nil {
				a.Value = string(kv.Value)
			}
		}
		out = append(out, a)
	}
	return out
}

// padID writes a Jaeger ID (which drops leading zeros: "a1" for
// 00000000000000a1) at its full width, lower case.
func padID(s string, width int) string {
	if id, err := datasources.ParseTraceID(s); width == 32 && err == nil {
		return id
	}
	if id, err := datasources.ParseSpanID(s); width == 16 && err == nil {
		return id
	}
	return s
}
