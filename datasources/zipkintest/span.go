package zipkintest

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Span is a Zipkin v2 span as JSON carries it (zipkin2-api.yaml, the Span
// definition). Timestamp and Duration are epoch microseconds; zero means
// absent, as Zipkin reads it, so an incomplete span simply leaves them out.
type Span struct {
	TraceID        string            `json:"traceId"`
	ID             string            `json:"id"`
	ParentID       string            `json:"parentId,omitempty"`
	Name           string            `json:"name,omitempty"`
	Kind           Kind              `json:"kind,omitempty"`
	Timestamp      int64             `json:"timestamp,omitempty"`
	Duration       int64             `json:"duration,omitempty"`
	Debug          bool              `json:"debug,omitempty"`
	Shared         bool              `json:"shared,omitempty"`
	LocalEndpoint  *Endpoint         `json:"localEndpoint,omitempty"`
	RemoteEndpoint *Endpoint         `json:"remoteEndpoint,omitempty"`
	Annotations    []Annotation      `json:"annotations,omitempty"`
	Tags           map[string]string `json:"tags,omitempty"`
}

// Kind is a span's role in an RPC or messaging exchange; empty for a local
// span.
type Kind string

const (
	KindClient   Kind = "CLIENT"
	KindServer   Kind = "SERVER"
	KindProducer Kind = "PRODUCER"
	KindConsumer Kind = "CONSUMER"
)

// Endpoint is the network context of a node in the service graph.
type Endpoint struct {
	ServiceName string `json:"serviceName,omitempty"`
	IPv4        string `json:"ipv4,omitempty"`
	IPv6        string `json:"ipv6,omitempty"`
	Port        int    `json:"port,omitempty"`
}

// Annotation is a timed event on a span, in epoch microseconds.
type Annotation struct {
	Timestamp int64  `json:"timestamp"`
	Value     string `json:"value"`
}

// Micros is t in Zipkin's unit for span times, epoch microseconds.
func Micros(t time.Time) int64 { return t.UnixMicro() }

// LocalService is the span's local service name, "" when unknown.
func (s *Span) LocalService() string {
	if s.LocalEndpoint == nil {
		return ""
	}
	return s.LocalEndpoint.ServiceName
}

// RemoteService is the remote endpoint's service name, "" when unknown.
func (s *Span) RemoteService() string {
	if s.RemoteEndpoint == nil {
		return ""
	}
	return s.RemoteEndpoint.ServiceName
}

// normalize applies what Zipkin's span builder does to every span it
// decodes, so stored spans look as Zipkin would store them: IDs
// validated and padded, a 128-bit trace ID with a zero high half
// shortened, names lower-cased, a self-parent removed, a shared flag on a
// client dropped. The returned span owns its slices and maps.
func normalize(in Span) (Span, error) {
	s := in
	var err error
	if s.TraceID, err = NormalizeTraceID(s.TraceID); err != nil {
		return s, err
	}
	if s.ID, err = normalizeSpanID("id", s.ID); err != nil {
		return s, err
	}
	if strings.Trim(s.ParentID, "0") == "" {
		s.ParentID = "" // Zipkin reads an all-zero parent as none
	} else {
		if s.ParentID, err = normalizeSpanID("parentId", s.ParentID); err != nil {
			return s, err
		}
	}
	if s.ParentID == s.ID {
		s.ParentID = "" // Zipkin undoes the circular dependency
	}
	switch s.Kind {
	case "", KindClient, KindServer, KindProducer, KindConsumer:
	default:
		return s, fmt.Errorf("kind %q is not one of CLIENT, SERVER, PRODUCER, CONSUMER", s.Kind)
	}
	if s.Shared && s.Kind == KindClient {
		s.Shared = false // shared is for the server side
	}
	s.Name = strings.ToLower(s.Name)
	s.Timestamp, s.Duration = max(s.Timestamp, 0), max(s.Duration, 0)
	s.LocalEndpoint = normalizeEndpoint(s.LocalEndpoint)
	s.RemoteEndpoint = normalizeEndpoint(s.RemoteEndpoint)
	if len(in.Annotations) > 0 {
		s.Annotations = append([]Annotation(nil), in.Annotations...)
	}
	if len(in.Tags) > 0 {
		s.Tags = make(map[string]string, len(in.Tags))
		for k, v := range in.Tags {
			s.Tags[k] = v
		}
	} else {
		s.Tags = nil
	}
	return s, nil
}

func normalizeEndpoint(e *Endpoint) *Endpoint {
	if e == nil {
		return nil
	}
	out := *e
	out.ServiceName = strings.ToLower(out.ServiceName)
	if out == (Endpoint{}) {
		return nil
	}
	return &out
}

// NormalizeTraceID is Zipkin's reading of a trace ID: 1 to 32 lower-case
// hex characters, not all zeros; left-padded to 16 or 32; and a 32-character
// ID whose high 64 bits are zero is the same trace as its low 16.
func NormalizeTraceID(id string) (string, error) {
	n, zeros, err := checkHex("traceId", id, 32)
	if err != nil {
		return "", err
	}
	switch {
	case n == 32 && zeros >= 16:
		return id[16:], nil
	case n == 16 || n == 32:
		return id, nil
	case n < 16:
		return strings.Repeat("0", 16-n) + id, nil
	default:
		return strings.Repeat("0", 32-n) + id, nil
	}
}

func normalizeSpanID(field, id string) (string, error) {
	n, _, err := checkHex(field, id, 16)
	if err != nil {
		return "", err
	}
	return strings.Repeat("0", 16-n) + id, nil
}

// checkHex validates an ID and counts its leading zeros. Upper-case is
// refused, as Zipkin does: its IDs are lower-hex on the wire.
func checkHex(field, id string, maxLen int) (n, zeros int, err error) {
	n = len(id)
	if n == 0 {
		return 0, 0, errors.New(field + " is empty")
	}
	if n > maxLen {
		return 0, 0, fmt.Errorf("%s.length > %d", field, maxLen)
	}
	leading := true
	for i := 0; i < n; i++ {
		c := id[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return 0, 0, fmt.Errorf("%s should be lower-hex encoded with no prefix", id)
		}
		if c != '0' {
			leading = false
		} else if leading {
			zeros++
		}
	}
	if zeros == n {
		return 0, 0, errors.New(field + " is all zeros")
	}
	return n, zeros, nil
}

// lowID is the low 64 bits of a normalised trace ID: how Zipkin's
// in-memory storage indexes traces, so a lenient lookup can find a 128-bit
// trace by its 64-bit form.
func lowID(traceID string) string {
	if len(traceID) == 32 {
		return traceID[16:]
	}
	return traceID
}
