package lokitest

import (
	"regexp"
	"text/template"
	"time"
)

// The LogQL subset the test server understands: see the contract README,
// section 6. A query is either a log query (*logQuery) or a metric query
// (a sampleExpr).

type matchOp string

const (
	opEq  matchOp = "="
	opNeq matchOp = "!="
	opRe  matchOp = "=~"
	opNre matchOp = "!~"
)

// matcher is one stream-selector or string label-filter condition.
type matcher struct {
	name  string
	op    matchOp
	value string
	re    *regexp.Regexp // fully anchored, for =~ and !~
}

func newMatcher(name string, op matchOp, value string) (*matcher, error) {
	m := &matcher{name: name, op: op, value: value}
	if op == opRe || op == opNre {
		re, err := regexp.Compile("^(?:" + value + ")$")
		if err != nil {
			return nil, err
		}
		m.re = re
	}
	return m, nil
}

func (m *matcher) matches(v string) bool {
	switch m.op {
	case opEq:
		return v == m.value
	case opNeq:
		return v != m.value
	case opRe:
		return m.re.MatchString(v)
	default:
		return !m.re.MatchString(v)
	}
}

// logQuery is a selector and its pipeline.
type logQuery struct {
	matchers []*matcher
	stages   []stage
}

// stage is one pipeline step: a line filter, a parser, a label filter,
// drop, keep or line_format.
type stage interface{ isStage() }

type lineFilter struct {
	op    string // |= != |~ !~
	value string
	re    *regexp.Regexp // unanchored
}

type parserStage struct{ kind string } // "json" or "logfmt"

type labelFilterStage struct{ f labelFilter }

type dropStage struct{ labels []*matcher } // op "" drops by name only

type keepStage struct{ labels []*matcher }

type lineFormatStage struct {
	tmpl  *template.Template
	state *lineState
}

func (lineFilter) isStage()       {}
func (parserStage) isStage()      {}
func (labelFilterStage) isStage() {}
func (dropStage) isStage()        {}
func (keepStage) isStage()        {}
func (lineFormatStage) isStage()  {}

// labelFilter is a tree of label conditions joined by and/or.
type labelFilter interface{ isLabelFilter() }

type lfBinary struct {
	and  bool
	l, r labelFilter
}

type lfString struct{ m *matcher }

type lfNumber struct {
	name  string
	op    string // > >= < <= == !=
	value float64
	unit  unitKind // how label values are read before comparing
}

type unitKind int

const (
	unitNumber   unitKind = iota
	unitDuration          // value in seconds; labels like "1.5s" or "250ms"
	unitBytes             // value in bytes; labels like "20MB"
)

func (lfBinary) isLabelFilter() {}
func (lfString) isLabelFilter() {}
func (lfNumber) isLabelFilter() {}

// sampleExpr is a metric expression.
type sampleExpr interface{ isSample() }

type rangeAgg struct {
	op     string // count_over_time, rate, bytes_over_time, bytes_rate
	log    *logQuery
	window time.Duration
}

type grouping struct {
	set     bool // by/without given
	without bool
	labels  []string
}

type vectorAgg struct {
	op    string // sum, count, avg, min, max, topk, bottomk
	group grouping
	param int // topk/bottomk
	inner sampleExpr
}

type binaryExpr struct {
	op   string // + - * / %
	l, r sampleExpr
}

type literal struct{ v float64 }

type vectorLit struct{ v float64 }

func (*rangeAgg) isSample()   {}
func (*vectorAgg) isSample()  {}
func (*binaryExpr) isSample() {}
func (*literal) isSample()    {}
func (*vectorLit) isSample()  {}
