package tempotest

import (
	"bytes"
	"strconv"

	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
)

// Tempo marshals with gogo jsonpb defaults; protojson's defaults give the
// same shape: lowerCamel names, base64 IDs, enum names, 64-bit integers as
// strings, zero values omitted.
var tempoJSON = protojson.MarshalOptions{}

// PartialMessage is Tempo's v2 message for a trace over max_bytes_per_trace.
func PartialMessage(maxBytes int64) string {
	return "Trace exceeds maximum size of " + strconv.FormatInt(maxBytes, 10) + " bytes, a partial trace is returned"
}

// EncodeV2JSON encodes td as a complete /api/v2/traces/{id} JSON answer.
func EncodeV2JSON(td *tracepb.TracesData) ([]byte, error) {
	return encodeV2JSON(td, "")
}

// EncodeV2Proto encodes td as a complete /api/v2/traces/{id} protobuf
// answer (Tempo's TraceByIDResponse).
func EncodeV2Proto(td *tracepb.TracesData) ([]byte, error) {
	return encodeV2Proto(td, "")
}

// EncodeV1JSON encodes td as a /api/traces/{id} JSON answer: the same
// message with its list named "batches".
func EncodeV1JSON(td *tracepb.TracesData) ([]byte, error) {
	b, err := tempoJSON.Marshal(td)
	if err != nil {
		return nil, err
	}
	return bytes.Replace(b, []byte(`"resourceSpans":`), []byte(`"batches":`), 1), nil
}

// EncodeV1Proto encodes td as a /api/traces/{id} protobuf answer:
// tempopb.Trace, which is wire-identical to TracesData.
func EncodeV1Proto(td *tracepb.TracesData) ([]byte, error) {
	return proto.Marshal(td)
}

// encodeV2JSON writes {"trace":…,"metrics":{…}} and, when partial is set,
// "status":"PARTIAL" with that message.
func encodeV2JSON(td *tracepb.TracesData, partial string) ([]byte, error) {
	tb, err := tempoJSON.Marshal(td)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, len(tb)+160)
	out = append(out, `{"trace":`...)
	out = append(out, tb...)
	out = append(out, `,"metrics":{`...)
	if n := proto.Size(td); n > 0 {
		out = append(out, `"inspectedBytes":"`...)
		out = strconv.AppendInt(out, int64(n), 10)
		out = append(out, '"')
	}
	out = append(out, '}')
	if partial != "" {
		out = append(out, `,"status":"PARTIAL","message":`...)
		out = strconv.AppendQuote(out, partial)
	}
	return append(out, '}'), nil
}

func encodeV2Proto(td *tracepb.TracesData, partial string) ([]byte, error) {
	tb, err := proto.Marshal(td)
	if err != nil {
		return nil, err
	}
	var out []byte
	if len(tb) > 0 {
		out = make([]byte, 0, len(tb)+64+len(partial))
		out = protowire.AppendTag(out, 1, protowire.BytesType)
		out = protowire.AppendBytes(out, tb)
		// TraceByIDMetrics{inspectedBytes = 1}
		m := protowire.AppendVarint(protowire.AppendTag(nil, 1, protowire.VarintType), uint64(len(tb)))
		out = protowire.AppendTag(out, 2, protowire.BytesType)
		out = protowire.AppendBytes(out, m)
	}
	if partial != "" {
		out = protowire.AppendTag(out, 3, protowire.VarintType)
		out = protowire.AppendVarint(out, 1)
		out = protowire.AppendTag(out, 4, protowire.BytesType)
		out = protowire.AppendString(out, partial)
	}
	return out, nil
}

// truncate keeps whole spans, in storage order, while the encoded size stays
// within max: Tempo's v2 answer for a trace over max_bytes_per_trace.
func truncate(batches []*tracepb.ResourceSpans, max int64) *tracepb.TracesData {
	td := &tracepb.TracesData{}
	var size int64
	for _, rs := range batches {
		var outRS *tracepb.ResourceSpans
		for _, ss := range rs.ScopeSpans {
			var outSS *tracepb.ScopeSpans
			for _, sp := range ss.Spans {
				n := int64(proto.Size(sp)) + 8
				if size+n > max {
					return td
				}
				size += n
				if outRS == nil {
					outRS = &tracepb.ResourceSpans{Resource: rs.Resource, SchemaUrl: rs.SchemaUrl}
					td.ResourceSpans = append(td.ResourceSpans, outRS)
					size += int64(proto.Size(rs.Resource))
				}
				if outSS == nil {
					outSS = &tracepb.ScopeSpans{Scope: ss.Scope, SchemaUrl: ss.SchemaUrl}
					outRS.ScopeSpans = append(outRS.ScopeSpans, outSS)
				}
				outSS.Spans = append(outSS.Spans, sp)
			}
		}
	}
	return td
}
