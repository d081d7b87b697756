package tempo

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"

	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/datasources/otlp"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/encoding/protojson"
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
// The trace's strings share body's memory: body must not change after.
func DecodeTraceV2(body []byte, contentType string) (*datasources.Trace, error) {
	var tr datasources.Trace
	if isProto(body, contentType) {
		parts, err := decodeV2Proto(body, &tr)
		if err == nil {
			tr.Spans, tr.AttributeKeys, err = decodeSpans(body, parts)
		}
		if err != nil {
			return nil, decodeError(err)
		}
		setID(&tr)
		return &tr, nil
	}
	var td tracepb.TracesData
	if err := decodeV2JSON(body, &td, &tr); err != nil {
		return nil, decodeError(err)
	}
	tr.Spans = otlp.Convert(&td)
	setID(&tr)
	return &tr, nil
}

// DecodeTraceV1 decodes a /api/traces/{id} body: tempopb.Trace in protobuf
// (wire-compatible with TracesData) or {"batches":[…]} in JSON.
func DecodeTraceV1(body []byte, contentType string) (*datasources.Trace, error) {
	var tr datasources.Trace
	if isProto(body, contentType) {
		spans, err := protoSpans(body, [][2]int{{0, len(body)}})
		if err != nil {
			return nil, decodeError(err)
		}
		tr.Spans = spans
		setID(&tr)
		return &tr, nil
	}
	var td tracepb.TracesData
	if err := decodeV1JSON(body, &td); err != nil {
		return nil, decodeError(err)
	}
	tr.Spans = otlp.Convert(&td)
	setID(&tr)
	return &tr, nil
}

func setID(tr *datasources.Trace) {
	if len(tr.Spans) > 0 {
		tr.ID = tr.Spans[0].TraceID
	}
}

func decodeError(err error) error {
	return &datasources.Error{Kind: datasources.ErrorUnavailable, Backend: Backend,
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

// decodeV2Proto reads Tempo's TraceByIDResponse wrapper and returns where
// its TracesData parts (field 1, possibly sent in pieces) lie in body.
func decodeV2Proto(b []byte, tr *datasources.Trace) ([][2]int, error) {
	var parts [][2]int
	it := iter{b: b, end: len(b)}
	for it.next() {
		switch {
		case it.num == v2FieldTrace && it.isBytes:
			parts = append(parts, [2]int{it.v0, it.v1})
		case it.num == v2FieldStatus && it.isVarint:
			tr.Partial = it.u == partialStatus
		case it.num == v2FieldMessage && it.isBytes:
			tr.PartialMessage = string(b[it.v0:it.v1])
		}
	}
	if !tr.Partial {
		tr.PartialMessage = ""
	}
	return parts, it.err
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
