// Package otlp turns OpenTelemetry's trace model (OTLP protobuf, and OTLP's
// JSON encoding) into Ariadne's one trace model. Tempo sends OTLP; Jaeger's
// v3 API sends OTLP JSON; both decode here.
package otlp

import (
	"bytes"
	"encoding/base64"
	"math"
	"strconv"

	"github.com/ariadne-dev/ariadne/datasources"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
)

// Convert turns OTLP spans into the model. It runs on traces of 100,000
// spans, so it counts first and carves every span's attributes, events and
// links out of three shared slabs instead of growing thousands of slices,
// and renders values with strconv rather than fmt.
func Convert(td *tracepb.TracesData) []datasources.Span {
	var nSpans, nAttrs, nEvents, nLinks int
	for _, rs := range td.GetResourceSpans() {
		nAttrs += len(rs.GetResource().GetAttributes())
		for _, ss := range rs.GetScopeSpans() {
			nSpans += len(ss.GetSpans())
			nAttrs += len(ss.GetScope().GetAttributes())
			for _, sp := range ss.GetSpans() {
				nAttrs += len(sp.Attributes)
				nEvents += len(sp.Events)
				nLinks += len(sp.Links)
				for _, ev := range sp.Events {
					nAttrs += len(ev.GetAttributes())
				}
				for _, l := range sp.Links {
					nAttrs += len(l.GetAttributes())
				}
			}
		}
	}
	c := converter{
		attrs:  make([]datasources.Attribute, 0, nAttrs),
		events: make([]datasources.SpanEvent, 0, nEvents),
		links:  make([]datasources.SpanLink, 0, nLinks),
	}
	spans := make([]datasources.Span, 0, nSpans)
	for _, rs := range td.GetResourceSpans() {
		res := &datasources.Resource{Attributes: c.attributes(rs.GetResource().GetAttributes())}
		res.Service, _ = datasources.Attr(res.Attributes, "service.name")
		for _, ss := range rs.GetScopeSpans() {
			scope := ss.GetScope().GetName()
			scopeAttrs := c.attributes(ss.GetScope().GetAttributes())
			for _, sp := range ss.GetSpans() {
				spans = append(spans, datasources.Span{
					TraceID:         c.traceID(sp.TraceId),
					SpanID:          HexID(sp.SpanId, 16),
					ParentSpanID:    ParentID(sp.ParentSpanId),
					Name:            sp.Name,
					Kind:            SpanKind(sp.Kind),
					Status:          StatusCode(sp.GetStatus().GetCode()),
					StartNs:         int64(sp.StartTimeUnixNano),
					EndNs:           int64(sp.EndTimeUnixNano),
					Attrs:           c.attributes(sp.Attributes),
					Resource:        res,
					Scope:           scope,
					ScopeAttributes: scopeAttrs,
					Details: datasources.NewSpanDetails(datasources.SpanDetails{StatusMsg: sp.GetStatus().GetMessage(),
						Events: c.spanEvents(sp.Events), Links: c.spanLinks(sp.Links), TraceState: sp.TraceState}),
				})
			}
		}
	}
	return spans
}

type converter struct {
	attrs  []datasources.Attribute
	events []datasources.SpanEvent
	links  []datasources.SpanLink
	// Every span of a trace carries the same trace ID: render it once.
	lastTID    []byte
	lastTIDHex string
}

func (c *converter) traceID(b []byte) string {
	if c.lastTIDHex != "" && bytes.Equal(b, c.lastTID) {
		return c.lastTIDHex
	}
	c.lastTID, c.lastTIDHex = b, HexID(b, 32)
	return c.lastTIDHex
}

// attributes appends kvs to the slab and returns its own capped window, so a
// later append by a caller can never overwrite the next span's attributes.
func (c *converter) attributes(kvs []*commonpb.KeyValue) []datasources.Attribute {
	if len(kvs) == 0 {
		return nil
	}
	start := len(c.attrs)
	for _, kv := range kvs {
		v, t := RenderValue(kv.GetValue())
		c.attrs = append(c.attrs, datasources.Attribute{Key: kv.GetKey(), Value: v, Type: t})
	}
	return c.attrs[start:len(c.attrs):len(c.attrs)]
}

func (c *converter) spanEvents(evs []*tracepb.Span_Event) []datasources.SpanEvent {
	if len(evs) == 0 {
		return nil
	}
	start := len(c.events)
	for _, ev := range evs {
		c.events = append(c.events, datasources.SpanEvent{
			TimeNs:     int64(ev.GetTimeUnixNano()),
			Name:       ev.GetName(),
			Attributes: c.attributes(ev.GetAttributes()),
		})
	}
	return c.events[start:len(c.events):len(c.events)]
}

func (c *converter) spanLinks(ls []*tracepb.Span_Link) []datasources.SpanLink {
	if len(ls) == 0 {
		return nil
	}
	start := len(c.links)
	for _, l := range ls {
		c.links = append(c.links, datasources.SpanLink{
			TraceID:    HexID(l.GetTraceId(), 32),
			SpanID:     HexID(l.GetSpanId(), 16),
			Attributes: c.attributes(l.GetAttributes()),
		})
	}
	return c.links[start:len(c.links):len(c.links)]
}

