package tempotest

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/encoding/protojson"
)

const (
	defaultLimit = 20
	defaultSpss  = 3
	maxSpss      = 100
	maxRange     = 168 * time.Hour
)

// Search answer shapes, encoded as Tempo does (64-bit numbers as strings,
// zero values left out, "traces":[] when nothing matched).
type (
	searchResponse struct {
		Traces  []traceResult `json:"traces"`
		Metrics searchMetrics `json:"metrics"`
	}
	traceResult struct {
		TraceID           string                  `json:"traceID"`
		RootServiceName   string                  `json:"rootServiceName,omitempty"`
		RootTraceName     string                  `json:"rootTraceName,omitempty"`
		StartTimeUnixNano uint64                  `json:"startTimeUnixNano,string"`
		DurationMs        uint32                  `json:"durationMs,omitempty"`
		SpanSet           *spanSetResult          `json:"spanSet,omitempty"`
		SpanSets          []spanSetResult         `json:"spanSets,omitempty"`
		ServiceStats      map[string]serviceStats `json:"serviceStats,omitempty"`
	}
	spanSetResult struct {
		Spans   []spanResult `json:"spans"`
		Matched uint32       `json:"matched"`
	}
	spanResult struct {
		SpanID            string            `json:"spanID"`
		Name              string            `json:"name,omitempty"`
		StartTimeUnixNano uint64            `json:"startTimeUnixNano,string"`
		DurationNanos     uint64            `json:"durationNanos,string"`
		Attributes        []json.RawMessage `json:"attributes,omitempty"`
	}
	serviceStats struct {
		SpanCount  uint32 `json:"spanCount,omitempty"`
		ErrorCount uint32 `json:"errorCount,omitempty"`
	}
	searchMetrics struct {
		InspectedTraces uint32 `json:"inspectedTraces,omitempty"`
		InspectedBytes  uint64 `json:"inspectedBytes,omitempty,string"`
		CompletedJobs   uint32 `json:"completedJobs,omitempty"`
		TotalJobs       uint32 `json:"totalJobs,omitempty"`
	}
)

// searchParams are /api/search's parameters after Tempo's validation.
type searchParams struct {
	start, end  uint64
	limit, spss int
	q           *query
	tags        map[string]string // legacy logfmt search
	minDur      time.Duration
	maxDur      time.Duration
}

func parseSearch(r *http.Request) (*searchParams, string) {
	v := r.URL.Query()
	p := &searchParams{limit: defaultLimit, spss: defaultSpss}
	q, tags := v.Get("q"), v.Get("tags")
	if q != "" && tags != "" {
		return nil, "invalid request: can't specify tags and q in the same query"
	}
	var msg string
	if p.start, p.end, msg = parseRange(r); msg != "" {
		return nil, msg
	}
	if p.start != 0 && p.end != 0 && time.Duration(p.end-p.start)*time.Second > maxRange {
		return nil, fmt.Sprintf("range specified by start and end exceeds %s. received start=%d end=%d", maxRange, p.start, p.end)
	}
	for _, n := range []struct {
		name string
		dst  *int
	}{{"limit", &p.limit}, {"spss", &p.spss}} {
		if s := v.Get(n.name); s != "" {
			x, err := strconv.Atoi(s)
			if err != nil || x <= 0 {
				return nil, fmt.Sprintf("invalid %s: must be a positive number. received %s", n.name, s)
			}
			*n.dst = x
		}
	}
	if p.spss > maxSpss {
		return nil, fmt.Sprintf("spans per span set exceeds %d. received %d", maxSpss, p.spss)
	}
	for _, d := range []struct {
		name string
		dst  *time.Duration
	}{{"minDuration", &p.minDur}, {"maxDuration", &p.maxDur}} {
		if s := v.Get(d.name); s != "" {
			x, err := time.ParseDuration(s)
			if err != nil {
				return nil, "invalid " + d.name + ": " + err.Error()
			}
			*d.dst = x
		}
	}
	if tags != "" || p.minDur > 0 || p.maxDur > 0 {
		kv, err := parseLogfmt(tags)
		if err != nil {
			return nil, "invalid tags: " + err.Error()
		}
		p.tags = kv
		return p, ""
	}
	if strings.TrimSpace(q) == "" {
		q = "{}"
	}
	parsed, err := parseQuery(q)
	if err != nil {
		return nil, "invalid TraceQL query: " + err.Error()
	}
	p.q = parsed
	return p, ""
}

