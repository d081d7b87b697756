package tempotest

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// This file and traceql_parse.go hold a TraceQL parser for the subset in
// contracts/tempo section 7, written from Tempo's public docs. Errors use
// Tempo's shape, "parse error at line L, col C: syntax error: unexpected
// X", so clients see the text they would see from Tempo.

type tokKind int

const (
	tEOF tokKind = iota
	tOpenBrace
	tCloseBrace
	tOpenParen
	tCloseParen
	tAnd
	tOr
	tNot
	tEq
	tNeq
	tGt
	tGte
	tLt
	tLte
	tRe
	tNre
	tDesc
	tAnc
	tTilde
	tPipe
	tComma
	tString
	tInt
	tFloat
	tDuration
	tTrue
	tFalse
	tNil
	tStatus    // error ok unset
	tKind      // server client producer consumer internal unspecified
	tIntrinsic // name, span:duration, trace:rootService, …
	tAttribute // span.x, resource.x, .x, …
	tIdent     // any other word
)

var tokNames = map[tokKind]string{
	tEOF: "$end", tOpenBrace: "OPEN_BRACE", tCloseBrace: "CLOSE_BRACE", tOpenParen: "OPEN_PARENS",
	tCloseParen: "CLOSE_PARENS", tAnd: "AND", tOr: "OR", tNot: "NOT", tEq: "EQ", tNeq: "NEQ",
	tGt: "GT", tGte: "GTE", tLt: "LT", tLte: "LTE", tRe: "RE", tNre: "NRE", tDesc: "DESC",
	tAnc: "ANCE", tTilde: "TILDE", tPipe: "PIPE", tComma: "COMMA", tString: "STRING",
	tInt: "INTEGER", tFloat: "FLOAT", tDuration: "DURATION", tTrue: "TRUE", tFalse: "FALSE",
	tNil: "NIL", tStatus: "STATUS", tKind: "KIND", tIntrinsic: "INTRINSIC", tAttribute: "ATTRIBUTE",
	tIdent: "IDENTIFIER",
}

type token struct {
	kind      tokKind
	text      string // string literal value, attribute name, word
	scope     string // for tAttribute: span, resource, event, link, instrumentation, "" (unscoped)
	i         int64
	f         float64
	line, col int
}

// ParseError is a TraceQL syntax error at a 1-based line and column.
type ParseError struct {
	Line, Col int
	Msg       string
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("parse error at line %d, col %d: %s", e.Line, e.Col, e.Msg)
}

var attrScopes = map[string]bool{"span": true, "resource": true, "event": true, "link": true, "instrumentation": true}

var statusWords = map[string]bool{"error": true, "ok": true, "unset": true}

var kindWords = map[string]bool{"server": true, "client": true, "producer": true, "consumer": true, "internal": true, "unspecified": true}

// lex splits q into tokens, ending with tEOF.
func lex(q string) ([]token, error) {
	var toks []token
	line, lineStart := 1, 0
	i := 0
	for {
		for i < len(q) && strings.IndexByte(" \t\r\n", q[i]) >= 0 {
			if q[i] == '\n' {
				line, lineStart = line+1, i+1
			}
			i++
		}
		t := token{line: line, col: i - lineStart + 1}
		if i >= len(q) {
			t.kind = tEOF
			return append(toks, t), nil
		}
		fail := func(msg string) ([]token, error) {
			return nil, &ParseError{Line: t.line, Col: t.col, Msg: msg}
		}
		c := q[i]
		two := ""
		if i+1 < len(q) {
			two = q[i : i+2]
		}
		switch {
		case two == "&&":
			t.kind, i = tAnd, i+2
		case two == "||":
			t.kind, i = tOr, i+2
		case two == "!=":
			t.kind, i = tNeq, i+2
		case two == "!~":
			t.kind, i = tNre, i+2
		case two == "=~":
			t.kind, i = tRe, i+2
		case two == ">=":
			t.kind, i = tGte, i+2
		case two == "<=":
			t.kind, i = tLte, i+2
		case two == ">>":
			t.kind, i = tDesc, i+2
		case two == "<<":
			t.kind, i = tAnc, i+2
		case strings.IndexByte("{}()!=<>~|,", c) >= 0:
			t.kind = map[byte]tokKind{'{': tOpenBrace, '}': tCloseBrace, '(': tOpenParen, ')': tCloseParen,
				'!': tNot, '=': tEq, '<': tLt, '>': tGt, '~': tTilde, '|': tPipe, ',': tComma}[c]
			i++
		case c == '"' || c == '`':
			s, n, err := scanString(q[i:])
			if err != nil {
				return fail(err.Error())
			}
			t.kind, t.text, i = tString, s, i+n
		case c >= '0' && c <= '9' || (c == '-' || c == '.') && i+1 < len(q) && q[i+1] >= '0' && q[i+1] <= '9':
			n, err := scanNumber(q[i:], &t)
			if err != nil {
				return fail(err.Error())
			}
			i += n
		case c == '.':
			name, n, err := scanAttrName(q[i+1:])
			if err != nil {
				return fail(err.Error())
			}
			t.kind, t.text, i = tAttribute, name, i+1+n
		case isWordStart(c):
			j := i
			for j < len(q) && isWordChar(q[j]) {
				j++
			}
			word := q[i:j]
			if attrScopes[word] && j < len(q) && q[j] == '.' {
				name, n, err := scanAttrName(q[j+1:])
				if err != nil {
					return nil, &ParseError{Line: t.line, Col: j + 1 - lineStart + 1, Msg: err.Error()}
				}
				t.kind, t.scope, t.text, i = tAttribute, word, name, j+1+n
				break
			}
			i = j
			t.text = word
			switch {
			case word == "true":
				t.kind = tTrue
			case word == "false":
				t.kind = tFalse
			case word == "nil":
				t.kind = tNil
			case statusWords[word]:
				t.kind = tStatus
			case kindWords[word]:
				t.kind = tKind
			case intrinsics[word] != 0:
				t.kind = tIntrinsic
			default:
				t.kind = tIdent
			}
		default:
			r, _ := utf8.DecodeRuneInString(q[i:])
			return fail(fmt.Sprintf("syntax error: unexpected character %q", r))
		}
		toks = append(toks, t)
	}
}

