package tempotest

import (
	"regexp"
	"strings"
)

type intrinsic int

const (
	iNone intrinsic = iota
	iName
	iStatus
	iStatusMessage
	iKind
	iDuration
	iTraceDuration
	iRootService
	iRootName
	iTraceID
	iSpanID
	iParentID
	iEventName
	iScopeName
	iScopeVersion
)

// intrinsics maps every spelling Tempo accepts, old and scoped.
var intrinsics = map[string]intrinsic{
	"name": iName, "span:name": iName,
	"status": iStatus, "span:status": iStatus,
	"statusMessage": iStatusMessage, "span:statusMessage": iStatusMessage,
	"kind": iKind, "span:kind": iKind,
	"duration": iDuration, "span:duration": iDuration,
	"trace:duration": iTraceDuration, "traceDuration": iTraceDuration,
	"trace:rootService": iRootService, "rootServiceName": iRootService,
	"trace:rootName": iRootName, "rootName": iRootName,
	"trace:id": iTraceID, "span:id": iSpanID, "span:parentID": iParentID,
	"event:name":           iEventName,
	"instrumentation:name": iScopeName, "instrumentation:version": iScopeVersion,
}

// query is a parsed TraceQL query.
type query struct {
	root spansetNode
	// echo lists what search results repeat on each span, in query order.
	echo []echoRef
}

type echoRef struct {
	key   string // without scope: service.name, status, kind
	scope string // attribute scope; "" unscoped
	in    intrinsic
}

type spansetNode interface{ isSpanset() }

// filterNode is { expr }; a nil expr matches every span.
type filterNode struct{ expr fieldNode }

// spansetOp combines spansets: && || (different spans of one trace) and the
// structural operators > >> < << ~ (which return right-hand spans).
type spansetOp struct {
	op   tokKind
	l, r spansetNode
}

func (filterNode) isSpanset() {}
func (spansetOp) isSpanset()  {}

type fieldNode interface{ eval(c *evalCtx) bool }

type boolOp struct {
	and  bool
	l, r fieldNode
}

type notOp struct{ x fieldNode }

type staticBool bool

type comparison struct {
	op   tokKind
	l, r operand
	re   *regexp.Regexp // for =~ and !~, fully anchored
}

// operand is a literal, an attribute or an intrinsic.
type operand struct {
	lit   []value // one literal value; nil for attributes and intrinsics
	isNil bool
	attr  bool
	scope string
	name  string
	in    intrinsic
}

type parser struct {
	toks []token
	pos  int
	q    *query
}

// parseQuery parses the essential TraceQL subset; anything else is a
// *ParseError, never a panic.
func parseQuery(q string) (*query, error) {
	toks, err := lex(q)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks, q: &query{}}
	root, err := p.spansetOr()
	if err != nil {
		return nil, err
	}
	switch t := p.peek(); t.kind {
	case tEOF:
	case tPipe:
		return nil, p.fail(t, "tempotest does not support pipelines: unexpected PIPE")
	case tIdent:
		if t.text == "with" {
			return nil, p.fail(t, "tempotest does not support query hints: unexpected with")
		}
		return nil, p.unexpected(t)
	default:
		return nil, p.unexpected(t)
	}
	p.q.root = root
	return p.q, nil
}

func (p *parser) peek() token { return p.toks[p.pos] }

func (p *parser) next() token {
	t := p.toks[p.pos]
	if t.kind != tEOF {
		p.pos++
	}
	return t
}

func (p *parser) fail(t token, msg string) error {
	return &ParseError{Line: t.line, Col: t.col, Msg: msg}
}

func (p *parser) unexpected(t token) error {
	return p.fail(t, "syntax error: unexpected "+tokNames[t.kind])
}

func (p *parser) expect(k tokKind) error {
	if t := p.next(); t.kind != k {
		return p.fail(t, "syntax error: unexpected "+tokNames[t.kind]+", expecting "+tokNames[k])
	}
	return nil
}

func (p *parser) spansetOr() (spansetNode, error) {
	l, err := p.spansetAnd()
	for err == nil && p.peek().kind == tOr {
		p.next()
		var r spansetNode
		if r, err = p.spansetAnd(); err == nil {
			l = spansetOp{op: tOr, l: l, r: r}
		}
	}
	return l, err
}

func (p *parser) spansetAnd() (spansetNode, error) {
	l, err := p.spansetStructural()
	for err == nil && p.peek().kind == tAnd {
		p.next()
		var r spansetNode
		if r, err = p.spansetStructural(); err == nil {
			l = spansetOp{op: tAnd, l: l, r: r}
		}
	}
	return l, err
}

func (p *parser) spansetStructural() (spansetNode, error) {
	l, err := p.spansetPrimary()
	for err == nil {
		op := p.peek().kind
		if op != tGt && op != tDesc && op != tLt && op != tAnc && op != tTilde {
			break
		}
		p.next()
		var r spansetNode
		if r, err = p.spansetPrimary(); err == nil {
			l = spansetOp{op: op, l: l, r: r}
		}
	}
	return l, err
}

