package logline

import (
	"math/bits"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/ariadne-dev/ariadne/correlation/text"
)

// flatJSON reads a JSON object whose values are all scalars without
// encoding/json: the usual shape of a structured log line, parsed for
// every row of a page (a map[string]any per line cost more than decoding
// Loki's whole answer). Its fields are what the full decode gives, in the
// same text, in the line's order (sorted, for a line of more than 16);
// ok is false for anything it leaves to the full decode:
// nesting, arrays, duplicate keys, invalid UTF-8 or JSON, numbers whose
// float64 text differs from their own.
func flatJSON(out []Field, s string) ([]Field, bool) {
	out, _, ok := flatJSONPlain(out, s)
	return out, ok
}

// jsonPlain is which of a line's fields flatJSON read as they are
// written, without escapes: what a regex over the line's text sees of
// them (jsonKeyRegex). Past 16 fields, which are sorted, it says none.
type jsonPlain struct {
	keys    bool   // every key is plain
	strings uint64 // bit i: field i's value is a string, plain
}

// flatJSONPlain is flatJSON saying too which fields are plain.
func flatJSONPlain(out []Field, s string) (_ []Field, plain jsonPlain, ok bool) {
	i := skipSpace(s, 0)
	if i >= len(s) || s[i] != '{' {
		return nil, jsonPlain{}, false
	}
	i = skipSpace(s, i+1)
	if i < len(s) && s[i] == '}' {
		return nil, jsonPlain{}, skipSpace(s, i+1) == len(s)
	}
	if out == nil {
		out = make([]Field, 0, 12)
	}
	plain.keys = true
	for {
		var key, val string
		at := i
		if key, i, ok = jsonString(s, i); !ok {
			return nil, jsonPlain{}, false
		}
		// A string is plain when it is as long as its text less the
		// quotes: every escape is longer than what it stands for.
		plain.keys = plain.keys && len(key) == i-at-2
		if i = skipSpace(s, i); i >= len(s) || s[i] != ':' {
			return nil, jsonPlain{}, false
		}
		if i = skipSpace(s, i+1); i >= len(s) {
			return nil, jsonPlain{}, false
		}
		valPlain := false
		switch c := s[i]; {
		case c == '"':
			at = i
			val, i, ok = jsonString(s, i)
			valPlain = len(val) == i-at-2
		case c == 't' && strings.HasPrefix(s[i:], "true"):
			val, i, ok = "true", i+4, true
		case c == 'f' && strings.HasPrefix(s[i:], "false"):
			val, i, ok = "false", i+5, true
		case c == 'n' && strings.HasPrefix(s[i:], "null"):
			val, i, ok = "null", i+4, true
		case c == '-' || c >= '0' && c <= '9':
			val, i, ok = jsonNumber(s, i)
		default: // objects and arrays are the full decode's
			return nil, jsonPlain{}, false
		}
		if !ok {
			return nil, jsonPlain{}, false
		}
		if valPlain {
			plain.strings |= 1 << len(out) // 0 past 64, which are cleared below
		}
		out = append(out, Field{key, val})
		if i = skipSpace(s, i); i >= len(s) {
			return nil, jsonPlain{}, false
		}
		switch s[i] {
		case ',':
			i = skipSpace(s, i+1)
			continue
		case '}':
			if skipSpace(s, i+1) != len(s) {
				return nil, jsonPlain{}, false
			}
		default:
			return nil, jsonPlain{}, false
		}
		break
	}
	if hasDuplicateKey(out) {
		return nil, jsonPlain{}, false // the full decode keeps the last one
	}
	if len(out) > 16 {
		plain = jsonPlain{} // sorted: the bits no longer say which field
	}
	return out, plain, true
}

// hasDuplicateKey says whether two fields share a key. Of a line's dozen,
// a key is compared only with the earlier keys of its length, when there
// are any (a bit a length says so); more are sorted.
func hasDuplicateKey(f []Field) bool {
	if len(f) > 16 {
		sortFields(f)
		for j := 1; j < len(f); j++ {
			if f[j].Key == f[j-1].Key {
				return true
			}
		}
		return false
	}
	var lengths uint64
	for i := range f {
		n := len(f[i].Key)
		if bit := uint64(1) << min(n, 63); lengths&bit == 0 {
			lengths |= bit
			continue
		}
		for j := range i {
			if f[j].Key == f[i].Key {
				return true
			}
		}
	}
	return false
}

