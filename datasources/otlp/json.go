package otlp

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	resourcepb "go.opentelemetry.io/proto/otlp/resource/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
)

// OTLP's JSON encoding (the OTLP/HTTP JSON of the specification, which
// Jaeger's v3 API sends) differs from protobuf's canonical JSON in one
// place that matters: trace and span IDs are hex strings, not base64.
// protojson would reject them, so this reads the JSON into its own small
// types and builds the protobuf model, which Convert then turns into
// Ariadne's. Enums may be numbers or their names; 64-bit integers strings
// or numbers, as the specification allows both.

type (
	jsonTraces struct {
		ResourceSpans []jsonResourceSpans `json:"resourceSpans"`
	}
	jsonResourceSpans struct {
		Resource   *jsonResource    `json:"resource"`
		ScopeSpans []jsonScopeSpans `json:"scopeSpans"`
	}
	jsonResource struct {
		Attributes []jsonKV `json:"attributes"`
	}
	jsonScopeSpans struct {
		Scope *struct {
			Name       string   `json:"name"`
			Version    string   `json:"version"`
			Attributes []jsonKV `json:"attributes"`
		} `json:"scope"`
		Spans []jsonSpan `json:"spans"`
	}
	jsonSpan struct {
		TraceID      string      `json:"traceId"`
		SpanID       string      `json:"spanId"`
		ParentSpanID string      `json:"parentSpanId"`
		TraceState   string      `json:"traceState"`
		Name         string      `json:"name"`
		Kind         jsonEnum    `json:"kind"`
		Start        jsonUint    `json:"startTimeUnixNano"`
		End          jsonUint    `json:"endTimeUnixNano"`
		Attributes   []jsonKV    `json:"attributes"`
		Events       []jsonEvent `json:"events"`
		Links        []jsonLink  `json:"links"`
		Status       *struct {
			Message string   `json:"message"`
			Code    jsonEnum `json:"code"`
		} `json:"status"`
	}
	jsonEvent struct {
		Time       jsonUint `json:"timeUnixNano"`
		Name       string   `json:"name"`
		Attributes []jsonKV `json:"attributes"`
	}
	jsonLink struct {
		TraceID    string   `json:"traceId"`
		SpanID     string   `json:"spanId"`
		Attributes []jsonKV `json:"attributes"`
	}
	jsonKV struct {
		Key   string    `json:"key"`
		Value jsonValue `json:"value"`
	}
	jsonValue struct {
		String *string  `json:"stringValue"`
		Bool   *bool    `json:"boolValue"`
		Int    *jsonInt `json:"intValue"`
		Double *float64 `json:"doubleValue"`
		Bytes  *string  `json:"bytesValue"`
		Array  *struct {
			Values []jsonValue `json:"values"`
		} `json:"arrayValue"`
		KVList *struct {
			Values []jsonKV `json:"values"`
		} `json:"kvlistValue"`
	}
)

// jsonUint and jsonInt accept "123" and 123.
type jsonUint uint64
type jsonInt int64

func (v *jsonUint) UnmarshalJSON(b []byte) error {
	n, err := strconv.ParseUint(strings.Trim(string(b), `"`), 10, 64)
	*v = jsonUint(n)
	return err
}

func (v *jsonInt) UnmarshalJSON(b []byte) error {
	n, err := strconv.ParseInt(strings.Trim(string(b), `"`), 10, 64)
	*v = jsonInt(n)
	return err
}

// jsonEnum accepts 2 and "SPAN_KIND_SERVER" (or "STATUS_CODE_ERROR").
type jsonEnum struct {
	n    int32
	name string
}

func (e *jsonEnum) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		return json.Unmarshal(b, &e.name)
	}
	n, err := strconv.ParseInt(string(b), 10, 32)
	e.n = int32(n)
	return err
}

func (e jsonEnum) kind() tracepb.Span_SpanKind {
	if e.name != "" {
		return tracepb.Span_SpanKind(tracepb.Span_SpanKind_value[e.name])
	}
	return tracepb.Span_SpanKind(e.n)
}

func (e jsonEnum) status() tracepb.Status_StatusCode {
	if e.name != "" {
		return tracepb.Status_StatusCode(tracepb.Status_StatusCode_value[e.name])
	}
	return tracepb.Status_StatusCode(e.n)
}

// DecodeJSON reads OTLP/JSON TracesData (an object with "resourceSpans").
func DecodeJSON(b []byte) (*tracepb.TracesData, error) {
	var in jsonTraces
	if err := json.Unmarshal(b, &in); err != nil {
		return nil, err
	}
	return in.proto()
}

