package tempotest

import (
	"encoding/base64"
	"encoding/hex"

	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
)

type vtype uint8

const (
	vString vtype = iota + 1
	vInt
	vFloat
	vBool
	vDuration
	vStatus
	vKind
)

// value is one typed TraceQL value; n holds ints, durations (ns), bools
// (0/1), status and kind codes (the OTLP enum numbers).
type value struct {
	t vtype
	s string
	n int64
	f float64
}

var statusCodes = map[string]int64{"unset": 0, "ok": 1, "error": 2}

var kindCodes = map[string]int64{"unspecified": 0, "internal": 1, "server": 2, "client": 3, "producer": 4, "consumer": 5}

// traceInfo is what trace-level intrinsics read.
type traceInfo struct {
	idHex       string
	durationNs  int64
	rootService string
	rootName    string
}

type evalCtx struct {
	ref spanRef
	tr  *traceInfo
}

func (b boolOp) eval(c *evalCtx) bool {
	if b.and {
		return b.l.eval(c) && b.r.eval(c)
	}
	return b.l.eval(c) || b.r.eval(c)
}

func (n notOp) eval(c *evalCtx) bool { return !n.x.eval(c) }

func (s staticBool) eval(*evalCtx) bool { return bool(s) }

func (cmp comparison) eval(c *evalCtx) bool {
	switch {
	case cmp.r.isNil || cmp.l.isNil:
		other := cmp.l
		if cmp.l.isNil {
			other = cmp.r
		}
		present := len(other.values(c)) > 0
		switch cmp.op {
		case tEq:
			return !present
		case tNeq:
			return present
		}
		return false
	}
	ls, rs := cmp.l.values(c), cmp.r.values(c)
	if len(ls) == 0 || len(rs) == 0 {
		return false
	}
	// != and !~ hold when no pair of comparable values is equal or matches
	// (Tempo 3.0's rule for arrays); the others when any pair does.
	op, negative := cmp.op, false
	switch op {
	case tNeq:
		op, negative = tEq, true
	case tNre:
		op, negative = tRe, true
	}
	comparable := false
	for _, a := range ls {
		for _, b := range rs {
			res, ok := compareOne(op, a, b, cmp)
			if !ok {
				continue // different types never match
			}
			comparable = true
			if res && !negative {
				return true
			}
			if res && negative {
				return false
			}
		}
	}
	return negative && comparable
}

func compareOne(op tokKind, a, b value, cmp comparison) (bool, bool) {
	if op == tRe {
		if a.t != vString {
			return false, false
		}
		return cmp.re.MatchString(a.s), true
	}
	num := func(v value) (float64, bool) {
		switch v.t {
		case vInt:
			return float64(v.n), true
		case vFloat:
			return v.f, true
		}
		return 0, false
	}
	var c int
	switch {
	case a.t == vInt && b.t == vInt, a.t == vDuration && b.t == vDuration:
		c = cmp3(a.n, b.n)
	case a.t == vString && b.t == vString:
		c = cmp3(a.s, b.s)
	case a.t == b.t && (a.t == vBool || a.t == vStatus || a.t == vKind):
		if op != tEq {
			return false, false
		}
		return a.n == b.n, true
	default:
		x, ok1 := num(a)
		y, ok2 := num(b)
		if !ok1 || !ok2 {
			return false, false
		}
		c = cmp3(x, y)
	}
	switch op {
	case tEq:
		return c == 0, true
	case tGt:
		return c > 0, true
	case tGte:
		return c >= 0, true
	case tLt:
		return c < 0, true
	case tLte:
		return c <= 0, true
	}
	return false, false
}