func (s *Store) handleSearch(w http.ResponseWriter, r *http.Request) {
	p, msg := parseSearch(r)
	if msg != "" {
		textError(w, http.StatusBadRequest, msg)
		return
	}
	res := s.search(tenantFrom(r), p)
	b, err := json.Marshal(res)
	writeBody(w, "application/json", b, err)
}

func (s *Store) search(tenantID string, p *searchParams) *searchResponse {
	s.expire(tenantID)
	s.mu.RLock()
	defer s.mu.RUnlock()
	res := &searchResponse{Traces: []traceResult{}, Metrics: searchMetrics{CompletedJobs: 1, TotalJobs: 1}}
	t := s.tenants[tenantID]
	if t == nil {
		return res
	}
	for _, st := range t.traces {
		if !st.overlaps(p.start, p.end) {
			continue
		}
		res.Metrics.InspectedTraces++
		res.Metrics.InspectedBytes += uint64(st.size)
		if tr, ok := p.evaluate(st); ok {
			res.Traces = append(res.Traces, tr)
		}
	}
	// Newest first, then by ID so equal start times have a stable order.
	slices.SortFunc(res.Traces, func(a, b traceResult) int {
		if a.StartTimeUnixNano != b.StartTimeUnixNano {
			return cmp3(int64(b.StartTimeUnixNano), int64(a.StartTimeUnixNano))
		}
		return strings.Compare(a.TraceID, b.TraceID)
	})
	if len(res.Traces) > p.limit {
		res.Traces = res.Traces[:p.limit]
	}
	return res
}

// evaluate matches one trace and builds its search result.
func (p *searchParams) evaluate(st *storedTrace) (traceResult, bool) {
	spans := st.spans()
	idHex := hex.EncodeToString(st.id[:])
	info := &traceInfo{idHex: idHex, durationNs: int64(st.endNs - st.startNs), rootService: st.rootService, rootName: st.rootName}
	var matched []int
	if p.q != nil {
		if matched = p.q.match(spans, info); len(matched) == 0 {
			return traceResult{}, false
		}
	} else if !p.matchLegacy(spans, info) {
		return traceResult{}, false
	}
	tr := traceResult{
		TraceID:           strings.TrimLeft(idHex, "0"), // Tempo strips leading zeros here
		RootServiceName:   st.rootService,
		RootTraceName:     st.rootName,
		StartTimeUnixNano: st.startNs,
		DurationMs:        uint32((st.endNs - st.startNs) / 1e6),
		ServiceStats:      map[string]serviceStats{},
	}
	if !st.hasRoot {
		tr.RootServiceName, tr.RootTraceName = "<root span not yet received>", ""
	}
	for _, ref := range spans {
		svc := serviceName(ref.resource)
		ss := tr.ServiceStats[svc]
		ss.SpanCount++
		if ref.span.GetStatus().GetCode() == tracepb.Status_STATUS_CODE_ERROR {
			ss.ErrorCount++
		}
		tr.ServiceStats[svc] = ss
	}
	if p.q != nil {
		set := spanSetResult{Matched: uint32(len(matched)), Spans: []spanResult{}}
		for _, i := range matched[:min(len(matched), p.spss)] {
			set.Spans = append(set.Spans, p.q.spanResult(spans[i]))
		}
		tr.SpanSets = []spanSetResult{set}
		tr.SpanSet = &tr.SpanSets[0]
	}
	return tr, true
}

