package zipkintest

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"strings"
)

// maxIngestBytes bounds one POST, decompressed.
const maxIngestBytes = 64 << 20

// handleIngest is Zipkin's collector for JSON v2: the whole list or none of
// it, 202 Accepted on success, 400 with Zipkin's kind of message when the
// body is not a JSON v2 list or a span is invalid. Protobuf, which Zipkin
// also accepts, is refused: nothing in Ariadne sends it.
func (s *Store) handleIngest(w http.ResponseWriter, r *http.Request) {
	if ct := r.Header.Get("Content-Type"); strings.Contains(ct, "protobuf") || strings.Contains(ct, "thrift") {
		textError(w, http.StatusUnsupportedMediaType, "zipkintest accepts JSON v2 spans only, not "+ct+"\n")
		return
	}
	var body io.Reader = http.MaxBytesReader(w, r.Body, maxIngestBytes)
	if strings.Contains(r.Header.Get("Content-Encoding"), "gzip") {
		zr, err := gzip.NewReader(body)
		if err != nil {
			textError(w, http.StatusBadRequest, "Cannot gunzip spans")
			return
		}
		body = io.LimitReader(zr, maxIngestBytes)
	}
	raw, err := io.ReadAll(body)
	if err != nil {
		textError(w, http.StatusBadRequest, "Cannot read spans: "+err.Error())
		return
	}
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		w.WriteHeader(http.StatusAccepted) // Zipkin accepts an empty POST
		return
	}
	if raw[0] != '[' {
		textError(w, http.StatusBadRequest, "Expected a JSON_V2 encoded list\n")
		return
	}
	if bytes.Contains(raw, []byte(`"binaryAnnotations"`)) {
		textError(w, http.StatusBadRequest, "Expected a JSON_V2 encoded list, but received: JSON_V1\n")
		return
	}
	var spans []Span
	if err := json.Unmarshal(raw, &spans); err != nil {
		textError(w, http.StatusBadRequest, "Malformed reading List<Span> from json: "+err.Error())
		return
	}
	if err := s.Ingest(spans...); err != nil {
		textError(w, http.StatusBadRequest, err.Error())
		return
	}
	w.WriteHeader(http.StatusAccepted)
}