func cmp3[T int64 | float64 | string](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// values returns an operand's values for one span: none when absent,
// several for arrays and for event or link attributes (any may match).
func (o operand) values(c *evalCtx) []value {
	if o.lit != nil {
		return o.lit
	}
	sp := c.ref.span
	if o.attr {
		switch o.scope {
		case "span":
			return attrValues(nil, sp.Attributes, o.name)
		case "resource":
			return attrValues(nil, c.ref.resource.GetAttributes(), o.name)
		case "instrumentation":
			return attrValues(nil, c.ref.scope.GetAttributes(), o.name)
		case "event":
			var out []value
			for _, ev := range sp.Events {
				out = attrValues(out, ev.GetAttributes(), o.name)
			}
			return out
		case "link":
			var out []value
			for _, l := range sp.Links {
				out = attrValues(out, l.GetAttributes(), o.name)
			}
			return out
		}
		if v := attrValues(nil, sp.Attributes, o.name); v != nil {
			return v
		}
		return attrValues(nil, c.ref.resource.GetAttributes(), o.name)
	}
	one := func(v value) []value { return []value{v} }
	switch o.in {
	case iName:
		return one(value{t: vString, s: sp.Name})
	case iStatus:
		return one(value{t: vStatus, n: int64(sp.GetStatus().GetCode())})
	case iStatusMessage:
		return one(value{t: vString, s: sp.GetStatus().GetMessage()})
	case iKind:
		return one(value{t: vKind, n: int64(sp.Kind)})
	case iDuration:
		return one(value{t: vDuration, n: spanDuration(sp)})
	case iTraceDuration:
		return one(value{t: vDuration, n: c.tr.durationNs})
	case iRootService:
		return one(value{t: vString, s: c.tr.rootService})
	case iRootName:
		return one(value{t: vString, s: c.tr.rootName})
	case iTraceID:
		return one(value{t: vString, s: c.tr.idHex})
	case iSpanID:
		return one(value{t: vString, s: hex.EncodeToString(sp.SpanId)})
	case iParentID:
		return one(value{t: vString, s: hex.EncodeToString(sp.ParentSpanId)})
	case iEventName:
		var out []value
		for _, ev := range sp.Events {
			out = append(out, value{t: vString, s: ev.GetName()})
		}
		return out
	case iScopeName:
		return one(value{t: vString, s: c.ref.scope.GetName()})
	case iScopeVersion:
		return one(value{t: vString, s: c.ref.scope.GetVersion()})
	}
	return nil
}

func spanDuration(sp *tracepb.Span) int64 {
	if sp.EndTimeUnixNano < sp.StartTimeUnixNano {
		return 0
	}
	return int64(sp.EndTimeUnixNano - sp.StartTimeUnixNano)
}

func attrValues(out []value, kvs []*commonpb.KeyValue, key string) []value {
	for _, kv := range kvs {
		if kv.GetKey() == key {
			return appendAnyValue(out, kv.GetValue())
		}
	}
	return out
}

func appendAnyValue(out []value, v *commonpb.AnyValue) []value {
	switch x := v.GetValue().(type) {
	case *commonpb.AnyValue_StringValue:
		return append(out, value{t: vString, s: x.StringValue})
	case *commonpb.AnyValue_IntValue:
		return append(out, value{t: vInt, n: x.IntValue})
	case *commonpb.AnyValue_DoubleValue:
		return append(out, value{t: vFloat, f: x.DoubleValue})
	case *commonpb.AnyValue_BoolValue:
		b := int64(0)
		if x.BoolValue {
			b = 1
		}
		return append(out, value{t: vBool, n: b})
	case *commonpb.AnyValue_BytesValue:
		return append(out, value{t: vString, s: base64.StdEncoding.EncodeToString(x.BytesValue)})
	case *commonpb.AnyValue_ArrayValue:
		for _, e := range x.ArrayValue.GetValues() {
			out = appendAnyValue(out, e)
		}
	}
	return out
}

// match returns the indexes, in storage order, of the spans that q
// selects in one trace; none means the trace does not match.
func (q *query) match(spans []spanRef, tr *traceInfo) []int {
	return evalSpanset(q.root, spans, tr)
}

func evalSpanset(n spansetNode, spans []spanRef, tr *traceInfo) []int {
	switch x := n.(type) {
	case filterNode:
		var out []int
		c := &evalCtx{tr: tr}
		for i, ref := range spans {
			c.ref = ref
			if x.expr == nil || x.expr.eval(c) {
				out = append(out, i)
			}
		}
		return out
	case spansetOp:
		l := evalSpanset(x.l, spans, tr)
		r := evalSpanset(x.r, spans, tr)
		switch x.op {
		case tAnd:
			if len(l) == 0 || len(r) == 0 {
				return nil
			}
			return union(l, r)
		case tOr:
			return union(l, r)
		}
		return structural(x.op, l, r, spans)
	}
	return nil
}

func union(a, b []int) []int {
	out := make([]int, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case j >= len(b) || i < len(a) && a[i] < b[j]:
			out = append(out, a[i])
			i++
		case i >= len(a) || b[j] < a[i]:
			out = append(out, b[j])
			j++
		default:
			out = append(out, a[i])
			i, j = i+1, j+1
		}
	}
	return out
}

// structural keeps the right-hand spans related to some left-hand span:
// > child, >> descendant, < parent, << ancestor, ~ sibling.
func structural(op tokKind, l, r []int, spans []spanRef) []int {
	if len(l) == 0 || len(r) == 0 {
		return nil
	}
	index := make(map[string]int, len(spans))
	for i, s := range spans {
		index[string(s.span.SpanId)] = i
	}
	parent := func(i int) int {
		p, ok := index[string(spans[i].span.ParentSpanId)]
		if !ok || len(spans[i].span.ParentSpanId) == 0 || p == i {
			return -1
		}
		return p
	}
	// related walks up from a; the depth bound guards against cycles.
	related := func(a, b int) bool { // is a the parent (> <) or an ancestor (>> <<) of b?
		for p, n := parent(b), 0; p >= 0 && n < len(spans); p, n = parent(p), n+1 {
			if p == a {
				return true
			}
			if op == tGt || op == tLt {
				return false
			}
		}
		return false
	}
	var out []int
	for _, b := range r {
		keep := false
		for _, a := range l {
			switch op {
			case tGt, tDesc:
				keep = related(a, b)
			case tLt, tAnc:
				keep = related(b, a)
			case tTilde:
				keep = a != b && parent(a) >= 0 && parent(a) == parent(b)
			}
			if keep {
				break
			}
		}
		if keep {
			out = append(out, b)
		}
	}
	return out
}
