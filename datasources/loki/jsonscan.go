package loki

import (
	"errors"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
)

// parser reads Loki's answers without reflection: the envelope, streams
// and their entry tuples, and samples. For a 5,000-line answer this is
// most of the decoding work. It is strict where meaning is at stake
// (strings, timestamps, structure) and lenient about what it skips; it
// never reads past its input.
type parser struct {
	b []byte
	i int
}

func (p *parser) ws() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

// consume skips whitespace and then c, reporting whether c was there.
func (p *parser) consume(c byte) bool {
	p.ws()
	if p.i < len(p.b) && p.b[p.i] == c {
		p.i++
		return true
	}
	return false
}

// number returns the text of a JSON number (or of any bare token).
func (p *parser) number() string {
	p.ws()
	start := p.i
	for p.i < len(p.b) {
		switch c := p.b[p.i]; {
		case c >= '0' && c <= '9', c == '-', c == '+', c == '.', c == 'e', c == 'E':
			p.i++
		default:
			return string(p.b[start:p.i])
		}
	}
	return string(p.b[start:p.i])
}

var errNotString = errors.New("expected a JSON string")

// str reads a JSON string and returns it unescaped.
func (p *parser) str() (string, error) {
	p.ws()
	if p.i >= len(p.b) || p.b[p.i] != '"' {
		return "", errNotString
	}
	p.i++
	start := p.i
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case '"':
			s := string(p.b[start:p.i])
			p.i++
			return s, nil
		case '\\':
			return p.strEscaped(start)
		}
		p.i++
	}
	return "", errors.New("unterminated string")
}

// strEscaped finishes a string that holds escapes, from its first byte.
func (p *parser) strEscaped(start int) (string, error) {
	// The unescaped string is never longer than the escaped one: find the
	// closing quote first so that one allocation holds the result.
	end := p.i
	for end < len(p.b) && p.b[end] != '"' {
		if p.b[end] == '\\' {
			end++
		}
		end++
	}
	out := make([]byte, 0, end-start)
	out = append(out, p.b[start:p.i]...)
	for p.i < len(p.b) {
		c := p.b[p.i]
		switch {
		case c == '"':
			p.i++
			if len(out) == 0 {
				return "", nil
			}
			// out is never written again: share its bytes.
			return unsafe.String(&out[0], len(out)), nil
		case c != '\\':
			// Copy the run up to the next quote or escape at once.
			j := p.i
			for j < len(p.b) && p.b[j] != '"' && p.b[j] != '\\' {
				j++
			}
			out = append(out, p.b[p.i:j]...)
			p.i = j
			continue
		}
		if p.i+1 >= len(p.b) {
			break
		}
		e := p.b[p.i+1]
		p.i += 2
		switch e {
		case '"', '\\', '/':
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r, ok := p.hex4()
			if !ok {
				return "", errors.New("bad \\u escape")
			}
			if utf16.IsSurrogate(r) {
				// A pair is two \u escapes; a lone half becomes U+FFFD as
				// in encoding/json.
				save := p.i
				if p.i+1 < len(p.b) && p.b[p.i] == '\\' && p.b[p.i+1] == 'u' {
					p.i += 2
					if r2, ok := p.hex4(); ok {
						if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
							out = utf8.AppendRune(out, d)
							continue
						}
					}
				}
				p.i = save
				r = utf8.RuneError
			}
			out = utf8.AppendRune(out, r)
		default:
			return "", errors.New("bad escape")
		}
	}
	return "", errors.New("unterminated string")
}

func (p *parser) hex4() (rune, bool) {
	if p.i+4 > len(p.b) {
		return 0, false
	}
	v, err := strconv.ParseUint(string(p.b[p.i:p.i+4]), 16, 32)
	if err != nil {
		return 0, false
	}
	p.i += 4
	return rune(v), true
}

// skipString moves past a string without decoding it.
func (p *parser) skipString() error {
	for j := p.i + 1; j < len(p.b); j++ {
		switch p.b[j] {
		case '\\':
			j++
		case '"':
			p.i = j + 1
			return nil
		}
	}
	return errors.New("unterminated string")
}

