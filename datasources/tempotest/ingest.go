package tempotest

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"

	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
)

const maxIngestBytes = 64 << 20

// handleIngest is the OTLP/HTTP receiver: POST /v1/traces with
// application/x-protobuf or application/json, optionally gzip-encoded.
func (s *Store) handleIngest(w http.ResponseWriter, r *http.Request) {
	tenantID, ok := s.tenantOf(r)
	if !ok {
		http.Error(w, "no org id", http.StatusUnauthorized)
		return
	}
	var body io.Reader = http.MaxBytesReader(w, r.Body, maxIngestBytes)
	if r.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(body)
		if err != nil {
			textError(w, http.StatusBadRequest, "invalid gzip body: "+err.Error())
			return
		}
		defer zr.Close()
		body = io.LimitReader(zr, maxIngestBytes)
	}
	raw, err := io.ReadAll(body)
	if err != nil {
		textError(w, http.StatusBadRequest, "reading body: "+err.Error())
		return
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var req coltracepb.ExportTraceServiceRequest
	switch ct {
	case "application/x-protobuf", "application/protobuf":
		err = proto.Unmarshal(raw, &req)
	case "application/json":
		err = unmarshalOTLPJSON(raw, &req)
	default:
		textError(w, http.StatusUnsupportedMediaType, "unsupported content type "+ct+": use application/x-protobuf or application/json")
		return
	}
	if err != nil {
		textError(w, http.StatusBadRequest, "invalid OTLP request: "+err.Error())
		return
	}
	s.ingest(tenantID, req.ResourceSpans)
	resp := &coltracepb.ExportTraceServiceResponse{}
	if ct == "application/json" {
		b, _ := protojson.Marshal(resp)
		w.Header().Set("Content-Type", "application/json")
		w.Write(b)
		return
	}
	b, _ := proto.Marshal(resp)
	w.Header().Set("Content-Type", "application/x-protobuf")
	w.Write(b)
}

// unmarshalOTLPJSON reads OTLP/JSON, which differs from protobuf JSON in one
// way that matters: trace and span IDs are hex, not base64. IDs are
// rewritten to base64 before protojson sees them; integer enums and int64
// numbers (quoted or not) protojson accepts as they are.
func unmarshalOTLPJSON(raw []byte, req *coltracepb.ExportTraceServiceRequest) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber() // keep nanosecond timestamps exact
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return err
	}
	if err := hexIDsToBase64(doc); err != nil {
		return err
	}
	b, err := json.Marshal(doc)
	if err != nil {
		return err
	}
	return protojson.UnmarshalOptions{DiscardUnknown: true}.Unmarshal(b, req)
}

var idFields = map[string]bool{
	"traceId": true, "spanId": true, "parentSpanId": true,
	"trace_id": true, "span_id": true, "parent_span_id": true,
}

// hexIDsToBase64 walks the document. Attribute keys are JSON values, not
// object keys, so an attribute named "traceId" is left alone.
func hexIDsToBase64(v any) error {
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			if s, ok := val.(string); ok && idFields[k] {
				b, err := hex.DecodeString(s)
				if err != nil {
					return fmt.Errorf("%s %q is not hex: %w", k, s, err)
				}
				x[k] = base64.StdEncoding.EncodeToString(b)
				continue
			}
			if err := hexIDsToBase64(val); err != nil {
				return err
			}
		}
	case []any:
		for _, e := range x {
			if err := hexIDsToBase64(e); err != nil {
				return err
			}
		}
	}
	return nil
}
