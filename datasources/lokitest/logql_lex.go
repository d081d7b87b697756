package lokitest

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// tokKind is the class of a LogQL token. Errors name classes the way
// Loki's parser does ("unexpected IDENTIFIER"), punctuation by its text.
type tokKind int

const (
	tEOF tokKind = iota
	tIdent
	tString
	tNumber
	tDuration
	tPunct // text holds the operator or bracket
)

type token struct {
	kind      tokKind
	text      string // raw text; unquoted value for strings
	line, col int    // 1-based position of the token's first character
}

func (t token) describe() string {
	switch t.kind {
	case tEOF:
		return "$end"
	case tIdent:
		return "IDENTIFIER"
	case tString:
		return "STRING"
	case tNumber:
		return "NUMBER"
	case tDuration:
		return "DURATION"
	}
	return t.text
}

// parseError is a LogQL error in Loki's words; the HTTP layer answers it
// with 400 and Error() as the plain-text body.
type parseError struct {
	line, col int // 0 when the error has no position
	msg       string
}

func (e *parseError) Error() string {
	if e.line == 0 {
		return "parse error : " + e.msg
	}
	return fmt.Sprintf("parse error at line %d, col %d: %s", e.line, e.col, e.msg)
}

// puncts are the operators, longest first so that "!=" wins over "!".
var puncts = []string{"|=", "|~", "!=", "!~", "=~", "==", ">=", "<=",
	"{", "}", "(", ")", "[", "]", ",", "=", "|", ">", "<", "+", "-", "*", "/", "%"}

// lex splits a query into tokens.
func lex(src string) ([]token, error) {
	var toks []token
	line, col := 1, 1
	i := 0
	adv := func(n int) {
		for _, r := range src[i : i+n] {
			if r == '\n' {
				line++
				col = 1
			} else {
				col++
			}
		}
		i += n
	}
	for i < len(src) {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			adv(1)
			continue
		case c == '#': // comment to end of line
			n := strings.IndexByte(src[i:], '\n')
			if n < 0 {
				n = len(src) - i
			}
			adv(n)
			continue
		}
		tok := token{line: line, col: col}
		switch {
		case c == '"':
			n, s, err := scanQuoted(src[i:])
			if err != nil {
				return nil, &parseError{line, col, "syntax error: " + err.Error()}
			}
			tok.kind, tok.text = tString, s
			adv(n)
		case c == '`':
			end := strings.IndexByte(src[i+1:], '`')
			if end < 0 {
				return nil, &parseError{line, col, "syntax error: unterminated raw string"}
			}
			tok.kind, tok.text = tString, src[i+1:i+1+end]
			adv(end + 2)
		case isDigit(c) || (c == '.' && i+1 < len(src) && isDigit(src[i+1])):
			n := 0
			for i+n < len(src) && (isDigit(src[i+n]) || src[i+n] == '.') {
				n++
			}
			tok.kind = tNumber
			// A unit right after the number makes a duration: 5m, 1h30m.
			if i+n < len(src) && isLetter(src[i+n]) {
				for i+n < len(src) && (isLetter(src[i+n]) || isDigit(src[i+n]) || src[i+n] == '.') {
					n++
				}
				tok.kind = tDuration
			}
			tok.text = src[i : i+n]
			adv(n)
		case isLetter(c) || c == '_':
			n := 0
			for i+n < len(src) && (isLetter(src[i+n]) || isDigit(src[i+n]) || src[i+n] == '_') {
				n++
			}
			tok.kind, tok.text = tIdent, src[i:i+n]
			adv(n)
		default:
			found := false
			for _, p := range puncts {
				if strings.HasPrefix(src[i:], p) {
					tok.kind, tok.text = tPunct, p
					adv(len(p))
					found = true
					break
				}
			}
			if !found {
				r, _ := utf8.DecodeRuneInString(src[i:])
				return nil, &parseError{line, col, fmt.Sprintf("syntax error: unexpected character %q", r)}
			}
		}
		toks = append(toks, tok)
	}
	return append(toks, token{kind: tEOF, line: line, col: col}), nil
}

// scanQuoted reads a "…" string with Go escapes and returns its length in
// src and its value.
func scanQuoted(src string) (int, string, error) {
	for j := 1; j < len(src); j++ {
		switch src[j] {
		case '\\':
			j++
		case '"':
			s, err := strconv.Unquote(src[:j+1])
			if err != nil {
				return 0, "", fmt.Errorf("invalid string %s", src[:j+1])
			}
			return j + 1, s, nil
		}
	}
	return 0, "", fmt.Errorf("unterminated string")
}

func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isLetter(c byte) bool { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') }
