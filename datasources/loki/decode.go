package loki

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ariadne-dev/ariadne/datasources"
)

// Result types Loki answers with.
const (
	ResultStreams = "streams"
	ResultMatrix  = "matrix"
	ResultVector  = "vector"
	ResultScalar  = "scalar"
)

// Result is one decoded query answer. Exactly one of Lines, Series and
// Vector is filled, according to Type. Type is "" when Loki sent warnings
// but no data.
type Result struct {
	Type string
	// Lines are the log lines of all streams, flattened and ordered by the
	// query's direction (newest first for backward). Lines of one
	// timestamp are ordered by stream labels, then line text, so that a
	// page boundary inside one timestamp is reproducible (see Page).
	Lines []datasources.LogLine
	// Series is a matrix: one series per label set, points in time order.
	Series []datasources.Series
	// Vector holds one series per sample, each with exactly one point.
	Vector []datasources.Series
	// Categorized is set when Loki honoured categorize-labels: Labels then
	// hold index labels only.
	Categorized bool
	Stats       Stats
	Warnings    []string
}

// Stats is what pages show about the cost of a query. Loki changes the
// shape of its stats block between versions, so only stats.summary is read
// and the whole block is kept raw.
type Stats struct {
	BytesProcessed  int64
	LinesProcessed  int64
	EntriesReturned int64
	ExecTime        time.Duration
	QueueTime       time.Duration
	Raw             json.RawMessage
}

type envelope struct {
	Status    string `json:"status"`
	Error     string `json:"error"`
	ErrorType string `json:"errorType"`
	Data      *struct {
		ResultType    string          `json:"resultType"`
		EncodingFlags []string        `json:"encodingFlags"`
		Result        json.RawMessage `json:"result"`
		Stats         json.RawMessage `json:"stats"`
	} `json:"data"`
	Warnings []string `json:"warnings"`
}

// DecodeQueryResponse decodes the body of a 200 answer from query_range or
// query. Log lines come out newest first; use DecodeQueryResponseDir to
// order them for a forward query.
func DecodeQueryResponse(body []byte) (*Result, error) {
	return DecodeQueryResponseDir(body, Backward)
}

// DecodeQueryResponseDir is DecodeQueryResponse with the order of Lines
// chosen by dir (Backward or Forward).
func DecodeQueryResponseDir(body []byte, dir string) (*Result, error) {
	var env envelope
	if err := json.Unmarshal(body, &env); err != nil {
		return nil, decodeError(err)
	}
	if env.Status == "error" {
		msg := env.Error
		if msg == "" {
			msg = "Loki answered with an error and no message."
		}
		return nil, &datasources.Error{Kind: datasources.KindBadQuery, Backend: Backend, Message: msg, Status: 200}
	}
	res := &Result{Warnings: env.Warnings}
	if env.Data == nil {
		return res, nil
	}
	d := env.Data
	res.Type = d.ResultType
	res.Categorized = slices.Contains(d.EncodingFlags, FlagCategorizeLabels)
	res.Stats = decodeStats(d.Stats)
	if len(d.Result) == 0 || string(d.Result) == "null" {
		return res, nil
	}
	var err error
	switch d.ResultType {
	case ResultStreams:
		res.Lines, err = decodeStreams(d.Result, dir)
	case ResultMatrix:
		res.Series, err = decodeMatrix(d.Result)
	case ResultVector:
		res.Vector, err = decodeVector(d.Result)
	case ResultScalar:
		var p samplePair
		if err = json.Unmarshal(d.Result, &p); err == nil {
			res.Vector = []datasources.Series{{Labels: map[string]string{}, Points: []datasources.Point{datasources.Point(p)}}}
		}
	default:
		return nil, decodeError(fmt.Errorf("unknown resultType %q", d.ResultType))
	}
	if err != nil {
		return nil, decodeError(err)
	}
	return res, nil
}

func decodeError(err error) error {
	return &datasources.Error{Kind: datasources.KindUnavailable, Backend: Backend,
		Message: "Loki's answer could not be read.", Err: err}
}