func isWordStart(c byte) bool { return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// isWordChar admits ':' so that span:name and trace:rootService are one word.
func isWordChar(c byte) bool { return isWordStart(c) || c >= '0' && c <= '9' || c == ':' }

// scanString reads a double-quoted (Go escapes) or back-quoted string.
func scanString(s string) (string, int, error) {
	quote := s[0]
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			if quote == '"' {
				i++
			}
		case quote:
			v, err := strconv.Unquote(s[:i+1])
			if err != nil {
				return "", 0, fmt.Errorf("syntax error: invalid string %s", s[:i+1])
			}
			return v, i + 1, nil
		}
	}
	return "", 0, fmt.Errorf("syntax error: unterminated string")
}

// scanNumber reads an integer, a float or a duration (1s, 150ms, 1h30m).
func scanNumber(s string, t *token) (int, error) {
	j := 0
	if s[0] == '-' {
		j++
	}
	for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == '.' || s[j] == 'e' && j+1 < len(s) && (s[j+1] == '-' || s[j+1] >= '0' && s[j+1] <= '9')) {
		if s[j] == 'e' {
			j++
		}
		j++
	}
	num := s[:j]
	k := j
	for k < len(s) && (s[k] >= 'a' && s[k] <= 'z' || s[k] >= '0' && s[k] <= '9' || s[k] == '.' || strings.HasPrefix(s[k:], "µ")) {
		if strings.HasPrefix(s[k:], "µ") {
			k += len("µ")
			continue
		}
		k++
	}
	if k > j {
		d, err := time.ParseDuration(s[:k])
		if err != nil {
			return 0, fmt.Errorf("syntax error: invalid duration %s", s[:k])
		}
		t.kind, t.i, t.text = tDuration, int64(d), s[:k]
		return k, nil
	}
	if n, err := strconv.ParseInt(num, 10, 64); err == nil {
		t.kind, t.i, t.text = tInt, n, num
		return j, nil
	}
	f, err := strconv.ParseFloat(num, 64)
	if err != nil {
		return 0, fmt.Errorf("syntax error: invalid number %s", num)
	}
	t.kind, t.f, t.text = tFloat, f, num
	return j, nil
}

// scanAttrName reads an attribute name after its scope's dot: quoted, or
// everything up to white space or an operator, so dots and dashes are kept.
func scanAttrName(s string) (string, int, error) {
	if len(s) > 0 && s[0] == '"' {
		return scanString(s)
	}
	j := 0
	for j < len(s) && strings.IndexByte(" \t\r\n{}()=!<>~&|,\"", s[j]) < 0 {
		j++
	}
	if j == 0 {
		return "", 0, fmt.Errorf("syntax error: unexpected END_ATTRIBUTE, expecting IDENTIFIER")
	}
	return s[:j], j, nil
}
