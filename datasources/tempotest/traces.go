package tempotest

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
)

// parseTraceID reads a path ID as Tempo does: hex in any case, at most 128
// bits, left-padded when shorter; errors carry Tempo's wording.
func parseTraceID(s string) ([16]byte, error) {
	var k [16]byte
	if len(s) > 32 {
		return k, fmt.Errorf("trace IDs can't be larger than 128 bits")
	}
	for i := 0; i < len(s); i++ {
		if !isHex(s[i]) {
			return k, fmt.Errorf("trace IDs can only contain hex characters: invalid character '%c' at position %d", s[i], i+1)
		}
	}
	padded := strings.Repeat("0", 32-len(s)) + strings.ToLower(s)
	for i := 0; i < 16; i++ {
		v, _ := strconv.ParseUint(padded[2*i:2*i+2], 16, 8)
		k[i] = byte(v)
	}
	return k, nil
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// lookup returns a trace's batches if it exists and overlaps start/end.
func (s *Store) lookup(r *http.Request) (batches []*tracepb.ResourceSpans, size int64, status int, msg string) {
	id, err := parseTraceID(r.PathValue("id"))
	if err != nil {
		return nil, 0, http.StatusBadRequest, err.Error()
	}
	start, end, msg := parseRange(r)
	if msg != "" {
		return nil, 0, http.StatusBadRequest, msg
	}
	tid := tenantFrom(r)
	s.expire(tid)
	s.mu.RLock()
	defer s.mu.RUnlock()
	t := s.tenants[tid]
	if t == nil {
		return nil, 0, http.StatusNotFound, ""
	}
	st := t.traces[id]
	if st == nil || !st.overlaps(start, end) {
		return nil, 0, http.StatusNotFound, ""
	}
	return append([]*tracepb.ResourceSpans(nil), st.batches...), st.size, http.StatusOK, ""
}

func wantsProto(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "application/protobuf")
}

func (s *Store) handleTraceV1(w http.ResponseWriter, r *http.Request) {
	batches, size, status, msg := s.lookup(r)
	switch {
	case status == http.StatusNotFound:
		w.WriteHeader(http.StatusNotFound) // empty body, as Tempo
		return
	case status != http.StatusOK:
		textError(w, status, msg)
		return
	case size > s.opts.maxBytesPerTrace:
		textError(w, http.StatusUnprocessableEntity, fmt.Sprintf("trace exceeds max size (max bytes: %d)", s.opts.maxBytesPerTrace))
		return
	}
	td := &tracepb.TracesData{ResourceSpans: batches}
	var (
		body []byte
		err  error
		ct   = "application/json"
	)
	if wantsProto(r) {
		ct = "application/protobuf"
		body, err = EncodeV1Proto(td)
	} else {
		body, err = EncodeV1JSON(td)
	}
	writeBody(w, ct, body, err)
}

func (s *Store) handleTraceV2(w http.ResponseWriter, r *http.Request) {
	batches, size, status, msg := s.lookup(r)
	if status != http.StatusOK && status != http.StatusNotFound {
		textError(w, status, msg)
		return
	}
	td := &tracepb.TracesData{ResourceSpans: batches} // empty when not found: 200 {"trace":{}}
	partial := ""
	if size > s.opts.maxBytesPerTrace {
		td = truncate(batches, s.opts.maxBytesPerTrace)
		partial = PartialMessage(s.opts.maxBytesPerTrace)
	}
	if wantsProto(r) {
		body, err := s.encodedV2(r, len(batches), size, func() ([]byte, error) { return encodeV2Proto(td, partial) })
		writeBody(w, "application/protobuf", body, err)
		return
	}
	body, err := encodeV2JSON(td, partial)
	writeBody(w, "application/json", body, err)
}

// encodedV2 answers a trace of over 1 MB from the last encodings (at most
// 8 kept), encoding it once per shape; smaller ones are encoded each time.
func (s *Store) encodedV2(r *http.Request, batches int, size int64, encode func() ([]byte, error)) ([]byte, error) {
	id, _ := parseTraceID(r.PathValue("id"))
	if size < 1<<20 || batches == 0 {
		return encode()
	}
	key := encodedKey{tenant: tenantFrom(r), id: id, batches: batches}
	s.encodedMu.Lock()
	body, ok := s.encoded[key]
	s.encodedMu.Unlock()
	if ok {
		return body, nil
	}
	body, err := encode()
	if err != nil {
		return nil, err
	}
	s.encodedMu.Lock()
	if s.encoded == nil || len(s.encoded) >= 8 {
		s.encoded = map[encodedKey][]byte{}
	}
	s.encoded[key] = body
	s.encodedMu.Unlock()
	return body, nil
}

func writeBody(w http.ResponseWriter, contentType string, body []byte, err error) {
	if err != nil {
		textError(w, http.StatusInternalServerError, err.Error())
		return
	}
	w.Header().Set("Content-Type", contentType)
	w.Write(body)
}

// parseRange reads optional start/end unix seconds (uint32, as Tempo).
func parseRange(r *http.Request) (start, end uint64, msg string) {
	q := r.URL.Query()
	for _, p := range []struct {
		name string
		dst  *uint64
	}{{"start", &start}, {"end", &end}} {
		v := q.Get(p.name)
		if v == "" {
			continue
		}
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil {
			return 0, 0, "invalid " + p.name + ": " + err.Error()
		}
		*p.dst = n
	}
	if start != 0 && end != 0 && start > end {
		return 0, 0, fmt.Sprintf("http parameter start must be before end. received start=%d end=%d", start, end)
	}
	return start, end, ""
}

// overlaps reports whether the trace has time inside [start, end] seconds;
// zero bounds are open.
func (st *storedTrace) overlaps(start, end uint64) bool {
	if start != 0 && st.endNs < start*1e9 {
		return false
	}
	if end != 0 && st.startNs > end*1e9+999_999_999 {
		return false
	}
	return true
}