func decodeStats(raw json.RawMessage) Stats {
	s := Stats{Raw: raw}
	if len(raw) == 0 {
		return s
	}
	var st struct {
		Summary struct {
			TotalBytesProcessed  float64 `json:"totalBytesProcessed"`
			TotalLinesProcessed  float64 `json:"totalLinesProcessed"`
			TotalEntriesReturned float64 `json:"totalEntriesReturned"`
			ExecTime             float64 `json:"execTime"`
			QueueTime            float64 `json:"queueTime"`
		} `json:"summary"`
	}
	if json.Unmarshal(raw, &st) != nil {
		return s // stats are for display only; a shape we don't know is not an error
	}
	s.BytesProcessed = int64(st.Summary.TotalBytesProcessed)
	s.LinesProcessed = int64(st.Summary.TotalLinesProcessed)
	s.EntriesReturned = int64(st.Summary.TotalEntriesReturned)
	s.ExecTime = time.Duration(st.Summary.ExecTime * float64(time.Second))
	s.QueueTime = time.Duration(st.Summary.QueueTime * float64(time.Second))
	return s
}

type rawStream struct {
	Stream map[string]string `json:"stream"`
	Values []entryTuple      `json:"values"`
}

// entryTuple is ["<ns>", "<line>", {"structuredMetadata":{…},"parsed":{…}}?].
type entryTuple struct {
	ts     int64
	line   string
	sm     map[string]string
	parsed map[string]string
}

func (e *entryTuple) UnmarshalJSON(b []byte) error {
	p := parser{b: b}
	if !p.consume('[') {
		return errors.New("log entry is not an array")
	}
	tsText, err := p.str()
	if err != nil {
		return fmt.Errorf("log entry timestamp: %w", err)
	}
	// Nanoseconds do not fit a float64 exactly: parse the digits.
	if e.ts, err = strconv.ParseInt(tsText, 10, 64); err != nil {
		return fmt.Errorf("log entry timestamp %q is not integer nanoseconds", tsText)
	}
	if !p.consume(',') {
		return errors.New("log entry has no line")
	}
	if e.line, err = p.str(); err != nil {
		return fmt.Errorf("log line: %w", err)
	}
	if p.consume(',') {
		start := p.i
		if err := p.skipValue(); err != nil {
			return err
		}
		obj := bytes.TrimSpace(b[start:p.i])
		if !isEmptyObject(obj) {
			var cat struct {
				StructuredMetadata map[string]string `json:"structuredMetadata"`
				Parsed             map[string]string `json:"parsed"`
			}
			if err := json.Unmarshal(obj, &cat); err != nil {
				return fmt.Errorf("log entry labels: %w", err)
			}
			e.sm, e.parsed = nilIfEmpty(cat.StructuredMetadata), nilIfEmpty(cat.Parsed)
		}
	}
	if !p.consume(']') {
		return errors.New("log entry array is not closed")
	}
	return nil
}

func isEmptyObject(b []byte) bool {
	if len(b) < 2 || b[0] != '{' || b[len(b)-1] != '}' {
		return false
	}
	return len(bytes.TrimSpace(b[1:len(b)-1])) == 0
}

func nilIfEmpty(m map[string]string) map[string]string {
	if len(m) == 0 {
		return nil
	}
	return m
}

