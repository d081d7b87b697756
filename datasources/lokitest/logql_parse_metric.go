package lokitest

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Metric expressions: range aggregations over a log query, vector
// aggregations, vector(n), number literals and arithmetic.

// binary operator precedences; higher binds tighter.
var precedence = map[string]int{"+": 1, "-": 1, "*": 2, "/": 2, "%": 2}

func (p *qparser) sample(minPrec int) (sampleExpr, error) {
	l, err := p.primary()
	if err != nil {
		return nil, err
	}
	for {
		t := p.peek()
		prec, ok := precedence[t.text]
		if t.kind != tPunct || !ok || prec < minPrec {
			return l, nil
		}
		p.next()
		r, err := p.sample(prec + 1)
		if err != nil {
			return nil, err
		}
		l = &binaryExpr{op: t.text, l: l, r: r}
	}
}

func (p *qparser) primary() (sampleExpr, error) {
	if p.depth++; p.depth > maxDepth {
		return nil, &parseError{msg: "query nested too deeply"}
	}
	defer func() { p.depth-- }()
	t := p.next()
	switch {
	case t.kind == tNumber:
		v, err := strconv.ParseFloat(t.text, 64)
		if err != nil {
			return nil, &parseError{t.line, t.col, "syntax error: invalid number " + t.text}
		}
		return &literal{v}, nil
	case t.kind == tPunct && t.text == "(":
		e, err := p.sample(0)
		if err != nil {
			return nil, err
		}
		return e, p.expectPunct(")")
	case t.kind == tPunct && t.text == "{":
		// A log query where a metric is needed: parse it to report what
		// follows, as Loki does (sum({job="x"}) → "unexpected )").
		p.pos--
		if _, err := p.logQuery(); err != nil {
			return nil, err
		}
		return nil, p.unexpected(p.peek(), "[")
	case t.kind == tIdent && rangeOps[t.text]:
		return p.rangeAgg(t.text)
	case t.kind == tIdent && aggOps[t.text]:
		return p.vectorAgg(t.text)
	case t.kind == tIdent && t.text == "vector":
		if err := p.expectPunct("("); err != nil {
			return nil, err
		}
		n, err := p.expect(tNumber, "NUMBER")
		if err != nil {
			return nil, err
		}
		v, err := strconv.ParseFloat(n.text, 64)
		if err != nil {
			return nil, &parseError{n.line, n.col, "syntax error: invalid number " + n.text}
		}
		return &vectorLit{v}, p.expectPunct(")")
	case t.kind == tIdent && unsupported[t.text]:
		return nil, &parseError{t.line, t.col, fmt.Sprintf("%s is not supported by lokitest", t.text)}
	}
	return nil, p.unexpected(t)
}

func (p *qparser) rangeAgg(op string) (sampleExpr, error) {
	if err := p.expectPunct("("); err != nil {
		return nil, err
	}
	if !p.isPunct("{") {
		return nil, p.unexpected(p.peek(), "{")
	}
	ms, err := p.selector()
	if err != nil {
		return nil, err
	}
	if err := checkNotEmptyCompatible(ms); err != nil {
		return nil, err
	}
	var window time.Duration
	var stages []stage
	if p.isPunct("[") { // the older form: rate({a="b"}[5m] |= "x")
		if window, err = p.rangeWindow(); err != nil {
			return nil, err
		}
		if stages, err = p.pipeline(); err != nil {
			return nil, err
		}
	} else {
		if stages, err = p.pipeline(); err != nil {
			return nil, err
		}
		if !p.isPunct("[") {
			return nil, p.unexpected(p.peek(), "[")
		}
		if window, err = p.rangeWindow(); err != nil {
			return nil, err
		}
	}
	if err := p.expectPunct(")"); err != nil {
		return nil, err
	}
	return &rangeAgg{op: op, log: &logQuery{matchers: ms, stages: stages}, window: window}, nil
}