// skipValue moves past one JSON value (valid JSON is assumed).
func (p *parser) skipValue() error {
	p.ws()
	if p.i >= len(p.b) {
		return errors.New("missing value")
	}
	switch p.b[p.i] {
	case '"':
		return p.skipString()
	case '{', '[':
		depth := 0
		for p.i < len(p.b) {
			switch p.b[p.i] {
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					p.i++
					return nil
				}
			case '"':
				if err := p.skipString(); err != nil {
					return err
				}
				continue
			}
			p.i++
		}
		return errors.New("unterminated value")
	default:
		start := p.i
		p.number()
		for p.i < len(p.b) && p.b[p.i] >= 'a' && p.b[p.i] <= 'z' { // true, false, null
			p.i++
		}
		if p.i == start {
			return errors.New("expected a value")
		}
		return nil
	}
}

// peekNull consumes a JSON null if one comes next.
func (p *parser) peekNull() bool {
	p.ws()
	if p.i+4 <= len(p.b) && string(p.b[p.i:p.i+4]) == "null" {
		p.i += 4
		return true
	}
	return false
}

// object calls fn for each key of an object; fn must consume the value.
func (p *parser) object(fn func(key string) error) error {
	if !p.consume('{') {
		return errors.New("expected an object")
	}
	if p.consume('}') {
		return nil
	}
	for {
		key, err := p.key()
		if err != nil {
			return err
		}
		if !p.consume(':') {
			return errors.New("expected : after an object key")
		}
		if err := fn(key); err != nil {
			return err
		}
		if p.consume(',') {
			continue
		}
		if p.consume('}') {
			return nil
		}
		return errors.New("expected , or } in an object")
	}
}

// array calls fn for each element; fn must consume the element.
func (p *parser) array(fn func() error) error {
	if !p.consume('[') {
		return errors.New("expected an array")
	}
	if p.consume(']') {
		return nil
	}
	for {
		if err := fn(); err != nil {
			return err
		}
		if p.consume(',') {
			continue
		}
		if p.consume(']') {
			return nil
		}
		return errors.New("expected , or ] in an array")
	}
}

// knownKeys are label and field names that recur on every line; returning
// one shared string for them saves an allocation per use.
var knownKeys = map[string]string{}

func init() {
	for _, k := range []string{"stream", "values", "structuredMetadata", "parsed", "trace_id", "span_id",
		"traceID", "spanID", "level", "detected_level", "service_name", "namespace", "pod", "job", "__error__"} {
		knownKeys[k] = k
	}
}

// key reads an object key, sharing the string of well-known keys.
func (p *parser) key() (string, error) {
	p.ws()
	if p.i < len(p.b) && p.b[p.i] == '"' {
		end := p.i + 1
		for end < len(p.b) && p.b[end] != '"' && p.b[end] != '\\' {
			end++
		}
		if end < len(p.b) && p.b[end] == '"' {
			if k, ok := knownKeys[string(p.b[p.i+1:end])]; ok { // no allocation
				p.i = end + 1
				return k, nil
			}
		}
	}
	return p.str()
}

// stringMap reads {"k":"v",…}; null is an empty map.
func (p *parser) stringMap() (map[string]string, error) {
	if p.peekNull() {
		return nil, nil
	}
	m := map[string]string{}
	err := p.object(func(k string) error {
		v, err := p.str()
		m[k] = v
		return err
	})
	return m, err
}

// nsString reads a JSON string of integer nanoseconds without allocating.
func (p *parser) nsString() (int64, error) {
	p.ws()
	if p.i >= len(p.b) || p.b[p.i] != '"' {
		return 0, errors.New("timestamp is not a string of nanoseconds")
	}
	j := p.i + 1
	neg := j < len(p.b) && p.b[j] == '-'
	if neg {
		j++
	}
	var n int64
	digits := 0
	for ; j < len(p.b) && p.b[j] >= '0' && p.b[j] <= '9'; j++ {
		if digits++; digits > 19 {
			return 0, errors.New("timestamp out of range")
		}
		n = n*10 + int64(p.b[j]-'0')
	}
	if digits == 0 || j >= len(p.b) || p.b[j] != '"' || n < 0 {
		return 0, errors.New("timestamp is not integer nanoseconds")
	}
	p.i = j + 1
	if neg {
		n = -n
	}
	return n, nil
}

// raw returns the bytes of the next value, moving past it.
func (p *parser) raw() ([]byte, error) {
	p.ws()
	start := p.i
	if err := p.skipValue(); err != nil {
		return nil, err
	}
	return p.b[start:p.i], nil
}
