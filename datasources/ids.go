package datasources

import (
	"errors"
	"strings"
)

// ErrInvalidTraceID explains what a valid trace ID looks like.
var ErrInvalidTraceID = errors.New("a trace ID is 1 to 32 hexadecimal characters (0-9, a-f), e.g. 4bf92f3577b34da6a3ce929d0e0e4736")

// ErrInvalidSpanID explains what a valid span ID looks like.
var ErrInvalidSpanID = errors.New("a span ID is 1 to 16 hexadecimal characters (0-9, a-f), e.g. 00f067aa0ba902b7")

// ParseTraceID accepts 1 to 32 hex characters in any case and returns the
// ID lower-cased and left-padded to 32: 64-bit IDs, and Tempo strips leading
// zeros in search results and exemplar labels. All zeros is not an ID.
func ParseTraceID(s string) (string, error) {
	id, ok := padHex(strings.TrimSpace(s), 32)
	if !ok {
		return "", ErrInvalidTraceID
	}
	return id, nil
}

// ParseSpanID is ParseTraceID for 64-bit span IDs.
func ParseSpanID(s string) (string, error) {
	id, ok := padHex(strings.TrimSpace(s), 16)
	if !ok {
		return "", ErrInvalidSpanID
	}
	return id, nil
}

func padHex(s string, width int) (string, bool) {
	if len(s) == 0 || len(s) > width {
		return "", false
	}
	if len(s) == width && isLowerHex(s) {
		// Already in the canonical form (the usual case, for every line
		// of a logs page): the string itself, no copy.
		return s, strings.Trim(s, "0") != ""
	}
	b := make([]byte, width)
	pad := width - len(s)
	nonzero := false
	for i := 0; i < pad; i++ {
		b[i] = '0'
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
		case c >= 'a' && c <= 'f':
		case c >= 'A' && c <= 'F':
			c += 'a' - 'A'
		default:
			return "", false
		}
		if c != '0' {
			nonzero = true
		}
		b[pad+i] = c
	}
	return string(b), nonzero
}

func isLowerHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if !lowerHex[s[i]] {
			return false
		}
	}
	return true
}

// lowerHex marks 0-9 and a-f: one load a byte for the IDs of every line
// of a logs page, rather than four comparisons.
var lowerHex = func() (t [256]bool) {
	for _, c := range "0123456789abcdef" {
		t[c] = true
	}
	return t
}()

// ParseTraceRef accepts what a user pastes into the global box: a trace ID
// or a whole W3C traceparent header ("00-<32 hex>-<16 hex>-<2 hex>"), and
// returns the padded trace ID and, for a traceparent, its span ID.
func ParseTraceRef(s string) (traceID, spanID string, err error) {
	s = strings.TrimSpace(s)
	// The header name is case-insensitive: tools show "Traceparent:" too.
	if len(s) > len("traceparent:") && strings.EqualFold(s[:len("traceparent")], "traceparent") &&
		(s[len("traceparent")] == ':' || s[len("traceparent")] == '=') {
		s = s[len("traceparent:"):]
	}
	s = strings.TrimSpace(s)
	if parts := strings.Split(s, "-"); len(parts) == 4 {
		if len(parts[0]) != 2 || len(parts[1]) != 32 || len(parts[2]) != 16 || len(parts[3]) != 2 {
			return "", "", errors.New("a traceparent is version-traceid-spanid-flags, e.g. 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
		}
		if _, ok := padHex(parts[0], 2); !ok && parts[0] != "00" {
			return "", "", errors.New("the traceparent version is not hexadecimal")
		}
		if !isHex(parts[3]) {
			return "", "", errors.New("the traceparent flags are not hexadecimal")
		}
		if strings.ToLower(parts[0]) == "ff" {
			return "", "", errors.New("traceparent version ff is invalid")
		}
		tid, err := ParseTraceID(parts[1])
		if err != nil {
			return "", "", err
		}
		sid, err := ParseSpanID(parts[2])
		if err != nil {
			return "", "", err
		}
		return tid, sid, nil
	}
	tid, err := ParseTraceID(s)
	return tid, "", err
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}