func (p *qparser) rangeWindow() (time.Duration, error) {
	if err := p.expectPunct("["); err != nil {
		return 0, err
	}
	t, err := p.expect(tDuration, "DURATION")
	if err != nil {
		return 0, err
	}
	d, err := parseDuration(t.text)
	if err != nil || d <= 0 {
		return 0, &parseError{t.line, t.col, "syntax error: invalid duration " + t.text}
	}
	return d, p.expectPunct("]")
}

func (p *qparser) vectorAgg(op string) (sampleExpr, error) {
	agg := &vectorAgg{op: op}
	var err error
	if p.isIdent("by") || p.isIdent("without") {
		if agg.group, err = p.grouping(); err != nil {
			return nil, err
		}
	}
	if err := p.expectPunct("("); err != nil {
		return nil, err
	}
	if op == "topk" || op == "bottomk" {
		n, err := p.expect(tNumber, "NUMBER")
		if err != nil {
			return nil, err
		}
		k, err := strconv.Atoi(n.text)
		if err != nil || k <= 0 {
			return nil, &parseError{n.line, n.col, "syntax error: invalid parameter for " + op + ": " + n.text}
		}
		agg.param = k
		if err := p.expectPunct(","); err != nil {
			return nil, err
		}
	}
	if agg.inner, err = p.sample(0); err != nil {
		return nil, err
	}
	if err := p.expectPunct(")"); err != nil {
		return nil, err
	}
	if !agg.group.set && (p.isIdent("by") || p.isIdent("without")) {
		if agg.group, err = p.grouping(); err != nil {
			return nil, err
		}
	}
	return agg, nil
}

func (p *qparser) grouping() (grouping, error) {
	g := grouping{set: true, without: p.next().text == "without"}
	if err := p.expectPunct("("); err != nil {
		return g, err
	}
	for !p.isPunct(")") {
		t, err := p.expect(tIdent, "IDENTIFIER")
		if err != nil {
			return g, err
		}
		g.labels = append(g.labels, t.text)
		if !p.isPunct(",") {
			break
		}
		p.next()
	}
	return g, p.expectPunct(")")
}

// parseDuration reads Prometheus-style durations: 5m, 1h30m, 2d, 1w, 250ms.
func parseDuration(s string) (time.Duration, error) {
	units := map[string]time.Duration{
		"ns": time.Nanosecond, "us": time.Microsecond, "µs": time.Microsecond, "ms": time.Millisecond,
		"s": time.Second, "m": time.Minute, "h": time.Hour, "d": 24 * time.Hour, "w": 7 * 24 * time.Hour, "y": 365 * 24 * time.Hour,
	}
	if s == "" {
		return 0, fmt.Errorf("empty duration")
	}
	var total float64
	for s != "" {
		i := 0
		for i < len(s) && (isDigit(s[i]) || s[i] == '.') {
			i++
		}
		j := i
		for j < len(s) && !isDigit(s[j]) && s[j] != '.' {
			j++
		}
		n, err := strconv.ParseFloat(s[:i], 64)
		u, ok := units[s[i:j]]
		if err != nil || !ok {
			return 0, fmt.Errorf("invalid duration %q", s)
		}
		total += n * float64(u)
		s = s[j:]
	}
	if total > math.MaxInt64 {
		return 0, fmt.Errorf("duration out of range")
	}
	return time.Duration(total), nil
}

// parseBytes reads sizes such as 20MB, 1.5KiB or 512B.
func parseBytes(s string) (float64, bool) {
	i := 0
	for i < len(s) && (isDigit(s[i]) || s[i] == '.') {
		i++
	}
	n, err := strconv.ParseFloat(s[:i], 64)
	if err != nil {
		return 0, false
	}
	mult := map[string]float64{"b": 1, "kb": 1e3, "mb": 1e6, "gb": 1e9, "tb": 1e12,
		"kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30, "tib": 1 << 40}[strings.ToLower(s[i:])]
	if mult == 0 {
		return 0, false
	}
	return n * mult, true
}