func decodeStreams(raw []byte, dir string) ([]datasources.LogLine, error) {
	var streams []rawStream
	if err := json.Unmarshal(raw, &streams); err != nil {
		return nil, err
	}
	// Order streams by their label string once, so ties at one timestamp
	// compare stream indexes rather than strings.
	keys := make([]string, len(streams))
	order := make([]int, len(streams))
	n := 0
	for i := range streams {
		if streams[i].Stream == nil {
			streams[i].Stream = map[string]string{}
		}
		keys[i] = LabelsString(streams[i].Stream)
		order[i] = i
		n += len(streams[i].Values)
	}
	slices.SortStableFunc(order, func(a, b int) int { return strings.Compare(keys[a], keys[b]) })
	type keyed struct {
		datasources.LogLine
		stream int
	}
	all := make([]keyed, 0, n)
	for rank, si := range order {
		s := &streams[si]
		for _, v := range s.Values {
			all = append(all, keyed{datasources.LogLine{
				TimeNs: v.ts, Labels: s.Stream, StructuredMetadata: v.sm, Parsed: v.parsed, Line: v.line,
			}, rank})
		}
	}
	forward := strings.EqualFold(dir, Forward)
	slices.SortFunc(all, func(a, b keyed) int {
		if a.TimeNs != b.TimeNs {
			if forward == (a.TimeNs < b.TimeNs) {
				return -1
			}
			return 1
		}
		if a.stream != b.stream {
			return a.stream - b.stream
		}
		return strings.Compare(a.Line, b.Line)
	})
	lines := make([]datasources.LogLine, len(all))
	for i := range all {
		lines[i] = all[i].LogLine
	}
	return lines, nil
}

// LabelsString renders labels as Loki does, {a="1", b="2"}, sorted by name.
func LabelsString(m map[string]string) string {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	slices.Sort(names)
	var b strings.Builder
	b.WriteByte('{')
	for i, k := range names {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(strconv.Quote(m[k]))
	}
	b.WriteByte('}')
	return b.String()
}

// samplePair is [<seconds as a JSON number>, "<value>"].
type samplePair datasources.Point

func (s *samplePair) UnmarshalJSON(b []byte) error {
	p := parser{b: b}
	if !p.consume('[') {
		return errors.New("sample is not an array")
	}
	num := p.number()
	ms, err := secondsToMs(num)
	if err != nil {
		return err
	}
	if !p.consume(',') {
		return errors.New("sample has no value")
	}
	vs, err := p.str()
	if err != nil {
		return fmt.Errorf("sample value: %w", err)
	}
	// ParseFloat reads "NaN", "+Inf" and "-Inf" as Loki writes them.
	v, err := strconv.ParseFloat(vs, 64)
	if err != nil {
		return fmt.Errorf("sample value %q is not a number", vs)
	}
	if !p.consume(']') {
		return errors.New("sample array is not closed")
	}
	s.TMs, s.V = ms, v
	return nil
}

// secondsToMs reads "1639125366.989" exactly, without float rounding.
func secondsToMs(num string) (int64, error) {
	intPart, frac, _ := strings.Cut(num, ".")
	if sec, err := strconv.ParseInt(intPart, 10, 64); err == nil && len(frac) <= 9 && allDigits(frac) {
		frac = (frac + "000")[:3]
		ms, _ := strconv.ParseInt(frac, 10, 64)
		return sec*1000 + ms, nil
	}
	f, err := strconv.ParseFloat(num, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, fmt.Errorf("sample time %q is not a number", num)
	}
	return int64(math.Round(f * 1000)), nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func decodeMatrix(raw []byte) ([]datasources.Series, error) {
	var rs []struct {
		Metric map[string]string `json:"metric"`
		Values []samplePair      `json:"values"`
	}
	if err := json.Unmarshal(raw, &rs); err != nil {
		return nil, err
	}
	out := make([]datasources.Series, len(rs))
	for i, r := range rs {
		pts := make([]datasources.Point, len(r.Values))
		for j, v := range r.Values {
			pts[j] = datasources.Point(v)
		}
		slices.SortStableFunc(pts, func(a, b datasources.Point) int { return cmp.Compare(a.TMs, b.TMs) })
		out[i] = datasources.Series{Labels: orEmpty(r.Metric), Points: pts}
	}
	return out, nil
}

func decodeVector(raw []byte) ([]datasources.Series, error) {
	var rs []struct {
		Metric map[string]string `json:"metric"`
		Value  samplePair        `json:"value"`
	}
	if err := json.Unmarshal(raw, &rs); err != nil {
		return nil, err
	}
	out := make([]datasources.Series, len(rs))
	for i, r := range rs {
		out[i] = datasources.Series{Labels: orEmpty(r.Metric), Points: []datasources.Point{datasources.Point(r.Value)}}
	}
	return out, nil
}

func orEmpty(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}
