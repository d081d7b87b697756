package logline

import (
	"fmt"
	"regexp"
	"regexp/syntax"
	"strings"

	"github.com/ariadne-dev/ariadne/datasources"
)

// DerivedField is one rule that finds a trace ID in a log line, as
// Grafana's Loki "derived fields" do. Exactly one of Regex and Label is
// set: Regex runs over the line and its first capture group is the ID;
// Label names a stream label, structured-metadata key or parsed field
// whose value is the ID.
type DerivedField struct {
	Name  string `yaml:"name" json:"name"`
	Regex string `yaml:"regex,omitempty" json:"regex,omitempty"`
	Label string `yaml:"label,omitempty" json:"label,omitempty"`
}

// DefaultDerivedFields cover the usual spellings: logfmt's trace_id=…,
// JSON's "trace_id":"…", Jaeger-style traceID=…, and trace_id kept as
// structured metadata or a label. They work on the demo without config.
func DefaultDerivedFields() []DerivedField {
	return []DerivedField{
		{Name: "trace_id", Label: "trace_id"},
		{Name: "trace_id", Label: "traceID"},
		{Name: "trace_id", Regex: jsonKeyRegex},
		{Name: "trace_id", Regex: `\btrace_id=([^\s"&,;]+)`},
		{Name: "trace_id", Regex: `\btraceID=([^\s"&,;]+)`},
	}
}

// jsonKeyRegex is the default rule for JSON lines: a string value of a
// key trace_id, traceId, traceID and the like. Over a flat JSON object
// whose keys are written without escapes, its matches are exactly those
// keys' string values (a quote in the text starts or ends a string, and
// only a key's end is followed by a colon); a value with an escape gives
// a capture holding a backslash, never an ID. So a line's fields, read
// already, stand in for the regex (AppendExtractFrom) without a scan of
// the text.
const jsonKeyRegex = `"trace_?[iI][dD]"\s*:\s*"([^"]*)"`

// isTraceKey is whether jsonKeyRegex takes key: trace, an optional
// underscore, then id in either case.
func isTraceKey(key string) bool {
	rest, ok := strings.CutPrefix(key, "trace")
	if !ok {
		return false
	}
	rest = strings.TrimPrefix(rest, "_")
	return len(rest) == 2 && rest[0]|0x20 == 'i' && rest[1]|0x20 == 'd'
}

// TraceRef is one trace ID found in a line, with the rule that found it.
type TraceRef struct {
	Field   string // the rule's name, shown as the link's label
	TraceID string // 32 lower-case hex characters
}

// Deriver applies a compiled set of rules. It is safe for concurrent use.
type Deriver struct {
	rules []compiledRule
}

type compiledRule struct {
	name  string
	re    *regexp.Regexp
	label string
	// lit is a literal every match contains; lead says a match starts
	// with it (after zero-width assertions). Most lines hold no ID, and
	// strings.Index is far cheaper than a regex over the whole line.
	lit  string
	lead bool
	// seq, when the regex is a plain sequence, finds its matches in
	// place of re (the same ones, faster; see seqMatcher).
	seq *seqMatcher
	// jsonKey says the regex is jsonKeyRegex: a line's flat JSON
	// fields give its matches.
	jsonKey bool
}

// CompileDerivedFields checks and compiles rules; an empty list means the
// defaults. A regex must have exactly one capture group.
func CompileDerivedFields(rules []DerivedField) (*Deriver, error) {
	if len(rules) == 0 {
		rules = DefaultDerivedFields()
	}
	d := &Deriver{}
	for i, r := range rules {
		name := r.Name
		if name == "" {
			name = "trace"
		}
		switch {
		case r.Regex != "" && r.Label != "":
			return nil, fmt.Errorf("derived field %d (%s): set either regex or label, not both", i+1, name)
		case r.Regex != "":
			re, err := regexp.Compile(r.Regex)
			if err != nil {
				return nil, fmt.Errorf("derived field %d (%s): %w", i+1, name, err)
			}
			if re.NumSubexp() != 1 {
				return nil, fmt.Errorf("derived field %d (%s): the regex needs exactly one capture group around the ID, it has %d", i+1, name, re.NumSubexp())
			}
			lit, lead := requiredLiteral(r.Regex)
			d.rules = append(d.rules, compiledRule{name: name, re: re, lit: lit, lead: lead, seq: compileSeq(r.Regex), jsonKey: r.Regex == jsonKeyRegex})
		case r.Label != "":
			d.rules = append(d.rules, compiledRule{name: name, label: r.Label})
		default:
			return nil, fmt.Errorf("derived field %d (%s): set a regex or a label", i+1, name)
		}
	}
	return d, nil
}

// MustDefaultDeriver is the deriver of the default rules.
func MustDefaultDeriver() *Deriver {
	d, err := CompileDerivedFields(nil)
	if err != nil {
		panic(err)
	}
	return d
}

