package tempo

import (
	"bytes"
	"encoding/binary"
	"maps"
	"math"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/ariadne-dev/ariadne/correlation/text"
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
		_, keys, _ := decodeSpans(b, [][2]int{{0, len(b)}})
		if !maps.Equal(keys, attrKeys(want)) {
			t.Errorf("%s: keys %v", name, keys)
		}
	}
	// Spot-check what a page shows for the odd values.
	b, _ := proto.Marshal(oddTrace())
	spans, _ := protoSpans(b, [][2]int{{0, len(b)}})
	s := spans[0]
	if s.TraceID != "00000000000000000102030405060708" || s.ParentSpanID != "" || s.Service() != "42" ||
		s.Kind != datasources.KindUnspecified || s.Status != datasources.StatusOK || s.TraceState() != "ot=th:fd70a4;rv:01" {
		t.Errorf("span = %+v", s)
	}
	if v, _ := datasources.Attr(s.Attributes(), "arr"); v != `["a \"quoted\" s",-7,null,-Inf,"/wA="]` {
		t.Errorf("array rendered as %s", v)
	}
	if v, _ := datasources.Attr(s.Attributes(), "map"); v != `{"nested":["a \"quoted\" s",-7,null,-Inf,"/wA="],"b":true,"none":null}` {
		t.Errorf("map rendered as %s", v)
	}
	if p, _ := datasources.Attr(s.ScopeAttributes, "tailsampling.policy"); p != "errors" {
		t.Errorf("scope attributes %+v", s.ScopeAttributes)
	}
	if s.Links()[0].SpanID != "0000000000000007" || s.Links()[0].Attributes[0].Value != "follows" {
		t.Errorf("link = %+v", s.Links()[0])
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

// FuzzIterShort: the one-byte fast path reads every field exactly as the
// general path does (number, type, value, where it ends, any error).
func FuzzIterShort(f *testing.F) {
	b, _ := proto.Marshal(oddTrace())
	f.Add(b)
	f.Add([]byte{0x0a, 0x7f, 0x10, 0x80, 0x01, 0x21, 1, 2, 3, 4, 5, 6, 7, 8, 0x00})
	f.Fuzz(func(t *testing.T, b []byte) {
		fast, slow := iter{b: b, end: len(b)}, iter{b: b, end: len(b)}
		for {
			okSlow := slow.err == nil && slow.p < slow.end && slow.general()
			okFast := fast.next()
			f, s := fast, slow
			f.b, s.b = nil, nil
			if okFast != okSlow || !reflect.DeepEqual(f, s) {
				t.Fatalf("at %d: fast %v %+v, general %v %+v", slow.p, okFast, f, okSlow, s)
			}
			if !okFast {
				return
			}
		}
	})
}

// FuzzPlainKeyValue: a KeyValue the fast check accepts is one the general
// check accepts too, with the same key.
func FuzzPlainKeyValue(f *testing.F) {
	for _, kv := range []*commonpb.KeyValue{
		{Key: "http.route", Value: &commonpb.AnyValue{Value: &commonpb.AnyValue_StringValue{StringValue: "/cart"}}},
		{Key: "n", Value: &commonpb.AnyValue{Value: &commonpb.AnyValue_IntValue{IntValue: -1}}},
		{Key: "d", Value: &commonpb.AnyValue{Value: &commonpb.AnyValue_DoubleValue{DoubleValue: 0.5}}},
		{Key: "b", Value: &commonpb.AnyValue{Value: &commonpb.AnyValue_BoolValue{BoolValue: true}}},
		{Key: "e", Value: &commonpb.AnyValue{}},
	} {
		b, _ := proto.Marshal(kv)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		d := &pdec{s: string(b), b: b}
		key, ok := d.plainKeyValue(0, len(b))
		if !ok {
			return
		}
		want, err := d.checkAnyKeyValue(0, len(b))
		if err != nil || key != want {
			t.Fatalf("fast check took %q as key %q; general: %q, %v", b, key, want, err)
		}
		var kv commonpb.KeyValue
		if err := (proto.UnmarshalOptions{}).Unmarshal(b, &kv); err != nil && !strings.Contains(err.Error(), "UTF-8") {
			t.Fatalf("fast check took %q, proto refuses it: %v", b, err)
		}
	})
}

