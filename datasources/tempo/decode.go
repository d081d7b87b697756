package tempo

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"

	"github.com/ariadne-dev/ariadne/datasources"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
)

// Field numbers of Tempo's TraceByIDResponse (tempo.proto): field 1 is wire
// compatible with OTLP TracesData; metrics (2) is not needed by Ariadne.
const (
	v2FieldTrace   = 1
	v2FieldStatus  = 3 // PartialStatus: COMPLETE=0, PARTIAL=1
	v2FieldMessage = 4
	partialStatus  = 1
)

var (
	jsonOpts  = protojson.UnmarshalOptions{DiscardUnknown: true}
	protoOpts = proto.UnmarshalOptions{DiscardUnknown: true}
)

// DecodeTraceV2 decodes a /api/v2/traces/{id} body (protobuf or JSON, chosen
// by contentType, sniffed when it is neither) into the model. An empty trace
// decodes to a Trace with no spans: Tempo's v2 way of saying "not found".
func DecodeTraceV2(body []byte, contentType string) (*datasources.Trace, error) {
	var (
		td  tracepb.TracesData
		tr  datasources.Trace
		err error
	)
	if isProto(body, contentType) {
		err = decodeV2Proto(body, &td, &tr)
	} else {
		err = decodeV2JSON(body, &td, &tr)
	}
	if err != nil {
		return nil, decodeError(err)
	}
	finish(&td, &tr)
	return &tr, nil
}

// DecodeTraceV1 decodes a /api/traces/{id} body: tempopb.Trace in protobuf
// (wire-compatible with TracesData) or {"batches":[…]} in JSON.
func DecodeTraceV1(body []byte, contentType string) (*datasources.Trace, error) {
	var (
		td  tracepb.TracesData
		tr  datasources.Trace
		err error
	)
	if isProto(body, contentType) {
		err = protoOpts.Unmarshal(body, &td)
	} else {
		err = decodeV1JSON(body, &td)
	}
	if err != nil {
		return nil, decodeError(err)
	}
	finish(&td, &tr)
	return &tr, nil
}

func finish(td *tracepb.TracesData, tr *datasources.Trace) {
	tr.Spans = convert(td)
	if len(tr.Spans) > 0 {
		tr.ID = tr.Spans[0].TraceID
	}
}

func decodeError(err error) error {
	return &datasources.Error{Kind: datasources.KindUnavailable, Backend: Backend,
		Message: "Tempo sent a trace that could not be read.", Err: err}
}

// isProto trusts a Content-Type naming protobuf or JSON and otherwise looks
// at the first byte: JSON starts with '{', a TraceByIDResponse or Trace
// with field 1 (0x0a).
func isProto(body []byte, contentType string) bool {
	ct := strings.ToLower(contentType)
	switch {
	case strings.Contains(ct, "protobuf"):
		return true
	case strings.Contains(ct, "json"):
		return false
	}
	t := bytes.TrimLeft(body, " \t\r\n")
	return len(t) > 0 && t[0] != '{'
}

func decodeV2Proto(b []byte, td *tracepb.TracesData, tr *datasources.Trace) error {
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return protowire.ParseError(n)
		}
		b = b[n:]
		switch {
		case num == v2FieldTrace && typ == protowire.BytesType:
			v, m := protowire.ConsumeBytes(b)
			if m < 0 {
				return protowire.ParseError(m)
			}
			// A repeated message field may arrive in pieces; merging
			// keeps every piece, as proto.Unmarshal would.
			if err := (proto.UnmarshalOptions{DiscardUnknown: true, Merge: true}).Unmarshal(v, td); err != nil {
				return err
			}
			n = m
		case num == v2FieldStatus && typ == protowire.VarintType:
			v, m := protowire.ConsumeVarint(b)
			tr.Partial, n = v == partialStatus, m
		case num == v2FieldMessage && typ == protowire.BytesType:
			v, m := protowire.ConsumeBytes(b)
			tr.PartialMessage, n = string(v), m
		default:
			n = protowire.ConsumeFieldValue(num, typ, b)
		}
		if n < 0 {
			return protowire.ParseError(n)
		}
		b = b[n:]
	}
	if !tr.Partial {
		tr.PartialMessage = ""
	}
	return nil
}

type v2JSON struct {
	Trace   json.RawMessage `json:"trace"`
	Status  json.RawMessage `json:"status"`
	Message string          `json:"message"`
}

func decodeV2JSON(b []byte, td *tracepb.TracesData, tr *datasources.Trace) error {
	var w v2JSON
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	// gogo jsonpb writes enum names; accept the number too.
	switch strings.TrimSpace(string(w.Status)) {
	case `"PARTIAL"`, `1`:
		tr.Partial, tr.PartialMessage = true, w.Message
	}
	if len(w.Trace) == 0 || string(w.Trace) == "null" {
		return nil
	}
	return jsonOpts.Unmarshal(w.Trace, td)
}

type v1JSON struct {
	Batches       json.RawMessage `json:"batches"`
	ResourceSpans json.RawMessage `json:"resourceSpans"`
}

// decodeV1JSON reads {"batches":[…]}: the list is TracesData.resourceSpans
// under another name, so it is rewrapped and handed to protojson.
func decodeV1JSON(b []byte, td *tracepb.TracesData) error {
	var w v1JSON
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	list := w.Batches
	if len(list) == 0 {
		list = w.ResourceSpans
	}
	if len(list) == 0 || string(list) == "null" {
		return nil
	}
	if list[0] != '[' {
		return errors.New(`"batches" is not a list`)
	}
	obj := make([]byte, 0, len(list)+20)
	obj = append(obj, `{"resourceSpans":`...)
	obj = append(obj, list...)
	obj = append(obj, '}')
	return jsonOpts.Unmarshal(obj, td)
}