// HexDigits are the digits HexID writes.
const HexDigits = "0123456789abcdef"

// HexID renders an ID as lower-case hex left-padded with zeros to width
// characters (64-bit trace IDs are padded to 128 bits), in one allocation.
func HexID(b []byte, width int) string {
	if len(b) == 0 {
		return ""
	}
	n := len(b) * 2
	if n < width {
		n = width
	}
	var stack [32]byte
	out := stack[:0]
	if n > len(stack) {
		out = make([]byte, 0, n)
	}
	for i := len(b) * 2; i < n; i++ {
		out = append(out, '0')
	}
	for _, x := range b {
		out = append(out, HexDigits[x>>4], HexDigits[x&0xf])
	}
	return string(out)
}

// ParentID treats an absent or all-zero parent as "no parent": some SDKs
// send eight zero bytes for a root span.
func ParentID(b []byte) string {
	for _, x := range b {
		if x != 0 {
			return HexID(b, 16)
		}
	}
	return ""
}

func SpanKind(k tracepb.Span_SpanKind) datasources.SpanKind {
	switch k {
	case tracepb.Span_SPAN_KIND_INTERNAL:
		return datasources.KindInternal
	case tracepb.Span_SPAN_KIND_SERVER:
		return datasources.KindServer
	case tracepb.Span_SPAN_KIND_CLIENT:
		return datasources.KindClient
	case tracepb.Span_SPAN_KIND_PRODUCER:
		return datasources.KindProducer
	case tracepb.Span_SPAN_KIND_CONSUMER:
		return datasources.KindConsumer
	}
	return datasources.KindUnspecified
}

func StatusCode(c tracepb.Status_StatusCode) datasources.StatusCode {
	switch c {
	case tracepb.Status_STATUS_CODE_OK:
		return datasources.StatusOK
	case tracepb.Status_STATUS_CODE_ERROR:
		return datasources.StatusError
	}
	return datasources.StatusUnset
}

// RenderValue renders an OTLP value as text. Scalars reuse the decoded
// string or strconv; arrays and maps become compact JSON-like text.
func RenderValue(v *commonpb.AnyValue) (string, datasources.ValueType) {
	switch x := v.GetValue().(type) {
	case *commonpb.AnyValue_StringValue:
		return x.StringValue, datasources.TypeString
	case *commonpb.AnyValue_IntValue:
		return strconv.FormatInt(x.IntValue, 10), datasources.TypeInt
	case *commonpb.AnyValue_BoolValue:
		if x.BoolValue {
			return "true", datasources.TypeBool
		}
		return "false", datasources.TypeBool
	case *commonpb.AnyValue_DoubleValue:
		return formatFloat(x.DoubleValue), datasources.TypeDouble
	case *commonpb.AnyValue_BytesValue:
		return base64.StdEncoding.EncodeToString(x.BytesValue), datasources.TypeBytes
	case *commonpb.AnyValue_ArrayValue:
		return string(AppendValue(nil, v)), datasources.TypeArray
	case *commonpb.AnyValue_KvlistValue:
		return string(AppendValue(nil, v)), datasources.TypeMap
	}
	return "", datasources.TypeString
}

func formatFloat(f float64) string { return string(AppendFloat(nil, f)) }

// AppendFloat writes f as Go's shortest 'g' form, or NaN, +Inf, -Inf.
func AppendFloat(b []byte, f float64) []byte {
	switch {
	case math.IsNaN(f):
		return append(b, "NaN"...)
	case math.IsInf(f, 1):
		return append(b, "+Inf"...)
	case math.IsInf(f, -1):
		return append(b, "-Inf"...)
	}
	return strconv.AppendFloat(b, f, 'g', -1, 64)
}

// AppendValue writes nested values: strings quoted, scalars bare.
func AppendValue(b []byte, v *commonpb.AnyValue) []byte {
	switch x := v.GetValue().(type) {
	case *commonpb.AnyValue_StringValue:
		return strconv.AppendQuote(b, x.StringValue)
	case *commonpb.AnyValue_BytesValue:
		return strconv.AppendQuote(b, base64.StdEncoding.EncodeToString(x.BytesValue))
	case *commonpb.AnyValue_ArrayValue:
		b = append(b, '[')
		for i, e := range x.ArrayValue.GetValues() {
			if i > 0 {
				b = append(b, ',')
			}
			b = AppendValue(b, e)
		}
		return append(b, ']')
	case *commonpb.AnyValue_KvlistValue:
		b = append(b, '{')
		for i, kv := range x.KvlistValue.GetValues() {
			if i > 0 {
				b = append(b, ',')
			}
			b = strconv.AppendQuote(b, kv.GetKey())
			b = append(b, ':')
			b = AppendValue(b, kv.GetValue())
		}
		return append(b, '}')
	case nil:
		return append(b, "null"...)
	}
	s, _ := RenderValue(v)
	return append(b, s...)
}
