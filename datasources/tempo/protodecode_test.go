package tempo

import (
	"bytes"
	"math"
	"reflect"
	"slices"
	"testing"

	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/datasources/otlp"
	"github.com/ariadne-dev/ariadne/datasources/tempotest"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	resourcepb "go.opentelemetry.io/proto/otlp/resource/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/proto"
)

// reference decodes with the generated types: the slow, obviously right way.
func reference(b []byte) ([]datasources.Span, error) {
	var td tracepb.TracesData
	if err := proto.Unmarshal(b, &td); err != nil {
		return nil, err
	}
	return otlp.Convert(&td), nil
}

func kv(k string, v *commonpb.AnyValue) *commonpb.KeyValue {
	return &commonpb.KeyValue{Key: k, Value: v}
}

func sv(s string) *commonpb.AnyValue {
	return &commonpb.AnyValue{Value: &commonpb.AnyValue_StringValue{StringValue: s}}
}

// oddTrace has every value type, nesting, links, a 64-bit trace ID, an
// all-zero parent, a value-less attribute and an int service name.
func oddTrace() *tracepb.TracesData {
	arr := &commonpb.AnyValue{Value: &commonpb.AnyValue_ArrayValue{ArrayValue: &commonpb.ArrayValue{Values: []*commonpb.AnyValue{
		sv(`a "quoted" s`), {Value: &commonpb.AnyValue_IntValue{IntValue: -7}}, {},
		{Value: &commonpb.AnyValue_DoubleValue{DoubleValue: math.Inf(-1)}},
		{Value: &commonpb.AnyValue_BytesValue{BytesValue: []byte{0xff, 0}}},
	}}}}
	m := &commonpb.AnyValue{Value: &commonpb.AnyValue_KvlistValue{KvlistValue: &commonpb.KeyValueList{Values: []*commonpb.KeyValue{
		kv("nested", arr), kv("b", &commonpb.AnyValue{Value: &commonpb.AnyValue_BoolValue{BoolValue: true}}), {Key: "none"},
	}}}}
	return &tracepb.TracesData{ResourceSpans: []*tracepb.ResourceSpans{{
		Resource: &resourcepb.Resource{Attributes: []*commonpb.KeyValue{
			kv("service.name", &commonpb.AnyValue{Value: &commonpb.AnyValue_IntValue{IntValue: 42}})}},
		ScopeSpans: []*tracepb.ScopeSpans{{
			Scope: &commonpb.InstrumentationScope{Name: "odd", Attributes: []*commonpb.KeyValue{kv("tailsampling.policy", sv("errors"))}},
			Spans: []*tracepb.Span{{
				TraceId: []byte{1, 2, 3, 4, 5, 6, 7, 8}, SpanId: []byte{0, 0, 0, 0, 0, 0, 0, 9},
				ParentSpanId: make([]byte, 8), TraceState: "ot=th:fd70a4;rv:01", Name: "ünïcode", Kind: tracepb.Span_SpanKind(9),
				StartTimeUnixNano: 1, EndTimeUnixNano: math.MaxUint64 >> 1,
				Attributes: []*commonpb.KeyValue{kv("arr", arr), kv("map", m), {Key: "novalue"},
					kv("nan", &commonpb.AnyValue{Value: &commonpb.AnyValue_DoubleValue{DoubleValue: math.NaN()}}),
					kv("bytes", &commonpb.AnyValue{Value: &commonpb.AnyValue_BytesValue{BytesValue: []byte("hi")}})},
				Events: []*tracepb.Span_Event{{Name: "e1"}, {Name: "e2", Attributes: []*commonpb.KeyValue{kv("k", sv("v"))}}},
				Links: []*tracepb.Span_Link{{TraceId: make([]byte, 16), SpanId: []byte{7},
					Attributes: []*commonpb.KeyValue{kv("link.kind", sv("follows"))}}},
				Status: &tracepb.Status{Code: tracepb.Status_STATUS_CODE_OK, Message: "fine"},
			}},
		}},
	}}}
}

