package tempo

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/datasources/otlp"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
)

// SearchResult is one TraceQL search answer.
type SearchResult struct {
	Traces  []SearchTrace
	Metrics SearchMetrics
}

// SearchTrace is one matching trace. TraceID is padded to 32 characters
// (Tempo strips leading zeros in search results).
type SearchTrace struct {
	TraceID         string
	RootServiceName string
	RootTraceName   string
	StartNs         int64
	DurationMs      int64
	SpanSets        []SpanSet
	// ServiceStats is keyed by service name; nil when Tempo sent none.
	ServiceStats map[string]ServiceStats
	// Matched is the number of matching spans over all span sets; the sets
	// hold at most spss of them each.
	Matched int
}

// SpanSet is a group of matching spans (one per {…} filter result).
type SpanSet struct {
	Spans   []SearchSpan
	Matched int
}

// SearchSpan is a matching span as search reports it. Attributes are those
// the query referenced, keyed without their scope (service.name, status).
type SearchSpan struct {
	SpanID     string
	Name       string
	StartNs    int64
	DurationNs int64
	Attributes []datasources.Attribute
}

// ServiceStats counts one service's spans in a trace.
type ServiceStats struct {
	SpanCount  int
	ErrorCount int
}

// SearchMetrics is how much work Tempo did; pages show it under results.
type SearchMetrics struct {
	InspectedTraces int64
	InspectedBytes  int64
	TotalBlocks     int64
	CompletedJobs   int64
	TotalJobs       int64
}

// Search runs a TraceQL query on /api/search. limit and spss of 0 leave
// Tempo's defaults (20 traces, 3 spans per span set). A query Tempo cannot
// parse is ErrorBadQuery carrying Tempo's message verbatim.
func (c *Client) Search(ctx context.Context, q string, start, end time.Time, limit, spss int) (*SearchResult, error) {
	params := timeRange(url.Values{"q": {q}}, start, end)
	if limit > 0 {
		params.Set("limit", strconv.Itoa(limit))
	}
	if spss > 0 {
		params.Set("spss", strconv.Itoa(spss))
	}
	r, err := c.get(ctx, "/api/search", params, "application/json")
	if err != nil {
		return nil, err
	}
	if r.status != http.StatusOK {
		return nil, statusError(r, "Tempo's search endpoint was not found; check the Tempo URL.")
	}
	res, err := DecodeSearch(r.body)
	if err != nil {
		return nil, &datasources.Error{Kind: datasources.ErrorUnavailable, Backend: Backend,
			Message: "Tempo sent search results that could not be read.", Err: err}
	}
	return res, nil
}

// Wire shapes of /api/search (protobuf JSON: 64-bit numbers are strings).
type (
	searchJSON struct {
		Traces  []traceJSON `json:"traces"`
		Metrics struct {
			InspectedTraces jsonInt `json:"inspectedTraces"`
			InspectedBytes  jsonInt `json:"inspectedBytes"`
			TotalBlocks     jsonInt `json:"totalBlocks"`
			CompletedJobs   jsonInt `json:"completedJobs"`
			TotalJobs       jsonInt `json:"totalJobs"`
		} `json:"metrics"`
	}
	traceJSON struct {
		TraceID           string                 `json:"traceID"`
		RootServiceName   string                 `json:"rootServiceName"`
		RootTraceName     string                 `json:"rootTraceName"`
		StartTimeUnixNano jsonInt                `json:"startTimeUnixNano"`
		DurationMs        jsonInt                `json:"durationMs"`
		SpanSet           *spanSetJSON           `json:"spanSet"`
		SpanSets          []spanSetJSON          `json:"spanSets"`
		ServiceStats      map[string]serviceJSON `json:"serviceStats"`
	}
	spanSetJSON struct {
		Spans   []spanJSON `json:"spans"`
		Matched jsonInt    `json:"matched"`
	}
	spanJSON struct {
		SpanID            string   `json:"spanID"`
		Name              string   `json:"name"`
		StartTimeUnixNano jsonInt  `json:"startTimeUnixNano"`
		DurationNanos     jsonInt  `json:"durationNanos"`
		Attributes        []kvJSON `json:"attributes"`
	}
	serviceJSON struct {
		SpanCount  jsonInt `json:"spanCount"`
		ErrorCount jsonInt `json:"errorCount"`
	}
	kvJSON struct {
		Key   string          `json:"key"`
		Value json.RawMessage `json:"value"`
	}
)