func (p *parser) spansetPrimary() (spansetNode, error) {
	switch t := p.next(); t.kind {
	case tOpenBrace:
		if p.peek().kind == tCloseBrace {
			p.next()
			return filterNode{}, nil
		}
		e, err := p.fieldOr()
		if err != nil {
			return nil, err
		}
		return filterNode{expr: e}, p.expect(tCloseBrace)
	case tOpenParen:
		n, err := p.spansetOr()
		if err != nil {
			return nil, err
		}
		return n, p.expect(tCloseParen)
	default:
		return nil, p.unexpected(t)
	}
}

func (p *parser) fieldOr() (fieldNode, error) {
	l, err := p.fieldAnd()
	for err == nil && p.peek().kind == tOr {
		p.next()
		var r fieldNode
		if r, err = p.fieldAnd(); err == nil {
			l = boolOp{and: false, l: l, r: r}
		}
	}
	return l, err
}

func (p *parser) fieldAnd() (fieldNode, error) {
	l, err := p.fieldUnary()
	for err == nil && p.peek().kind == tAnd {
		p.next()
		var r fieldNode
		if r, err = p.fieldUnary(); err == nil {
			l = boolOp{and: true, l: l, r: r}
		}
	}
	return l, err
}

func (p *parser) fieldUnary() (fieldNode, error) {
	if p.peek().kind == tNot {
		p.next()
		x, err := p.fieldUnary()
		return notOp{x: x}, err
	}
	return p.fieldPrimary()
}

func (p *parser) fieldPrimary() (fieldNode, error) {
	if p.peek().kind == tOpenParen {
		p.next()
		e, err := p.fieldOr()
		if err != nil {
			return nil, err
		}
		return e, p.expect(tCloseParen)
	}
	l, err := p.operand()
	if err != nil {
		return nil, err
	}
	opTok := p.peek()
	switch opTok.kind {
	case tEq, tNeq, tGt, tGte, tLt, tLte, tRe, tNre:
	default:
		if len(l.lit) == 1 && l.lit[0].t == vBool {
			return staticBool(l.lit[0].n == 1), nil
		}
		return nil, p.unexpected(opTok)
	}
	p.next()
	rTok := p.peek()
	r, err := p.operand()
	if err != nil {
		return nil, err
	}
	c := comparison{op: opTok.kind, l: l, r: r}
	if c.op == tRe || c.op == tNre {
		if len(r.lit) != 1 || r.lit[0].t != vString {
			return nil, p.fail(rTok, "syntax error: a regular expression must be a string")
		}
		re, err := regexp.Compile("^(?:" + r.lit[0].s + ")$")
		if err != nil {
			return nil, p.fail(rTok, "invalid regular expression: "+err.Error())
		}
		c.re = re
	}
	// trace:id literals may be zero-stripped like search results: pad them.
	for _, pair := range [][2]*operand{{&c.l, &c.r}, {&c.r, &c.l}} {
		if pair[0].in == iTraceID && len(pair[1].lit) == 1 && pair[1].lit[0].t == vString {
			if s := pair[1].lit[0].s; len(s) <= 32 {
				pair[1].lit = []value{{t: vString, s: strings.Repeat("0", 32-len(s)) + strings.ToLower(s)}}
			}
		}
	}
	p.noteEcho(l)
	p.noteEcho(r)
	return c, nil
}

func (p *parser) operand() (operand, error) {
	t := p.next()
	switch t.kind {
	case tString:
		return operand{lit: []value{{t: vString, s: t.text}}}, nil
	case tInt:
		return operand{lit: []value{{t: vInt, n: t.i}}}, nil
	case tFloat:
		return operand{lit: []value{{t: vFloat, f: t.f}}}, nil
	case tDuration:
		return operand{lit: []value{{t: vDuration, n: t.i}}}, nil
	case tTrue, tFalse:
		b := int64(0)
		if t.kind == tTrue {
			b = 1
		}
		return operand{lit: []value{{t: vBool, n: b}}}, nil
	case tNil:
		return operand{isNil: true}, nil
	case tStatus:
		return operand{lit: []value{{t: vStatus, n: statusCodes[t.text]}}}, nil
	case tKind:
		return operand{lit: []value{{t: vKind, n: kindCodes[t.text]}}}, nil
	case tIntrinsic:
		return operand{in: intrinsics[t.text], name: t.text}, nil
	case tAttribute:
		return operand{attr: true, scope: t.scope, name: t.text}, nil
	}
	return operand{}, p.unexpected(t)
}

// noteEcho records what search results repeat: attributes by bare name,
// status and kind as words; never name, duration or trace-level intrinsics.
func (p *parser) noteEcho(o operand) {
	var ref echoRef
	switch {
	case o.attr:
		ref = echoRef{key: o.name, scope: o.scope}
	case o.in == iStatus:
		ref = echoRef{key: "status", in: iStatus}
	case o.in == iKind:
		ref = echoRef{key: "kind", in: iKind}
	default:
		return
	}
	for _, e := range p.q.echo {
		if e.key == ref.key {
			return
		}
	}
	p.q.echo = append(p.q.echo, ref)
}
