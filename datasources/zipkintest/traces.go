package zipkintest

import (
	"net/http"
	"strings"
)

// handleTrace answers /api/v2/trace/{traceId}: the trace's spans, 404
// "<id> not found" in plain text when there are none, 400 for an ID that
// is not lower-hex (Zipkin's messages in both cases).
func (s *Store) handleTrace(w http.ResponseWriter, r *http.Request) {
	id, err := NormalizeTraceID(strings.TrimSpace(r.PathValue("traceId")))
	if err != nil {
		textError(w, http.StatusBadRequest, err.Error())
		return
	}
	spans := s.trace(id)
	if len(spans) == 0 {
		textError(w, http.StatusNotFound, id+" not found")
		return
	}
	writeJSON(w, spans)
}
