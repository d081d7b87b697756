package lokitest

import (
	"fmt"
	"strconv"
	"strings"
)

// maxDepth bounds nesting so that hostile queries cannot exhaust the stack.
const maxDepth = 64

var rangeOps = map[string]bool{"count_over_time": true, "rate": true, "bytes_over_time": true, "bytes_rate": true}

var aggOps = map[string]bool{"sum": true, "count": true, "avg": true, "min": true, "max": true, "topk": true, "bottomk": true}

// unsupported are valid LogQL words this server does not implement; they
// get a clear 400 rather than a misleading syntax error.
var unsupported = map[string]bool{
	"avg_over_time": true, "sum_over_time": true, "min_over_time": true, "max_over_time": true,
	"quantile_over_time": true, "stddev_over_time": true, "stdvar_over_time": true, "first_over_time": true,
	"last_over_time": true, "absent_over_time": true, "rate_counter": true, "stddev": true, "stdvar": true,
	"sort": true, "sort_desc": true, "label_replace": true, "unwrap": true, "label_format": true,
	"pattern": true, "regexp": true, "unpack": true, "decolorize": true, "offset": true, "ip": true,
}

type qparser struct {
	toks  []token
	pos   int
	depth int
}

// parseQuery parses a LogQL query: exactly one of the results is non-nil
// unless err is set. err is always a *parseError.
func parseQuery(src string) (*logQuery, sampleExpr, error) {
	toks, err := lex(src)
	if err != nil {
		return nil, nil, err
	}
	p := &qparser{toks: toks}
	if p.peek().kind == tPunct && p.peek().text == "{" {
		lq, err := p.logQuery()
		if err != nil {
			return nil, nil, err
		}
		if t := p.peek(); t.kind != tEOF {
			return nil, nil, p.unexpected(t)
		}
		return lq, nil, nil
	}
	e, err := p.sample(0)
	if err != nil {
		return nil, nil, err
	}
	if t := p.peek(); t.kind != tEOF {
		return nil, nil, p.unexpected(t)
	}
	return nil, e, nil
}

// parseSelector parses a bare stream selector, as /series, /labels and
// push bodies carry them.
func parseSelector(src string) ([]*matcher, error) {
	ms, err := parseSelectorNoEmptyCheck(src)
	if err != nil {
		return nil, err
	}
	return ms, checkNotEmptyCompatible(ms)
}

// parseSelectorNoEmptyCheck parses a selector that may match everything,
// such as the labels of a pushed stream.
func parseSelectorNoEmptyCheck(src string) ([]*matcher, error) {
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	p := &qparser{toks: toks}
	ms, err := p.selector()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tEOF {
		return nil, p.unexpected(t)
	}
	return ms, nil
}

func (p *qparser) peek() token { return p.toks[p.pos] }

func (p *qparser) next() token {
	t := p.toks[p.pos]
	if t.kind != tEOF {
		p.pos++
	}
	return t
}

func (p *qparser) isPunct(s string) bool {
	t := p.peek()
	return t.kind == tPunct && t.text == s
}

func (p *qparser) isIdent(s string) bool {
	t := p.peek()
	return t.kind == tIdent && t.text == s
}

func (p *qparser) unexpected(t token, expecting ...string) error {
	msg := "syntax error: unexpected " + t.describe()
	if len(expecting) > 0 {
		msg += ", expecting " + strings.Join(expecting, " or ")
	}
	return &parseError{t.line, t.col, msg}
}

func (p *qparser) expectPunct(s string) error {
	if t := p.next(); t.kind != tPunct || t.text != s {
		return p.unexpected(t, s)
	}
	return nil
}

func (p *qparser) expect(kind tokKind, name string) (token, error) {
	t := p.next()
	if t.kind != kind {
		return t, p.unexpected(t, name)
	}
	return t, nil
}