// jsonInt accepts a JSON number or a string holding one, as protobuf JSON
// writes 64-bit integers as strings and 32-bit ones as numbers.
type jsonInt int64

func (v *jsonInt) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	if s == "" || s == "null" {
		return nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		u, uerr := strconv.ParseUint(s, 10, 64)
		if uerr != nil {
			return err
		}
		n = int64(u)
	}
	*v = jsonInt(n)
	return nil
}

// DecodeSearch decodes a /api/search body.
func DecodeSearch(body []byte) (*SearchResult, error) {
	var w searchJSON
	if err := json.Unmarshal(body, &w); err != nil {
		return nil, err
	}
	res := &SearchResult{
		Traces: make([]SearchTrace, 0, len(w.Traces)),
		Metrics: SearchMetrics{
			InspectedTraces: int64(w.Metrics.InspectedTraces),
			InspectedBytes:  int64(w.Metrics.InspectedBytes),
			TotalBlocks:     int64(w.Metrics.TotalBlocks),
			CompletedJobs:   int64(w.Metrics.CompletedJobs),
			TotalJobs:       int64(w.Metrics.TotalJobs),
		},
	}
	for _, t := range w.Traces {
		tid, err := datasources.ParseTraceID(t.TraceID)
		if err != nil {
			return nil, err
		}
		st := SearchTrace{
			TraceID:         tid,
			RootServiceName: t.RootServiceName,
			RootTraceName:   t.RootTraceName,
			StartNs:         int64(t.StartTimeUnixNano),
			DurationMs:      int64(t.DurationMs),
		}
		sets := t.SpanSets
		if len(sets) == 0 && t.SpanSet != nil {
			// Tempo before spanSets sent the single, now deprecated, spanSet.
			sets = []spanSetJSON{*t.SpanSet}
		}
		for _, ss := range sets {
			set, err := convertSpanSet(ss)
			if err != nil {
				return nil, err
			}
			st.SpanSets = append(st.SpanSets, set)
			st.Matched += set.Matched
		}
		if len(t.ServiceStats) > 0 {
			st.ServiceStats = make(map[string]ServiceStats, len(t.ServiceStats))
			for name, s := range t.ServiceStats {
				st.ServiceStats[name] = ServiceStats{SpanCount: int(s.SpanCount), ErrorCount: int(s.ErrorCount)}
			}
		}
		res.Traces = append(res.Traces, st)
	}
	return res, nil
}

func convertSpanSet(ss spanSetJSON) (SpanSet, error) {
	set := SpanSet{Matched: int(ss.Matched), Spans: make([]SearchSpan, 0, len(ss.Spans))}
	for _, sp := range ss.Spans {
		sid, err := datasources.ParseSpanID(sp.SpanID)
		if err != nil {
			return set, err
		}
		out := SearchSpan{SpanID: sid, Name: sp.Name, StartNs: int64(sp.StartTimeUnixNano), DurationNs: int64(sp.DurationNanos)}
		for _, kv := range sp.Attributes {
			var v commonpb.AnyValue
			if len(kv.Value) > 0 {
				if err := jsonOpts.Unmarshal(kv.Value, &v); err != nil {
					return set, err
				}
			}
			val, typ := otlp.RenderValue(&v)
			out.Attributes = append(out.Attributes, datasources.Attribute{Key: kv.Key, Value: val, Type: typ})
		}
		set.Spans = append(set.Spans, out)
	}
	return set, nil
}

// Summary is the trace as a results row shows it, whichever backend.
func (t SearchTrace) Summary() datasources.TraceSummary {
	s := datasources.TraceSummary{TraceID: t.TraceID, RootService: t.RootServiceName, RootName: t.RootTraceName,
		StartNs: t.StartNs, Duration: time.Duration(t.DurationMs) * time.Millisecond}
	for name, st := range t.ServiceStats {
		s.Spans += st.SpanCount
		s.Errors += st.ErrorCount
		s.Services = append(s.Services, name)
	}
	sort.Strings(s.Services)
	return s
}
