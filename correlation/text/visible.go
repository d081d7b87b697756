package text

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Text from logs, spans and users is escaped by the templates; escaping
// does not stop characters that change how text reads without being seen:
// a right-to-left override (U+202E) that makes "exe.txt" read "txt.exe", a
// zero-width space that makes two names look equal, terminal control
// characters. Visible shows each of them instead of obeying it.

// Visible returns s with every invisible control or format character made
// visible: C0 controls but tab and newline as their Control Pictures
// (␀ … ␟, ␛ for ESC, ␡ for DEL), C1 controls, bidirectional controls,
// zero-width characters and the BOM as ⟨U+202E⟩, and invalid UTF-8 as
// U+FFFD. It returns s itself, without allocating, when there is nothing
// to change, which is almost always.
func Visible(s string) string {
	i := firstInvisible(s)
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	b.WriteString(s[:i])
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '\t' || c == '\n':
				b.WriteByte(c)
			case c < 0x20:
				b.WriteRune(rune(0x2400 + int(c)))
			case c == 0x7f:
				b.WriteRune('\u2421')
			default:
				b.WriteByte(c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteRune(utf8.RuneError)
		case invisible(r):
			b.WriteString("⟨U+")
			h := strconv.FormatInt(int64(r), 16)
			for range 4 - len(h) {
				b.WriteByte('0')
			}
			b.WriteString(strings.ToUpper(h))
			b.WriteString("⟩")
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// IsVisible says whether Visible would return s as it is: no control,
// format or invalid byte in it (and so no escape sequence either).
func IsVisible(s string) bool { return firstInvisible(s) < 0 }

// printable8 says whether the eight bytes of w are all printable ASCII
// (0x20 to 0x7e). The bit tests may report a byte that is fine (a tab, or
// a borrow between bytes), never miss one: a byte loop then decides.
func printable8(w uint64) bool {
	const highs = 0x80 * Ones
	below := (w - 0x20*Ones) &^ w & highs // some byte < 0x20
	del := HasZero(w ^ 0x7f*Ones)         // some byte == 0x7f
	return w&highs|below|del == 0
}

// firstInvisible is the byte offset of the first character Visible would
// change, or -1.
func firstInvisible(s string) int {
	i := 0
	// Eight bytes at a time while they are all printable ASCII (0x20 to
	// 0x7e), the usual case for names, IDs and attribute values: this runs
	// over every string of every span and log line a page shows.
	for ; i+8 <= len(s); i += 8 {
		if !printable8(Word(s, i)) {
			break
		}
	}
	// The tail, shorter than a word, in one look: the last eight bytes
	// (overlapping those before), or a short string's bytes from two
	// overlapping halves. Most names and keys are short.
	switch n := len(s); {
	case i == n:
		return -1
	case n >= 8 && i+8 > n && printable8(Word(s, n-8)):
		return -1
	case n >= 4 && n < 8 && printable8(uint64(Word32(s, 0))|uint64(Word32(s, n-4))<<32):
		return -1
	}
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			if (c < 0x20 && c != '\t' && c != '\n') || c == 0x7f {
				return i
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || invisible(r) {
			return i
		}
		i += size
	}
	return -1
}

// invisible reports a non-ASCII character that is not seen but changes
// what is seen: C1 controls, bidirectional marks, embeddings, overrides
// and isolates, zero-width characters, line and paragraph separators, and
// the byte-order mark.
func invisible(r rune) bool {
	switch {
	case r >= 0x80 && r < 0xa0: // C1 (CSI among them)
		return true
	case r == 0x061c: // Arabic letter mark
		return true
	case r >= 0x200b && r <= 0x200f: // zero-width space, (non-)joiner, LRM, RLM
		return true
	case r >= 0x2028 && r <= 0x202e: // line/paragraph separators, embeddings, overrides
		return true
	case r >= 0x2060 && r <= 0x2069: // word joiner, invisible operators, isolates
		return true
	case r == 0xfeff: // BOM, zero-width no-break space
		return true
	}
	return false
}