func (p *qparser) selector() ([]*matcher, error) {
	if err := p.expectPunct("{"); err != nil {
		return nil, err
	}
	var ms []*matcher
	for {
		name, err := p.expect(tIdent, "IDENTIFIER")
		if err != nil {
			return nil, err
		}
		op := p.next()
		if op.kind != tPunct || (op.text != "=" && op.text != "!=" && op.text != "=~" && op.text != "!~") {
			return nil, p.unexpected(op, "=", "=~", "!~", "!=")
		}
		val, err := p.expect(tString, "STRING")
		if err != nil {
			return nil, err
		}
		m, err := newMatcher(name.text, matchOp(op.text), val.text)
		if err != nil {
			return nil, &parseError{val.line, val.col, "invalid regex: " + err.Error()}
		}
		ms = append(ms, m)
		t := p.next()
		if t.kind == tPunct && t.text == "}" {
			break
		}
		if t.kind != tPunct || t.text != "," {
			return nil, p.unexpected(t, ",", "}")
		}
	}
	return ms, nil
}

// checkNotEmptyCompatible refuses selectors that would match every stream.
func checkNotEmptyCompatible(ms []*matcher) error {
	for _, m := range ms {
		if !m.matches("") {
			return nil
		}
	}
	return &parseError{msg: `queries require at least one regexp or equality matcher that does not have an empty-compatible value. For instance, app=~".*" does not meet this requirement, but app=~".+" will`}
}

func (p *qparser) logQuery() (*logQuery, error) {
	ms, err := p.selector()
	if err != nil {
		return nil, err
	}
	if err := checkNotEmptyCompatible(ms); err != nil {
		return nil, err
	}
	stages, err := p.pipeline()
	if err != nil {
		return nil, err
	}
	return &logQuery{matchers: ms, stages: stages}, nil
}

func (p *qparser) pipeline() ([]stage, error) {
	var stages []stage
	for {
		t := p.peek()
		if t.kind != tPunct {
			return stages, nil
		}
		switch t.text {
		case "|=", "|~", "!=", "!~":
			p.next()
			v, err := p.expect(tString, "STRING")
			if err != nil {
				return nil, err
			}
			f := lineFilter{op: t.text, value: v.text}
			if t.text == "|~" || t.text == "!~" {
				re, err := compileRegexp(v.text)
				if err != nil {
					return nil, &parseError{v.line, v.col, "invalid regex: " + err.Error()}
				}
				f.re = re
			}
			stages = append(stages, f)
		case "|":
			p.next()
			s, err := p.pipeStage()
			if err != nil {
				return nil, err
			}
			stages = append(stages, s)
		default:
			return stages, nil
		}
	}
}

func (p *qparser) pipeStage() (stage, error) {
	t := p.peek()
	if t.kind == tIdent {
		switch {
		case t.text == "json" || t.text == "logfmt":
			p.next()
			if n := p.peek(); n.kind == tIdent || (n.kind == tPunct && n.text == "-") {
				return nil, &parseError{n.line, n.col, t.text + " parameters are not supported by lokitest"}
			}
			return parserStage{kind: t.text}, nil
		case t.text == "drop" || t.text == "keep":
			p.next()
			var ms []*matcher
			for {
				name, err := p.expect(tIdent, "IDENTIFIER")
				if err != nil {
					return nil, err
				}
				m := &matcher{name: name.text}
				if o := p.peek(); o.kind == tPunct && (o.text == "=" || o.text == "!=" || o.text == "=~" || o.text == "!~") {
					p.next()
					v, err := p.expect(tString, "STRING")
					if err != nil {
						return nil, err
					}
					if m, err = newMatcher(name.text, matchOp(o.text), v.text); err != nil {
						return nil, &parseError{v.line, v.col, "invalid regex: " + err.Error()}
					}
				}
				ms = append(ms, m)
				if !p.isPunct(",") {
					break
				}
				p.next()
			}
			if t.text == "drop" {
				return dropStage{ms}, nil
			}
			return keepStage{ms}, nil
		case t.text == "line_format":
			p.next()
			v, err := p.expect(tString, "STRING")
			if err != nil {
				return nil, err
			}
			tmpl, st, err := newLineTemplate(v.text)
			if err != nil {
				return nil, &parseError{v.line, v.col, "invalid line template: " + err.Error()}
			}
			return lineFormatStage{tmpl, st}, nil
		case unsupported[t.text] && !p.nextIsOp():
			return nil, &parseError{t.line, t.col, fmt.Sprintf("%s is not supported by lokitest", t.text)}
		}
	}
	if t.kind == tIdent || (t.kind == tPunct && t.text == "(") {
		f, err := p.labelOr()
		if err != nil {
			return nil, err
		}
		return labelFilterStage{f}, nil
	}
	return nil, p.unexpected(t, "IDENTIFIER", "json", "logfmt")
}