func TestProtoDecoderMatchesGeneratedTypes(t *testing.T) {
	traces := map[string]*tracepb.TracesData{"odd": oddTrace(), "empty": {}}
	v1, _ := protoBodies(t, "")
	var checkout tracepb.TracesData
	if err := proto.Unmarshal(v1, &checkout); err != nil {
		t.Fatal(err)
	}
	traces["checkout"] = &checkout
	for name, td := range traces {
		b, err := proto.Marshal(td)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := reference(b)
		got, err := protoSpans(b, [][2]int{{0, len(b)}})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(want) == 0 && len(got) == 0 {
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n got %+v\nwant %+v", name, got, want)
		}
	}
	// Spot-check what a page shows for the odd values.
	b, _ := proto.Marshal(oddTrace())
	spans, _ := protoSpans(b, [][2]int{{0, len(b)}})
	s := spans[0]
	if s.TraceID != "00000000000000000102030405060708" || s.ParentSpanID != "" || s.Service() != "42" ||
		s.Kind != datasources.KindUnspecified || s.Status != datasources.StatusOK || s.TraceState != "ot=th:fd70a4;rv:01" {
		t.Errorf("span = %+v", s)
	}
	if v, _ := datasources.Attr(s.Attributes, "arr"); v != `["a \"quoted\" s",-7,null,-Inf,"/wA="]` {
		t.Errorf("array rendered as %s", v)
	}
	if v, _ := datasources.Attr(s.Attributes, "map"); v != `{"nested":["a \"quoted\" s",-7,null,-Inf,"/wA="],"b":true,"none":null}` {
		t.Errorf("map rendered as %s", v)
	}
	if p, _ := datasources.Attr(s.ScopeAttributes, "tailsampling.policy"); p != "errors" {
		t.Errorf("scope attributes %+v", s.ScopeAttributes)
	}
	if s.Links[0].SpanID != "0000000000000007" || s.Links[0].Attributes[0].Value != "follows" {
		t.Errorf("link = %+v", s.Links[0])
	}
}

// FuzzProtoDecoder: on any bytes the fast decoder never panics, and
// wherever the generated types accept the input, both agree.
func FuzzProtoDecoder(f *testing.F) {
	for _, td := range []*tracepb.TracesData{oddTrace(), {}} {
		b, _ := proto.Marshal(td)
		f.Add(b)
	}
	f.Add([]byte{0x0a, 0x02, 0x12, 0x00})
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := protoSpans(b, [][2]int{{0, len(b)}})
		want, rerr := reference(b)
		if rerr != nil {
			return // e.g. invalid UTF-8, which the fast path tolerates
		}
		if err != nil {
			t.Fatalf("fast decoder failed where proto did not: %v", err)
		}
		if len(got)+len(want) > 0 && !reflect.DeepEqual(got, want) {
			t.Fatalf("decoders disagree:\n got %+v\nwant %+v", got, want)
		}
	})
}

// TestProtoDecoderInParallel: a trace large enough to be decoded on every
// core decodes exactly as the generated types read it, and a span that
// cannot be read anywhere in it fails the decode.
func TestProtoDecoderInParallel(t *testing.T) {
	b, err := proto.Marshal(tempotest.GenerateTrace(parallelSpans+501, 3))
	if err != nil {
		t.Fatal(err)
	}
	got, err := protoSpans(b, [][2]int{{0, len(b)}})
	if err != nil {
		t.Fatal(err)
	}
	want, err := reference(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != parallelSpans+501 || !reflect.DeepEqual(got, want) {
		t.Fatalf("decoded %d spans, not as the generated types read them", len(got))
	}
	// Break one span deep in the trace: its first field's tag becomes
	// field 0 of wire type 7, which no reader accepts.
	bad := slices.Clone(b)
	at := bytes.Index(bad, []byte(want[len(want)*3/4].Name))
	for at > 0 && bad[at-2] != 0x2a { // back to the span's name field (5, bytes)
		at--
	}
	bad[at-2] = 0x07
	if _, err := protoSpans(bad, [][2]int{{0, len(bad)}}); err == nil {
		t.Error("a broken span deep in a huge trace decoded")
	}
}