// Extract returns the distinct trace IDs the rules find in l, in rule
// order. A candidate counts only when it is a whole 64- or 128-bit ID in
// hex (16 or 32 characters): free text is full of hex-looking words, and a
// link to a trace that cannot exist helps nobody.
func (d *Deriver) Extract(l *datasources.LogLine) []TraceRef {
	return d.AppendExtract(nil, l)
}

// AppendExtract is Extract appending to dst, so a page of lines can share
// one backing array.
func (d *Deriver) AppendExtract(dst []TraceRef, l *datasources.LogLine) []TraceRef {
	return d.AppendExtractFrom(dst, l, nil)
}

// AppendExtractFrom is AppendExtract for a line whose fields the caller
// has read (AppendLineFields of l.Line; nil when it has not): the same
// IDs, the default JSON rule's taken from them (jsonKeyRegex).
func (d *Deriver) AppendExtractFrom(dst []TraceRef, l *datasources.LogLine, lf *LineFields) []TraceRef {
	start := len(dst)
	add := func(name, v string) {
		for _, r := range dst[start:] {
			if r.TraceID == v {
				return // already found in its canonical spelling (metadata and line)
			}
		}
		id, ok := wholeTraceID(v)
		if !ok {
			return
		}
		for _, r := range dst[start:] {
			if r.TraceID == id {
				return
			}
		}
		dst = append(dst, TraceRef{Field: name, TraceID: id})
	}
	fromFields := lf != nil && lf.flat && lf.plain.keys && lf.line == l.Line
	for _, r := range d.rules {
		if r.jsonKey && fromFields {
			for i, f := range lf.Fields {
				if lf.plain.strings&(1<<i) != 0 && isTraceKey(f.Key) {
					add(r.name, f.Value)
				}
			}
			continue
		}
		if r.seq != nil {
			var caps [4]int // the match and its one group
			for from := 0; ; {
				ok, gaveUp := r.seq.find(l.Line, from, caps[:])
				if gaveUp {
					// A line that would cost the sequence more than its
					// budget: regexp's matches from where it stopped.
					for _, m := range r.re.FindAllStringSubmatchIndex(l.Line, -1) {
						if m[0] >= from && m[2] >= 0 {
							add(r.name, l.Line[m[2]:m[3]])
						}
					}
					break
				}
				if !ok {
					break
				}
				if caps[2] >= 0 {
					add(r.name, l.Line[caps[2]:caps[3]])
				}
				from = max(caps[1], caps[0]+1)
			}
			continue
		}
		if r.re != nil {
			line := l.Line
			if r.lit != "" {
				i := strings.Index(line, r.lit)
				if i < 0 {
					continue
				}
				if r.lead {
					// Keep one byte before, so \b sees what precedes.
					line = line[max(i-1, 0):]
				}
			}
			if !r.lead {
				for _, m := range r.re.FindAllStringSubmatchIndex(line, -1) {
					if m[2] >= 0 {
						add(r.name, line[m[2]:m[3]])
					}
				}
				continue
			}
			// Every match starts at the literal: after one, the next can
			// only be at its next occurrence, and strings.Index finds
			// that far faster than the regex would scan the rest of the
			// line for it (most lines hold one ID).
			for line != "" {
				m := r.re.FindStringSubmatchIndex(line)
				if m == nil {
					break
				}
				if m[2] >= 0 {
					add(r.name, line[m[2]:m[3]])
				}
				end := max(m[1], m[0]+1)
				next := strings.Index(line[end:], r.lit)
				if next < 0 {
					break
				}
				line = line[end+next-1:] // one byte before, as above
			}
			continue
		}
		for _, m := range []map[string]string{l.StructuredMetadata, l.Labels, l.Parsed} {
			if v, ok := m[r.label]; ok {
				add(r.name, v)
				break
			}
		}
	}
	return dst
}

// wholeTraceID accepts exactly 16 or 32 hex characters and returns the
// padded lower-case ID.
func wholeTraceID(s string) (string, bool) {
	if len(s) != 16 && len(s) != 32 {
		return "", false
	}
	id, err := datasources.ParseTraceID(s)
	return id, err == nil
}

// requiredLiteral finds the longest case-sensitive literal among the
// top-level parts of a regex, and whether it is the first part that
// consumes text.
func requiredLiteral(expr string) (lit string, lead bool) {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return "", false
	}
	re = re.Simplify()
	parts := []*syntax.Regexp{re}
	if re.Op == syntax.OpConcat {
		parts = re.Sub
	}
	first := true
	for _, p := range parts {
		switch p.Op {
		case syntax.OpWordBoundary, syntax.OpNoWordBoundary, syntax.OpBeginLine, syntax.OpBeginText, syntax.OpEmptyMatch:
			continue
		case syntax.OpLiteral:
			if p.Flags&syntax.FoldCase == 0 && len(string(p.Rune)) > len(lit) {
				lit, lead = string(p.Rune), first
			}
		}
		first = false
	}
	return lit, lead
}