func (in *jsonTraces) proto() (*tracepb.TracesData, error) {
	td := &tracepb.TracesData{ResourceSpans: make([]*tracepb.ResourceSpans, 0, len(in.ResourceSpans))}
	for _, jrs := range in.ResourceSpans {
		rs := &tracepb.ResourceSpans{Resource: &resourcepb.Resource{}}
		if jrs.Resource != nil {
			rs.Resource.Attributes = kvs(jrs.Resource.Attributes)
		}
		for _, jss := range jrs.ScopeSpans {
			ss := &tracepb.ScopeSpans{Spans: make([]*tracepb.Span, 0, len(jss.Spans))}
			if jss.Scope != nil {
				ss.Scope = &commonpb.InstrumentationScope{Name: jss.Scope.Name, Version: jss.Scope.Version, Attributes: kvs(jss.Scope.Attributes)}
			}
			for i := range jss.Spans {
				sp, err := jss.Spans[i].proto()
				if err != nil {
					return nil, err
				}
				ss.Spans = append(ss.Spans, sp)
			}
			rs.ScopeSpans = append(rs.ScopeSpans, ss)
		}
		td.ResourceSpans = append(td.ResourceSpans, rs)
	}
	return td, nil
}

func (j *jsonSpan) proto() (*tracepb.Span, error) {
	tid, err := id(j.TraceID, "traceId")
	if err != nil {
		return nil, err
	}
	sid, err := id(j.SpanID, "spanId")
	if err != nil {
		return nil, err
	}
	pid, err := id(j.ParentSpanID, "parentSpanId")
	if err != nil {
		return nil, err
	}
	sp := &tracepb.Span{TraceId: tid, SpanId: sid, ParentSpanId: pid, TraceState: j.TraceState, Name: j.Name,
		Kind: j.Kind.kind(), StartTimeUnixNano: uint64(j.Start), EndTimeUnixNano: uint64(j.End), Attributes: kvs(j.Attributes)}
	if j.Status != nil {
		sp.Status = &tracepb.Status{Message: j.Status.Message, Code: j.Status.Code.status()}
	}
	for _, e := range j.Events {
		sp.Events = append(sp.Events, &tracepb.Span_Event{TimeUnixNano: uint64(e.Time), Name: e.Name, Attributes: kvs(e.Attributes)})
	}
	for _, l := range j.Links {
		ltid, err := id(l.TraceID, "links.traceId")
		if err != nil {
			return nil, err
		}
		lsid, err := id(l.SpanID, "links.spanId")
		if err != nil {
			return nil, err
		}
		sp.Links = append(sp.Links, &tracepb.Span_Link{TraceId: ltid, SpanId: lsid, Attributes: kvs(l.Attributes)})
	}
	return sp, nil
}

// id reads a hex ID (the specification's form); base64 (protobuf JSON's)
// is accepted too, for encoders that follow protojson.
func id(s, field string) ([]byte, error) {
	if s == "" {
		return nil, nil
	}
	if b, err := hex.DecodeString(s); err == nil && (len(b) == 8 || len(b) == 16) {
		return b, nil
	}
	if b, err := base64.StdEncoding.DecodeString(s); err == nil && (len(b) == 8 || len(b) == 16) {
		return b, nil
	}
	return nil, fmt.Errorf("%s %q is neither 16/32 hex characters nor base64 of 8/16 bytes", field, s)
}

func kvs(in []jsonKV) []*commonpb.KeyValue {
	if len(in) == 0 {
		return nil
	}
	out := make([]*commonpb.KeyValue, len(in))
	for i, kv := range in {
		out[i] = &commonpb.KeyValue{Key: kv.Key, Value: kv.Value.proto()}
	}
	return out
}

func (v jsonValue) proto() *commonpb.AnyValue {
	switch {
	case v.String != nil:
		return &commonpb.AnyValue{Value: &commonpb.AnyValue_StringValue{StringValue: *v.String}}
	case v.Bool != nil:
		return &commonpb.AnyValue{Value: &commonpb.AnyValue_BoolValue{BoolValue: *v.Bool}}
	case v.Int != nil:
		return &commonpb.AnyValue{Value: &commonpb.AnyValue_IntValue{IntValue: int64(*v.Int)}}
	case v.Double != nil:
		return &commonpb.AnyValue{Value: &commonpb.AnyValue_DoubleValue{DoubleValue: *v.Double}}
	case v.Bytes != nil:
		b, _ := base64.StdEncoding.DecodeString(*v.Bytes)
		return &commonpb.AnyValue{Value: &commonpb.AnyValue_BytesValue{BytesValue: b}}
	case v.Array != nil:
		vals := make([]*commonpb.AnyValue, len(v.Array.Values))
		for i, x := range v.Array.Values {
			vals[i] = x.proto()
		}
		return &commonpb.AnyValue{Value: &commonpb.AnyValue_ArrayValue{ArrayValue: &commonpb.ArrayValue{Values: vals}}}
	case v.KVList != nil:
		return &commonpb.AnyValue{Value: &commonpb.AnyValue_KvlistValue{KvlistValue: &commonpb.KeyValueList{Values: kvs(v.KVList.Values)}}}
	}
	return &commonpb.AnyValue{}
}