// stopBytes has the high bit set of each byte of w that ends a JSON
// string's plain run (a quote, a backslash, a control character), and
// maybe of bytes above one. The lowest it sets is exact, so
// bits.TrailingZeros64(stopBytes(w))/8 is the first such byte.
func stopBytes(w uint64) uint64 {
	const highs = 0x80 * text.Ones
	return (text.HasZero(w^'"'*text.Ones) | text.HasZero(w^'\\'*text.Ones) | (w-0x20*text.Ones)&^w) & highs
}

func skipSpace(s string, i int) int {
	if i >= len(s) || s[i] > ' ' {
		return i // no space, as between the tokens of most lines
	}
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
		i++
	}
	return i
}

// jsonString reads the string starting at s[i] == '"'. Without escapes
// it is a slice of s; escapes are decoded as encoding/json does.
func jsonString(s string, i int) (string, int, bool) {
	if i >= len(s) || s[i] != '"' {
		return "", i, false
	}
	start := i + 1
	j := start
	var high byte // any byte ≥ 0x80: only then can the text be invalid UTF-8
	// Eight bytes at a time to the first that ends the plain run
	// (stopBytes), the rest of the line's last word a byte at a time.
	var words uint64
	for j+8 <= len(s) {
		w := text.Word(s, j)
		stop := stopBytes(w)
		if stop == 0 {
			words |= w
			j += 8
			continue
		}
		k := bits.TrailingZeros64(stop) / 8
		words |= w & (1<<(8*k) - 1)
		j += k
		break
	}
	if words&(0x80*text.Ones) != 0 {
		high = utf8.RuneSelf
	}
	if j+8 > len(s) {
		for j < len(s) && s[j] != '"' && s[j] != '\\' && s[j] >= 0x20 {
			high |= s[j]
			j++
		}
	}
	if j >= len(s) || s[j] < 0x20 {
		return "", j, false
	}
	if s[j] == '"' {
		v := s[start:j]
		// encoding/json writes U+FFFD for invalid bytes; leave those to it.
		return v, j + 1, high < utf8.RuneSelf || utf8.ValidString(v)
	}
	var b strings.Builder
	b.Grow(j - start + 16)
	b.WriteString(s[start:j])
	for j < len(s) {
		c := s[j]
		switch {
		case c == '"':
			v := b.String()
			return v, j + 1, utf8.ValidString(v)
		case c < 0x20:
			return "", j, false
		case c != '\\':
			b.WriteByte(c)
			j++
			continue
		}
		if j+1 >= len(s) {
			return "", j, false
		}
		switch e := s[j+1]; e {
		case '"', '\\', '/':
			b.WriteByte(e)
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'u':
			r, n := hex4(s, j+2)
			if n < 0 {
				return "", j, false
			}
			j += 6
			if utf16.IsSurrogate(r) {
				r2, n2 := rune(-1), -1
				if j+1 < len(s) && s[j] == '\\' && s[j+1] == 'u' {
					r2, n2 = hex4(s, j+2)
				}
				if d := utf16.DecodeRune(r, r2); n2 >= 0 && d != utf8.RuneError {
					b.WriteRune(d)
					j += 6
				} else {
					b.WriteRune(utf8.RuneError)
				}
			} else {
				b.WriteRune(r)
			}
			continue
		default:
			return "", j, false
		}
		j += 2
	}
	return "", j, false
}

func hex4(s string, i int) (rune, int) {
	if i+4 > len(s) {
		return 0, -1
	}
	v, err := strconv.ParseUint(s[i:i+4], 16, 16)
	if err != nil {
		return 0, -1
	}
	return rune(v), 4
}

// jsonNumber reads a JSON number at s[i] and returns the text the full
// decode gives it (strconv.FormatFloat of its float64): the number's own
// text for the usual integers, which need no conversion.
func jsonNumber(s string, i int) (string, int, bool) {
	start := i
	if s[i] == '-' {
		i++
	}
	digits := i
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case i < len(s) && s[i] >= '1' && s[i] <= '9':
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	default:
		return "", i, false
	}
	plain := i-digits <= 15 // exact as a float64, so written back the same
	if i < len(s) && s[i] == '.' {
		plain = false
		i++
		if i >= len(s) || s[i] < '0' || s[i] > '9' {
			return "", i, false
		}
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		plain = false
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if i >= len(s) || s[i] < '0' || s[i] > '9' {
			return "", i, false
		}
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	}
	text := s[start:i]
	if plain && text != "-0" {
		return text, i, true
	}
	f, err := strconv.ParseFloat(text, 64)
	if err != nil {
		return "", i, false // out of range: encoding/json refuses it too
	}
	return strconv.FormatFloat(f, 'f', -1, 64), i, true
}