func (q *query) spanResult(ref spanRef) spanResult {
	sp := ref.span
	out := spanResult{
		SpanID:            hex.EncodeToString(sp.SpanId),
		Name:              sp.Name,
		StartTimeUnixNano: sp.StartTimeUnixNano,
		DurationNanos:     uint64(spanDuration(sp)),
	}
	for _, e := range q.echo {
		var v *commonpb.AnyValue
		switch e.in {
		case iStatus:
			v = stringValue(statusWord(sp.GetStatus().GetCode()))
		case iKind:
			v = stringValue(kindWord(sp.Kind))
		default:
			v = echoAttr(ref, e)
		}
		if v == nil {
			continue
		}
		b, err := protojson.Marshal(&commonpb.KeyValue{Key: e.key, Value: v})
		if err == nil {
			out.Attributes = append(out.Attributes, b)
		}
	}
	return out
}

func echoAttr(ref spanRef, e echoRef) *commonpb.AnyValue {
	find := func(kvs []*commonpb.KeyValue) *commonpb.AnyValue {
		for _, kv := range kvs {
			if kv.GetKey() == e.key {
				return kv.GetValue()
			}
		}
		return nil
	}
	switch e.scope {
	case "span":
		return find(ref.span.Attributes)
	case "resource":
		return find(ref.resource.GetAttributes())
	case "":
		if v := find(ref.span.Attributes); v != nil {
			return v
		}
		return find(ref.resource.GetAttributes())
	}
	return nil
}

func stringValue(s string) *commonpb.AnyValue {
	return &commonpb.AnyValue{Value: &commonpb.AnyValue_StringValue{StringValue: s}}
}

func statusWord(c tracepb.Status_StatusCode) string {
	for w, n := range statusCodes {
		if n == int64(c) {
			return w
		}
	}
	return "unset"
}

func kindWord(k tracepb.Span_SpanKind) string {
	for w, n := range kindCodes {
		if n == int64(k) {
			return w
		}
	}
	return "unspecified"
}

// matchLegacy is the pre-TraceQL search: every tag must equal an attribute
// of some span (span or resource) and the trace must fit the durations.
func (p *searchParams) matchLegacy(spans []spanRef, info *traceInfo) bool {
	d := time.Duration(info.durationNs)
	if p.minDur > 0 && d < p.minDur || p.maxDur > 0 && d > p.maxDur {
		return false
	}
	for k, want := range p.tags {
		found := false
		for _, ref := range spans {
			for _, vals := range [][]value{attrValues(nil, ref.span.Attributes, k), attrValues(nil, ref.resource.GetAttributes(), k)} {
				for _, v := range vals {
					if valueText(v) == want {
						found = true
					}
				}
			}
			if k == "name" && ref.span.Name == want {
				found = true
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func valueText(v value) string {
	switch v.t {
	case vInt:
		return strconv.FormatInt(v.n, 10)
	case vFloat:
		return strconv.FormatFloat(v.f, 'g', -1, 64)
	case vBool:
		return strconv.FormatBool(v.n == 1)
	}
	return v.s
}

// parseLogfmt reads key=value pairs separated by spaces; values may be quoted.
func parseLogfmt(s string) (map[string]string, error) {
	out := map[string]string{}
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimSpace(s) {
		eq := strings.IndexByte(s, '=')
		if eq <= 0 {
			return nil, fmt.Errorf("expected key=value at %q", s)
		}
		key, rest := s[:eq], s[eq+1:]
		var val string
		if strings.HasPrefix(rest, `"`) {
			v, n, err := scanString(rest)
			if err != nil {
				return nil, err
			}
			val, s = v, rest[n:]
		} else {
			end := strings.IndexAny(rest, " \t")
			if end < 0 {
				end = len(rest)
			}
			val, s = rest[:end], rest[end:]
		}
		out[key] = val
	}
	return out, nil
}