// nextIsOp reports whether the token after the current one is a
// comparison, i.e. the current identifier is a label name.
func (p *qparser) nextIsOp() bool {
	if p.pos+1 >= len(p.toks) {
		return false
	}
	t := p.toks[p.pos+1]
	return t.kind == tPunct && strings.Contains("= != =~ !~ > >= < <= ==", t.text)
}

func (p *qparser) labelOr() (labelFilter, error) {
	l, err := p.labelAnd()
	if err != nil {
		return nil, err
	}
	for p.isIdent("or") {
		p.next()
		r, err := p.labelAnd()
		if err != nil {
			return nil, err
		}
		l = lfBinary{and: false, l: l, r: r}
	}
	return l, nil
}

func (p *qparser) labelAnd() (labelFilter, error) {
	l, err := p.labelPrimary()
	if err != nil {
		return nil, err
	}
	for p.isIdent("and") || p.isPunct(",") {
		p.next()
		r, err := p.labelPrimary()
		if err != nil {
			return nil, err
		}
		l = lfBinary{and: true, l: l, r: r}
	}
	return l, nil
}

func (p *qparser) labelPrimary() (labelFilter, error) {
	if p.isPunct("(") {
		if p.depth++; p.depth > maxDepth {
			return nil, &parseError{msg: "query nested too deeply"}
		}
		defer func() { p.depth-- }()
		p.next()
		f, err := p.labelOr()
		if err != nil {
			return nil, err
		}
		return f, p.expectPunct(")")
	}
	name, err := p.expect(tIdent, "IDENTIFIER")
	if err != nil {
		return nil, err
	}
	op := p.next()
	if op.kind != tPunct {
		return nil, p.unexpected(op, "=", "!=", "=~", "!~", ">", ">=", "<", "<=", "==")
	}
	val := p.next()
	switch {
	case val.kind == tString && (op.text == "=" || op.text == "!=" || op.text == "=~" || op.text == "!~" || op.text == "=="):
		o := op.text
		if o == "==" {
			o = "="
		}
		m, err := newMatcher(name.text, matchOp(o), val.text)
		if err != nil {
			return nil, &parseError{val.line, val.col, "invalid regex: " + err.Error()}
		}
		return lfString{m}, nil
	case (val.kind == tNumber || val.kind == tDuration) && strings.Contains("> >= < <= == = !=", op.text):
		o := op.text
		if o == "=" {
			o = "=="
		}
		f := lfNumber{name: name.text, op: o}
		if val.kind == tNumber {
			v, err := strconv.ParseFloat(val.text, 64)
			if err != nil {
				return nil, &parseError{val.line, val.col, "syntax error: invalid number " + val.text}
			}
			f.value = v
		} else if d, err := parseDuration(val.text); err == nil {
			f.value, f.unit = d.Seconds(), unitDuration
		} else if b, ok := parseBytes(val.text); ok {
			f.value, f.unit = b, unitBytes
		} else {
			return nil, &parseError{val.line, val.col, "syntax error: invalid duration or size " + val.text}
		}
		return f, nil
	case op.text == "=" || op.text == "!=" || op.text == "=~" || op.text == "!~" || op.text == ">" ||
		op.text == ">=" || op.text == "<" || op.text == "<=" || op.text == "==":
		return nil, p.unexpected(val, "STRING", "NUMBER", "DURATION")
	}
	return nil, p.unexpected(op, "=", "!=", "=~", "!~", ">", ">=", "<", "<=", "==")
}
