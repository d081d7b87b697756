package lokitest

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"time"

	"github.com/golang/snappy"
	"github.com/grafana/loki/pkg/push"
)

// maxPushBytes bounds one push body (Loki's distributor has a similar cap).
const maxPushBytes = 64 << 20

// pushStream is one decoded stream of a push request.
type pushStream struct {
	labels  map[string]string
	entries []stored
}

func (s *Server) handlePush(w http.ResponseWriter, r *http.Request) { s.push(w, r, false) }

func (s *Server) handleLegacyPush(w http.ResponseWriter, r *http.Request) { s.push(w, r, true) }

// push accepts JSON (Content-Type application/json) or, for any other
// type, snappy-compressed protobuf. legacy selects the /api/prom/push JSON
// shape that loki-client-go sends with EncodeJson.
func (s *Server) push(w http.ResponseWriter, r *http.Request, legacy bool) {
	tenant, ok := s.begin(w, r, false, http.MethodPost)
	if !ok {
		return
	}
	body, err := readPushBody(r)
	if err != nil {
		fail(w, err)
		return
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var streams []pushStream
	switch {
	case ct == "application/json" && legacy:
		streams, err = decodeLegacyJSON(body)
	case ct == "application/json":
		streams, err = decodeJSON(body)
	default:
		streams, err = decodeProto(body)
	}
	if err != nil {
		fail(w, err)
		return
	}
	var errs []error
	for _, st := range streams {
		if err := s.store.add(tenant, st.labels, st.entries); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		fail(w, errs[0])
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func readPushBody(r *http.Request) ([]byte, error) {
	var rd io.Reader = http.MaxBytesReader(nil, r.Body, maxPushBytes)
	switch r.Header.Get("Content-Encoding") {
	case "gzip":
		gz, err := gzip.NewReader(rd)
		if err != nil {
			return nil, badRequest("invalid gzip body: " + err.Error())
		}
		rd = gz
	case "deflate":
		rd = flate.NewReader(rd)
	}
	body, err := io.ReadAll(io.LimitReader(rd, maxPushBytes+1))
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe) || len(body) > maxPushBytes:
		return nil, &pushError{http.StatusRequestEntityTooLarge, fmt.Sprintf("request body too large: limit %d bytes", maxPushBytes)}
	case err != nil:
		return nil, badRequest("reading the request body: " + err.Error())
	}
	return body, nil
}

// decodeJSON reads the v1 shape: values are ["<ns>", "<line>", {sm}?].
func decodeJSON(body []byte) ([]pushStream, error) {
	var req struct {
		Streams []struct {
			Stream map[string]string   `json:"stream"`
			Values [][]json.RawMessage `json:"values"`
		} `json:"streams"`
	}
	if err := json.Unmarshal(body, &req); err != nil {
		return nil, badRequest("couldn't parse push request: " + err.Error())
	}
	out := make([]pushStream, len(req.Streams))
	for i, st := range req.Streams {
		out[i].labels = st.Stream
		for _, v := range st.Values {
			if len(v) < 2 || len(v) > 3 {
				return nil, badRequest("couldn't parse push request: a value is [\"<unix ns>\", \"<line>\", {structured metadata}?]")
			}
			var tsText, line string
			if err := json.Unmarshal(v[0], &tsText); err != nil {
				return nil, badRequest(fmt.Sprintf("couldn't parse push request: the timestamp %s is not a string of unix nanoseconds", v[0]))
			}
			ts, err := strconv.ParseInt(tsText, 10, 64)
			if err != nil {
				return nil, badRequest(fmt.Sprintf("couldn't parse push request: the timestamp %q is not unix nanoseconds", tsText))
			}
			if err := json.Unmarshal(v[1], &line); err != nil {
				return nil, badRequest("couldn't parse push request: the log line is not a string")
			}
			e := stored{ts: ts, line: line}
			if len(v) == 3 {
				var sm map[string]string
				if err := json.Unmarshal(v[2], &sm); err != nil {
					return nil, badRequest("couldn't parse push request: structured metadata is an object of strings")
				}
				if len(sm) > 0 {
					e.sm = sortedLabels(sm)
				}
			}
			out[i].entries = append(out[i].entries, e)
		}
	}
	return out, nil
}

// decodeLegacyJSON reads {"streams":[{"labels":"{…}","entries":[{"ts":RFC3339Nano,"line":…}]}]}.
func decodeLegacyJSON(body []byte) ([]pushStream, error) {
	var req struct {
		Streams []struct {
			Labels  string `json:"labels"`
			Entries []struct {
				Ts   time.Time `json:"ts"`
				Line string    `json:"line"`
			} `json:"entries"`
		} `json:"streams"`
	}
	if err := json.Unmarshal(body, &req); err != nil {
		return nil, badRequest("couldn't parse push request: " + err.Error())
	}
	out := make([]pushStream, len(req.Streams))
	for i, st := range req.Streams {
		ls, err := parseStreamLabels(st.Labels)
		if err != nil {
			return nil, err
		}
		out[i].labels = ls
		for _, e := range st.Entries {
			out[i].entries = append(out[i].entries, stored{ts: e.Ts.UnixNano(), line: e.Line})
		}
	}
	return out, nil
}

// decodeProto reads a snappy block-compressed logproto.PushRequest, as
// loki-client-go and promtail send it.
func decodeProto(body []byte) ([]pushStream, error) {
	raw, err := snappy.Decode(nil, body)
	if err != nil {
		return nil, badRequest("couldn't decode the snappy-compressed push request: " + err.Error())
	}
	var req push.PushRequest
	if err := req.Unmarshal(raw); err != nil {
		return nil, badRequest("couldn't parse the protobuf push request: " + err.Error())
	}
	out := make([]pushStream, len(req.Streams))
	for i, st := range req.Streams {
		ls, err := parseStreamLabels(st.Labels)
		if err != nil {
			return nil, err
		}
		out[i].labels = ls
		out[i].entries = make([]stored, len(st.Entries))
		for j, e := range st.Entries {
			out[i].entries[j] = stored{ts: e.Timestamp.UnixNano(), line: e.Line}
			if len(e.StructuredMetadata) > 0 {
				sm := make(map[string]string, len(e.StructuredMetadata))
				for _, l := range e.StructuredMetadata {
					sm[l.Name] = l.Value
				}
				out[i].entries[j].sm = sortedLabels(sm)
			}
		}
	}
	return out, nil
}

// parseStreamLabels reads a label string such as {app="x", env="y"}.
func parseStreamLabels(s string) (map[string]string, error) {
	if len(bytes.TrimSpace([]byte(s))) == 0 || s == "{}" {
		return nil, nil // refused by store.add with Loki's message
	}
	ms, err := parseSelectorNoEmptyCheck(s)
	if err != nil {
		return nil, badRequest(fmt.Sprintf("couldn't parse labels %s: %v", s, err))
	}
	out := make(map[string]string, len(ms))
	for _, m := range ms {
		if m.op != opEq {
			return nil, badRequest(fmt.Sprintf("couldn't parse labels %s: only = is allowed in stream labels", s))
		}
		out[m.name] = m.value
	}
	return out, nil
}
