package lokitest

import (
	"bytes"
	"encoding/json"
	"errors"
	"regexp"
	"strconv"
	"strings"
	"text/template"
	"time"
)

// Where a label of a result row came from; categorize-labels keeps them
// apart in answers.
const (
	catStream uint8 = iota
	catMetadata
	catParsed
)

const (
	errJSON        = "JSONParserErr"
	errLogfmt      = "LogfmtParserErr"
	errLabelFilter = "LabelFilterErr"
)

type lbl struct {
	name, value string
	cat         uint8
}

// row is one log entry going through a pipeline.
type row struct {
	ts   int64
	line string
	lbls []lbl
}

func newRow(st *stream, e *stored) *row {
	r := &row{ts: e.ts, line: e.line, lbls: make([]lbl, 0, len(st.labels)+len(e.sm)+4)}
	for _, l := range st.labels {
		r.lbls = append(r.lbls, lbl{l.Name, l.Value, catStream})
	}
	for _, l := range e.sm {
		r.set(l.Name, l.Value, catMetadata)
	}
	return r
}

func (r *row) get(name string) (string, bool) {
	for _, l := range r.lbls {
		if l.name == name {
			return l.value, true
		}
	}
	return "", false
}

func (r *row) set(name, value string, cat uint8) {
	for i := range r.lbls {
		if r.lbls[i].name == name {
			r.lbls[i].value, r.lbls[i].cat = value, cat
			return
		}
	}
	r.lbls = append(r.lbls, lbl{name, value, cat})
}

// setParsed adds an extracted label; a name already used by a stream label
// becomes <name>_extracted, as in Loki.
func (r *row) setParsed(name, value string) {
	for _, l := range r.lbls {
		if l.name == name && l.cat == catStream {
			name += "_extracted"
			break
		}
	}
	r.set(name, value, catParsed)
}

func (r *row) setError(e string) {
	if _, ok := r.get("__error__"); !ok {
		r.set("__error__", e, catParsed)
	}
}

// run applies the stages; false means the row is filtered out.
func run(stages []stage, r *row) bool {
	for _, s := range stages {
		switch s := s.(type) {
		case lineFilter:
			var ok bool
			switch s.op {
			case "|=":
				ok = strings.Contains(r.line, s.value)
			case "!=":
				ok = !strings.Contains(r.line, s.value)
			case "|~":
				ok = s.re.MatchString(r.line)
			default:
				ok = !s.re.MatchString(r.line)
			}
			if !ok {
				return false
			}
		case parserStage:
			if s.kind == "json" {
				if err := parseJSONLine(r.line, r.setParsed); err != nil {
					r.setError(errJSON)
				}
			} else if err := parseLogfmt(r.line, r.setParsed); err != nil {
				r.setError(errLogfmt)
			}
		case labelFilterStage:
			if !filterLabels(s.f, r) {
				return false
			}
		case dropStage:
			r.lbls = slicesDeleteFunc(r.lbls, func(l lbl) bool { return listed(s.labels, l) })
		case keepStage:
			r.lbls = slicesDeleteFunc(r.lbls, func(l lbl) bool { return !listed(s.labels, l) })
		case lineFormatStage:
			s.state.line, s.state.ts = r.line, r.ts
			data := make(map[string]string, len(r.lbls))
			for _, l := range r.lbls {
				data[l.name] = l.value
			}
			var b bytes.Buffer
			if err := s.tmpl.Execute(&b, data); err != nil {
				r.setError("TemplateFormatErr")
			} else {
				r.line = b.String()
			}
		}
	}
	return true
}

func slicesDeleteFunc(ls []lbl, del func(lbl) bool) []lbl {
	out := ls[:0]
	for _, l := range ls {
		if !del(l) {
			out = append(out, l)
		}
	}
	return out
}

func listed(ms []*matcher, l lbl) bool {
	for _, m := range ms {
		if m.name == l.name && (m.op == "" || m.matches(l.value)) {
			return true
		}
	}
	return false
}

func filterLabels(f labelFilter, r *row) bool {
	switch f := f.(type) {
	case lfBinary:
		if f.and {
			return filterLabels(f.l, r) && filterLabels(f.r, r)
		}
		return filterLabels(f.l, r) || filterLabels(f.r, r)
	case lfString:
		v, _ := r.get(f.m.name)
		return f.m.matches(v)
	case lfNumber:
		v, ok := r.get(f.name)
		if !ok {
			// Loki drops lines without the label, except for "!=".
			return f.op == "!="
		}
		n, ok := readNumber(v, f.unit)
		if !ok {
			// Loki keeps such lines, marked, so that | __error__=""
			// can drop them.
			r.setError(errLabelFilter)
			return true
		}
		switch f.op {
		case ">":
			return n > f.value
		case ">=":
			return n >= f.value
		case "<":
			return n < f.value
		case "<=":
			return n <= f.value
		case "==":
			return n == f.value
		default:
			return n != f.value
		}
	}
	return false
}

