// Package text writes values for people: the one truncation helper of the
// app (every cut is at most n bytes and lands on a rune boundary, so a cut
// never leaves half a UTF-8 character behind), and durations and ages as
// the pages show them. It imports nothing of Ariadne's, so datasources and
// store may use it.
package text

import "unicode/utf8"

// Ellipsis marks a string that Shorten cut.
const Ellipsis = "…"

// Cut returns the longest prefix of s of at most n bytes that ends on a
// rune boundary, and whether anything was cut.
func Cut(s string, n int) (string, bool) {
	if len(s) <= n {
		return s, false
	}
	n = max(n, 0)
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n], true
}

// Shorten returns s when it fits in n bytes, else a prefix of it marked
// with Ellipsis, the whole at most n bytes (the mark alone when n is
// smaller than it).
func Shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	prefix, _ := Cut(s, n-len(Ellipsis))
	return prefix + Ellipsis
}
