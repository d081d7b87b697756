package logline

import (
	"regexp/syntax"
	"strings"
	"unicode"
	"unicode/utf8"
)

// seqMatcher runs a regex that is a plain sequence — literals, character
// classes and their greedy repetitions, word boundaries, line and text
// anchors, capture groups — beginning with a literal, as the derived-field
// rules usually are (`"trace_?[iI][dD]"\s*:\s*"([^"]*)"`). They run over
// every line of a logs page, and regexp's backtracker costs more per line
// than the rest of the row; this walks the sequence directly from each
// place the literal occurs. It finds what regexp finds (leftmost-first,
// the same captures; FuzzSeqMatcher holds it to that) or says it gave up,
// after a step budget linear in the line, and the caller asks regexp.
type seqMatcher struct {
	items []seqItem
	lead  literal // every match starts with it, after zero-width items
	ncap  int     // capture slots: 2 × (groups + 1)
	// linear says no item ever gives back what it took (every run is
	// possessive): a match is one walk, with no capture to undo.
	linear bool
}

type itemKind uint8

const (
	itemLit         itemKind = iota // lit, exactly
	itemClass                       // a rune of class, min to max times (max < 0: unbounded), greedily
	itemCapOpen                     // capture slot
	itemCapClose                    // capture slot
	itemWordBound                   // \b
	itemNoWordBound                 // \B
	itemBeginText                   // ^ (not multi-line), \A
	itemEndText                     // $ (not multi-line), \z
	itemBeginLine                   // (?m)^
	itemEndLine                     // (?m)$
)

type seqItem struct {
	kind     itemKind
	lit      string
	class    runeClass
	min, max int
	slot     int
	// possessive says a run need not give back runes (see compileSeq).
	possessive bool
}

// runeClass is a set of runes: a bitmap for ASCII, sorted ranges beyond.
type runeClass struct {
	ascii  [2]uint64
	ranges []rune // lo, hi pairs, for runes ≥ utf8.RuneSelf
}

func newRuneClass(pairs []rune) runeClass {
	var c runeClass
	for i := 0; i+1 < len(pairs); i += 2 {
		lo, hi := pairs[i], pairs[i+1]
		for r := lo; r <= hi && r < utf8.RuneSelf; r++ {
			c.ascii[r>>6] |= 1 << (r & 63)
		}
		if hi >= utf8.RuneSelf {
			c.ranges = append(c.ranges, max(lo, utf8.RuneSelf), hi)
		}
	}
	return c
}

func (c *runeClass) has(r rune) bool {
	if r < utf8.RuneSelf {
		return c.ascii[r>>6]&(1<<(r&63)) != 0
	}
	for i := 0; i < len(c.ranges); i += 2 {
		if r < c.ranges[i] {
			return false
		}
		if r <= c.ranges[i+1] {
			return true
		}
	}
	return false
}

// disjoint says no rune is in both a and b.
func disjoint(a, b *runeClass) bool {
	if a.ascii[0]&b.ascii[0] != 0 || a.ascii[1]&b.ascii[1] != 0 {
		return false
	}
	for i := 0; i < len(a.ranges); i += 2 {
		for j := 0; j < len(b.ranges); j += 2 {
			if a.ranges[i] <= b.ranges[j+1] && b.ranges[j] <= a.ranges[i+1] {
				return false
			}
		}
	}
	return true
}

// compileSeq is expr's seqMatcher, or nil when expr is not such a sequence
// (alternations, repeated groups, lazy repetitions, no leading literal…).
func compileSeq(expr string) *seqMatcher {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return nil
	}
	m := &seqMatcher{ncap: 2 * (re.MaxCap() + 1)}
	if !m.add(re) {
		return nil
	}
	for _, it := range m.items {
		if it.kind == itemLit {
			m.lead = newLiteral(it.lit)
			break
		}
		if it.kind == itemClass || it.kind == itemEndText || it.kind == itemEndLine {
			return nil // a match need not start with a literal
		}
	}
	if m.lead.s == "" {
		return nil
	}
	m.linear = true
	for k := range m.items {
		it := &m.items[k]
		if it.kind != itemClass || it.min == it.max {
			continue
		}
		// A run followed by a literal it cannot take the first rune of
		// (or by a class it shares no rune with) gives nothing back: what
		// follows could only start inside the run, on a rune of its class.
		next := k + 1
		for next < len(m.items) && (m.items[next].kind == itemCapOpen || m.items[next].kind == itemCapClose) {
			next++
		}
		switch {
		case next == len(m.items): // the match ends with the run
			it.possessive = true
		case m.items[next].kind == itemLit:
			r, _ := utf8.DecodeRuneInString(m.items[next].lit)
			it.possessive = !it.class.has(r)
		case m.items[next].kind == itemClass && m.items[next].min > 0:
			it.possessive = disjoint(&it.class, &m.items[next].class)
		}
		m.linear = m.linear && it.possessive
	}
	return m
}