func readNumber(v string, u unitKind) (float64, bool) {
	switch u {
	case unitDuration:
		if d, err := parseDuration(v); err == nil {
			return d.Seconds(), true
		}
		if d, err := time.ParseDuration(v); err == nil {
			return d.Seconds(), true
		}
		return 0, false
	case unitBytes:
		if b, ok := parseBytes(v); ok {
			return b, true
		}
	}
	n, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	return n, err == nil
}

// parseJSONLine adds every scalar of a JSON object line; nested keys are
// joined with "_", arrays are skipped, as Loki's json parser does.
func parseJSONLine(line string, add func(k, v string)) error {
	d := json.NewDecoder(strings.NewReader(line))
	d.UseNumber()
	var obj map[string]any
	if err := d.Decode(&obj); err != nil {
		return err
	}
	if obj == nil {
		return errors.New("not an object")
	}
	flatten("", obj, add)
	return nil
}

func flatten(prefix string, obj map[string]any, add func(k, v string)) {
	for k, v := range obj {
		key := sanitizeKey(k)
		if prefix != "" {
			key = prefix + "_" + key
		}
		switch v := v.(type) {
		case map[string]any:
			flatten(key, v, add)
		case string:
			add(key, v)
		case json.Number:
			add(key, v.String())
		case bool:
			add(key, strconv.FormatBool(v))
		case nil:
			add(key, "")
		}
	}
}

// sanitizeKey maps a key to a label name: [a-zA-Z0-9_:], not starting
// with a digit.
func sanitizeKey(k string) string {
	b := []byte(k)
	for i, c := range b {
		if !(isLetter(c) || isDigit(c) || c == '_' || c == ':') {
			b[i] = '_'
		}
	}
	if len(b) > 0 && isDigit(b[0]) {
		return "_" + string(b)
	}
	return string(b)
}

// parseLogfmt reads key=value pairs; values may be "quoted" with Go
// escapes; a bare key has the empty value.
func parseLogfmt(line string, add func(k, v string)) error {
	i := 0
	for {
		for i < len(line) && line[i] <= ' ' {
			i++
		}
		if i >= len(line) {
			return nil
		}
		start := i
		for i < len(line) && line[i] > ' ' && line[i] != '=' && line[i] != '"' {
			i++
		}
		if i == start {
			return errors.New("logfmt: unexpected character in key")
		}
		key := sanitizeKey(line[start:i])
		if i >= len(line) || line[i] != '=' {
			if i < len(line) && line[i] == '"' {
				return errors.New("logfmt: quote in key")
			}
			add(key, "")
			continue
		}
		i++ // '='
		if i < len(line) && line[i] == '"' {
			n, v, err := scanQuoted(line[i:])
			if err != nil {
				return errors.New("logfmt: bad quoted value")
			}
			add(key, v)
			i += n
			continue
		}
		start = i
		for i < len(line) && line[i] > ' ' {
			if line[i] == '"' || line[i] == '=' {
				return errors.New("logfmt: unexpected character in value")
			}
			i++
		}
		add(key, line[start:i])
	}
}

// compileRegexp compiles an unanchored line-filter regexp.
func compileRegexp(s string) (*regexp.Regexp, error) { return regexp.Compile(s) }

// lineState gives line_format's __line__ and __timestamp__ the current row.
type lineState struct {
	line string
	ts   int64
}

func newLineTemplate(src string) (*template.Template, *lineState, error) {
	st := &lineState{}
	funcs := template.FuncMap{
		"ToLower": strings.ToLower, "ToUpper": strings.ToUpper, "lower": strings.ToLower, "upper": strings.ToUpper,
		"trim": strings.TrimSpace, "trimSpace": strings.TrimSpace, "replace": func(old, new, s string) string { return strings.ReplaceAll(s, old, new) },
		"default":       func(d, v string) string { return map[bool]string{true: d, false: v}[v == ""] },
		"__line__":      func() string { return st.line },
		"__timestamp__": func() time.Time { return time.Unix(0, st.ts).UTC() },
	}
	t, err := template.New("line").Option("missingkey=zero").Funcs(funcs).Parse(src)
	return t, st, err
}
