package lokitest

import (
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Loki's detected fields API (Loki ≥ 3.1), which Grafana's Explore and
// Ariadne's logs page use to offer a query's fields: the newest line_limit
// lines of a log query are read, and each line's structured metadata and
// the fields its JSON or logfmt text holds are counted. Answers have no
// status/data envelope: {"fields":[…],"limit":N} and {"values":[…],"limit":N}.

// Defaults of the detected fields API, as Loki's.
const (
	defaultDetectedLineLimit = 1000
	defaultDetectedLimit     = 1000
)

// WithoutDetectedFields answers the detected fields API with 404, as a
// Loki older than 3.1 does.
func WithoutDetectedFields() Option { return func(s *Server) { s.noDetected = true } }

type detectedField struct {
	Label       string   `json:"label"`
	Type        string   `json:"type"`
	Cardinality int      `json:"cardinality"`
	Parsers     []string `json:"parsers"`
	values      map[string]bool
	order       []string
}

func (s *Server) handleDetectedFields(w http.ResponseWriter, r *http.Request) {
	fields, limit, ok := s.detect(w, r)
	if !ok {
		return
	}
	out := make([]*detectedField, 0, len(fields))
	for _, f := range fields {
		f.Cardinality = len(f.values)
		out = append(out, f)
	}
	slices.SortFunc(out, func(a, b *detectedField) int { return strings.Compare(a.Label, b.Label) })
	writeDetected(w, map[string]any{"fields": out[:min(limit, len(out))], "limit": limit})
}

func (s *Server) handleDetectedFieldValues(w http.ResponseWriter, r *http.Request) {
	fields, limit, ok := s.detect(w, r)
	if !ok {
		return
	}
	values := []string{}
	if f := fields[r.PathValue("name")]; f != nil {
		values = f.order[:min(limit, len(f.order))]
	}
	writeDetected(w, map[string]any{"values": values, "limit": limit})
}

// detect reads the request's lines and the fields they hold, by label.
func (s *Server) detect(w http.ResponseWriter, r *http.Request) (map[string]*detectedField, int, bool) {
	if s.noDetected {
		textError(w, http.StatusNotFound, "404 page not found\n")
		return nil, 0, false
	}
	tenant, ok := s.begin(w, r, true, http.MethodGet)
	if !ok {
		return nil, 0, false
	}
	lq, _, err := parseQuery(r.Form.Get("query"))
	if err == nil && lq == nil {
		err = badRequest("only log queries are supported")
	}
	var start, end int64
	if err == nil {
		start, end, err = s.labelRange(r)
	}
	lineLimit, limit := defaultDetectedLineLimit, defaultDetectedLimit
	if err == nil {
		lineLimit, err = positiveInt(r, "line_limit", lineLimit)
	}
	if err == nil {
		limit, err = positiveInt(r, "limit", limit)
	}
	if err != nil {
		fail(w, err)
		return nil, 0, false
	}
	streams, _ := s.evalLogs(tenant, lq, start, end+1, lineLimit, false, true)
	fields := map[string]*detectedField{}
	add := func(name, value, parser string) {
		f := fields[name]
		if f == nil {
			f = &detectedField{Label: name, Type: valueType(value), values: map[string]bool{}}
			if parser != "" {
				f.Parsers = []string{parser}
			}
			fields[name] = f
		}
		if parser != "" && !slices.Contains(f.Parsers, parser) {
			f.Parsers = append(f.Parsers, parser)
		}
		if !f.values[value] {
			f.values[value] = true
			f.order = append(f.order, value)
		}
	}
	for _, st := range streams {
		for _, e := range st.entries {
			for _, l := range e.meta {
				add(l.Name, l.Value, "")
			}
			isStream := func(k string) string {
				for _, l := range e.stream {
					if l.Name == k {
						return k + "_extracted" // as Loki's parsers name a clash
					}
				}
				return k
			}
			if parseJSONLine(e.line, func(k, v string) { add(isStream(k), v, "json") }) != nil {
				_ = parseLogfmt(e.line, func(k, v string) { add(isStream(k), v, "logfmt") })
			}
		}
	}
	return fields, limit, true
}

func positiveInt(r *http.Request, name string, def int) (int, error) {
	v := r.Form.Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		return 0, badRequest("invalid " + name + ": must be a positive integer")
	}
	return n, nil
}

// bytesValue is Loki's humanized byte size (10KB, 1.5 MiB).
var bytesValue = regexp.MustCompile(`^[0-9.]+ ?([KMGTPE]i?)?B$`)

// valueType is the type Loki gives a field from a value.
func valueType(v string) string {
	if _, err := strconv.ParseInt(v, 10, 64); err == nil {
		return "int"
	}
	if _, err := strconv.ParseFloat(v, 64); err == nil {
		return "float"
	}
	if _, err := strconv.ParseBool(v); err == nil {
		return "boolean"
	}
	if _, err := time.ParseDuration(v); err == nil {
		return "duration"
	}
	if bytesValue.MatchString(v) {
		return "bytes"
	}
	return "string"
}

func writeDetected(w http.ResponseWriter, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		textError(w, http.StatusInternalServerError, err.Error())
		return
	}
	writeJSON(w, b)
}