func (m *seqMatcher) add(re *syntax.Regexp) bool {
	if kind, ok := assertions[re.Op]; ok {
		m.items = append(m.items, seqItem{kind: kind})
		return true
	}
	switch re.Op {
	case syntax.OpConcat:
		for _, sub := range re.Sub {
			if !m.add(sub) {
				return false
			}
		}
		return true
	case syntax.OpEmptyMatch:
		return true
	case syntax.OpLiteral:
		if re.Flags&syntax.FoldCase == 0 {
			for _, r := range re.Rune {
				if r == utf8.RuneError {
					return false // regexp reads invalid bytes as U+FFFD
				}
			}
			m.lit(string(re.Rune))
			return true
		}
		for _, r := range re.Rune {
			fold := []rune{r, r}
			for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
				fold = append(fold, f, f)
			}
			cls, ok := classOf(&syntax.Regexp{Op: syntax.OpCharClass, Rune: sortPairs(fold)})
			if !ok {
				return false
			}
			m.items = append(m.items, seqItem{kind: itemClass, class: cls, min: 1, max: 1})
		}
		return true
	case syntax.OpCharClass, syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		cls, ok := classOf(re)
		if !ok {
			return false
		}
		m.items = append(m.items, seqItem{kind: itemClass, class: cls, min: 1, max: 1})
		return true
	case syntax.OpStar, syntax.OpPlus, syntax.OpQuest, syntax.OpRepeat:
		if re.Flags&syntax.NonGreedy != 0 {
			return false
		}
		cls, ok := classOf(re.Sub[0])
		if !ok {
			return false
		}
		lo, hi := 0, -1
		switch re.Op {
		case syntax.OpPlus:
			lo = 1
		case syntax.OpQuest:
			hi = 1
		case syntax.OpRepeat:
			lo, hi = re.Min, re.Max
		}
		m.items = append(m.items, seqItem{kind: itemClass, class: cls, min: lo, max: hi})
		return true
	case syntax.OpCapture:
		m.items = append(m.items, seqItem{kind: itemCapOpen, slot: 2 * re.Cap})
		if !m.add(re.Sub[0]) {
			return false
		}
		m.items = append(m.items, seqItem{kind: itemCapClose, slot: 2*re.Cap + 1})
		return true
	}
	return false
}

// assertions are the zero-width items. Go's $ outside (?m) is the end of
// the text only (OpEndText).
var assertions = map[syntax.Op]itemKind{
	syntax.OpWordBoundary: itemWordBound, syntax.OpNoWordBoundary: itemNoWordBound,
	syntax.OpBeginText: itemBeginText, syntax.OpEndText: itemEndText,
	syntax.OpBeginLine: itemBeginLine, syntax.OpEndLine: itemEndLine,
}

// lit appends a literal, joined to a literal just before it.
func (m *seqMatcher) lit(s string) {
	if n := len(m.items); n > 0 && m.items[n-1].kind == itemLit {
		m.items[n-1].lit += s
		return
	}
	m.items = append(m.items, seqItem{kind: itemLit, lit: s})
}

// classOf is the class of one-rune regex re.
func classOf(re *syntax.Regexp) (runeClass, bool) {
	switch re.Op {
	case syntax.OpCharClass:
		return newRuneClass(re.Rune), true
	case syntax.OpAnyChar:
		return newRuneClass([]rune{0, unicode.MaxRune}), true
	case syntax.OpAnyCharNotNL:
		return newRuneClass([]rune{0, '\n' - 1, '\n' + 1, unicode.MaxRune}), true
	case syntax.OpLiteral:
		if len(re.Rune) == 1 && re.Flags&syntax.FoldCase == 0 {
			return newRuneClass([]rune{re.Rune[0], re.Rune[0]}), true
		}
		if len(re.Rune) == 1 {
			var m seqMatcher
			if m.add(re) && len(m.items) == 1 {
				return m.items[0].class, true
			}
		}
	}
	return runeClass{}, false
}

// sortPairs sorts single-rune lo, hi pairs by lo.
func sortPairs(p []rune) []rune {
	for i := 2; i < len(p); i += 2 {
		for j := i; j >= 2 && p[j] < p[j-2]; j -= 2 {
			p[j], p[j-2] = p[j-2], p[j]
			p[j+1], p[j-1] = p[j-1], p[j+1]
		}
	}
	return p
}

// find is the first match starting at from or later, as regexp would
// find it in s (what precedes from still counts for \b and ^), in caps
// (m.ncap slots, -1 for a group that took no part). ok is false for no
// match; gaveUp is true when the budget ran out first.
func (m *seqMatcher) find(s string, from int, caps []int) (ok, gaveUp bool) {
	budget := 64 + 8*len(s)
	for from <= len(s) {
		at := m.lead.index(s, from)
		if at < 0 {
			return false, false
		}
		for j := range caps {
			caps[j] = -1
		}
		end := m.match(s, 0, at, caps, &budget)
		if end >= 0 {
			caps[0], caps[1] = at, end
			return true, false
		}
		if budget < 0 {
			return false, true
		}
		from = at + 1
	}
	return false, false
}