// TestSmallTraceDecodeAllocatesLittle: a dozen-span trace (a page may
// decode twenty, comparing it with similar ones) allocates kilobytes, not
// the chunks a huge trace's decode is cut from (2 MB before they were
// sized to the trace).
func TestSmallTraceDecodeAllocatesLittle(t *testing.T) {
	body, err := tempotest.EncodeV2Proto(tempotest.GenerateTrace(12, 1))
	if err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range 10 {
		if _, err := DecodeTraceV2(body, "application/protobuf"); err != nil {
			t.Fatal(err)
		}
	}
	runtime.ReadMemStats(&after)
	if per := (after.TotalAlloc - before.TotalAlloc) / 10; per > 200<<10 {
		t.Errorf("a 12-span decode allocates %d KB", per>>10)
	}
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
	if got[0].Attrs != nil {
		t.Error("a huge trace's attributes were decoded at once")
	}
	// The trace's keys are every key of its spans', from every core.
	_, keys, _ := decodeSpans(b, [][2]int{{0, len(b)}})
	if wantKeys := attrKeys(want); !maps.Equal(keys, wantKeys) {
		t.Errorf("keys %v, want %v", slices.Sorted(maps.Keys(keys)), slices.Sorted(maps.Keys(wantKeys)))
	}
	for i := range got {
		// Each span finds its own keys, whichever core read it.
		for _, a := range want[i].Attrs {
			if v, ok := got[i].Attr(a.Key); !ok || v != a.Value {
				if w, _ := datasources.Attr(want[i].Attrs, a.Key); w == a.Value {
					t.Fatalf("span %d: %s = %q, %v; want %q", i, a.Key, v, ok, a.Value)
				}
			}
		}
		got[i].SetAttributes(got[i].Attributes())
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
	// An attribute kept for later is checked now: its value's tag broken,
	// the decode fails.
	bad = slices.Clone(b)
	key := []byte(want[len(want)*3/4].Attrs[0].Key)
	at = bytes.LastIndex(bad, key) + len(key)
	if bad[at] != 0x12 { // KeyValue.value (2, bytes)
		t.Fatalf("no value after the key %q", key)
	}
	bad[at] = 0x07
	if _, err := protoSpans(bad, [][2]int{{0, len(bad)}}); err == nil {
		t.Error("a broken attribute deep in a huge trace decoded")
	}
}

// TestLazyAttributes: a trace of lazySpans spans keeps its spans'
// attributes in the body; read, they are what the generated types decode,
// made visible, through Attributes, Attr and FindAttributes alike.
func TestLazyAttributes(t *testing.T) {
	td := oddTrace()
	one := td.ResourceSpans[0].ScopeSpans[0].Spans[0]
	one.Attributes = append(one.Attributes, kv("rlo", sv("exe\u202etxt")), kv("arr", sv("a second arr")))
	spans := make([]*tracepb.Span, lazySpans)
	for i := range spans {
		spans[i] = proto.Clone(one).(*tracepb.Span)
		spans[i].SpanId = binary.BigEndian.AppendUint64(nil, uint64(i+1))
	}
	td.ResourceSpans[0].ScopeSpans[0].Spans = spans
	b, err := proto.Marshal(td)
	if err != nil {
		t.Fatal(err)
	}
	got, err := protoSpans(b, [][2]int{{0, len(b)}})
	if err != nil {
		t.Fatal(err)
	}
	want, _ := reference(b)
	for i := range want {
		for j, a := range want[i].Attrs {
			want[i].Attrs[j].Key, want[i].Attrs[j].Value = text.Visible(a.Key), text.Visible(a.Value)
		}
	}
	s := &got[len(got)-1]
	if s.Attrs != nil {
		t.Fatal("decoded at once")
	}
	if v, _ := s.Attr("arr"); v != `["a \"quoted\" s",-7,null,-Inf,"/wA="]` {
		t.Errorf("arr = %s, want the first one", v)
	}
	if v, _ := s.Attr("rlo"); v != text.Visible("exe\u202etxt") || v == "exe\u202etxt" {
		t.Errorf("rlo = %q, not made visible", v)
	}
	if v, ok := s.Attr("novalue"); !ok || v != "" {
		t.Errorf("novalue = %q, %v", v, ok)
	}
	if _, ok := s.Attr("missing"); ok {
		t.Error("found a missing attribute")
	}
	var arrs []string
	s.FindAttributes([]string{"arr", "nan"}, func(a datasources.Attribute) bool {
		arrs = append(arrs, a.Key+"="+a.Value)
		return len(arrs) < 2
	})
	if !slices.Equal(arrs, []string{`arr=["a \"quoted\" s",-7,null,-Inf,"/wA="]`, "nan=NaN"}) {
		t.Errorf("found %q", arrs)
	}
	var each []datasources.Attribute
	s.EachAttribute(func(a datasources.Attribute) bool {
		each = append(each, a)
		return a.Key != "rlo"
	})
	if all := s.Attributes(); len(each) != len(all)-1 || !reflect.DeepEqual(each, all[:len(each)]) {
		t.Errorf("EachAttribute read %+v, want all but the last of %+v", each, all)
	}
	for i := range got {
		got[i].SetAttributes(got[i].Attributes())
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("lazily kept spans read\n %+v\nwant %+v", got[0], want[0])
	}
}

// attrKeys are the keys of spans' own attributes.
func attrKeys(spans []datasources.Span) map[string]bool {
	keys := map[string]bool{}
	for _, s := range spans {
		for _, a := range s.Attrs {
			keys[a.Key] = true
		}
	}
	return keys
}