// literal is a string to look for in log lines, by its byte least likely
// in them (IndexByte's vector loop, few false starts) rather than its
// first: `"trace` starts with the byte a JSON line holds most of, and
// strings.Index stops at every one.
type literal struct {
	s    string
	rare int // the place in s of that byte
}

func newLiteral(s string) literal {
	l := literal{s: s}
	for i := range len(s) {
		if byteCommonness(s[i]) < byteCommonness(s[l.rare]) {
			l.rare = i
		}
	}
	return l
}

// index is the first place of l (not empty) in s at from or after, or -1.
func (l *literal) index(s string, from int) int {
	c := l.s[l.rare]
	for i := from + l.rare; i < len(s); {
		j := strings.IndexByte(s[i:], c)
		if j < 0 {
			return -1
		}
		if at := i + j - l.rare; strings.HasPrefix(s[at:], l.s) {
			return at
		}
		i += j + 1
	}
	return -1
}

// byteCommonness ranks how often a byte is met in log lines, JSON or
// logfmt, roughly: quotes, separators, digits (timestamps, hex IDs) and
// the commonest letters first; upper case and symbols last.
func byteCommonness(c byte) int {
	switch {
	case c == '"' || c == ' ' || c == ':' || c == ',' || c >= '0' && c <= '9':
		return 40
	case c >= 'a' && c <= 'z':
		// English letters by frequency, a–f raised for hex IDs.
		const byFrequency = "zqxjkvpygwmulhrsniotfdcbae" // rarest first
		return 10 + strings.IndexByte(byFrequency, c)
	case c == '.' || c == '/' || c == '-' || c == '{' || c == '}' || c == '_':
		return 8
	case c == '=':
		return 6
	case c >= 'A' && c <= 'Z':
		return 4
	}
	return 2
}

// match matches items[k:] at pos: the end of the match, or -1.
func (m *seqMatcher) match(s string, k, pos int, caps []int, budget *int) int {
	for ; k < len(m.items); k++ {
		if *budget--; *budget < 0 {
			return -1
		}
		it := &m.items[k]
		switch it.kind {
		case itemLit:
			if !strings.HasPrefix(s[pos:], it.lit) {
				return -1
			}
			pos += len(it.lit)
		case itemCapOpen, itemCapClose:
			if m.linear {
				caps[it.slot] = pos
				continue
			}
			old := caps[it.slot]
			caps[it.slot] = pos
			if end := m.match(s, k+1, pos, caps, budget); end >= 0 {
				return end
			}
			caps[it.slot] = old
			return -1
		case itemWordBound, itemNoWordBound:
			b := isWordByte(s, pos-1) != isWordByte(s, pos)
			if b != (it.kind == itemWordBound) {
				return -1
			}
		case itemBeginText:
			if pos != 0 {
				return -1
			}
		case itemEndText:
			if pos != len(s) {
				return -1
			}
		case itemBeginLine:
			if pos != 0 && s[pos-1] != '\n' {
				return -1
			}
		case itemEndLine:
			if pos != len(s) && s[pos] != '\n' {
				return -1
			}
		case itemClass:
			// Take as many as allowed, then give back one rune at a time
			// until the rest matches: the greedy preference regexp keeps.
			start, n, most := pos, 0, it.max
			if most < 0 {
				most = len(s) // no more runes than bytes
			}
			lo, hi := it.class.ascii[0], it.class.ascii[1] // held in registers
			for n < most && pos < len(s) {
				if c := s[pos]; c < utf8.RuneSelf {
					// An ASCII byte, the usual case: its bit, in place.
					bits := lo
					if c >= 64 {
						bits = hi
					}
					if bits&(1<<(c&63)) == 0 {
						break
					}
					pos++
					n++
					continue
				}
				r, w := utf8.DecodeRuneInString(s[pos:])
				if !it.class.has(r) {
					break
				}
				pos += w
				n++
			}
			// A step a rune taken, counted once the run is.
			if *budget -= n; *budget < 0 {
				return -1
			}
			if n < it.min {
				return -1
			}
			if it.min == it.max || it.possessive || k == len(m.items)-1 {
				continue
			}
			for {
				if end := m.match(s, k+1, pos, caps, budget); end >= 0 || *budget < 0 {
					return end
				}
				if n == it.min {
					return -1
				}
				_, w := utf8.DecodeLastRuneInString(s[start:pos])
				pos -= w
				n--
			}
		}
	}
	return pos
}

// isWordByte is whether s[i] is an ASCII word character, as \b reads
// them (false outside s; no other rune is a word character).
func isWordByte(s string, i int) bool {
	if i < 0 || i >= len(s) {
		return false
	}
	c := s[i]
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
