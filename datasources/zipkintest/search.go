package zipkintest

import (
	"cmp"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// query is one /api/v2/traces request after Zipkin's QueryRequest rules:
// names lower-cased, "all" meaning any span name, bounds validated.
type query struct {
	serviceName, remoteServiceName, spanName string
	terms                                    []term
	minDuration, maxDuration                 int64 // µs; 0 = no bound
	endTs, lookback                          int64 // ms
	limit                                    int
}

// term is one annotationQuery condition: key=value matches a tag; a bare
// key (value "") matches a tag of that key or an annotation of that value.
type term struct{ key, value string }

// parseQuery reads the parameters with Zipkin's defaults (endTs now,
// lookback one day, limit 10) and refuses what Zipkin refuses, in its
// words.
func parseQuery(v url.Values, nowMs int64) (query, error) {
	q := query{
		serviceName:       strings.ToLower(v.Get("serviceName")),
		remoteServiceName: strings.ToLower(v.Get("remoteServiceName")),
		spanName:          strings.ToLower(v.Get("spanName")),
		endTs:             nowMs,
		lookback:          DefaultLookback,
		limit:             10,
	}
	if q.spanName == "all" {
		q.spanName = ""
	}
	q.terms = parseAnnotationQuery(v.Get("annotationQuery"))
	var err error
	ints := []struct {
		name string
		dst  *int64
	}{{"minDuration", &q.minDuration}, {"maxDuration", &q.maxDuration}, {"endTs", &q.endTs}, {"lookback", &q.lookback}}
	hasMin, hasMax := v.Get("minDuration") != "", v.Get("maxDuration") != ""
	for _, p := range ints {
		if s := v.Get(p.name); s != "" {
			if *p.dst, err = strconv.ParseInt(s, 10, 64); err != nil {
				return q, fmt.Errorf("%s is not a number: %q", p.name, s)
			}
		}
	}
	if s := v.Get("limit"); s != "" {
		if q.limit, err = strconv.Atoi(s); err != nil {
			return q, fmt.Errorf("limit is not a number: %q", s)
		}
	}
	switch {
	case q.endTs <= 0:
		return q, errors.New("endTs <= 0")
	case q.limit <= 0:
		return q, errors.New("limit <= 0")
	case q.lookback <= 0:
		return q, errors.New("lookback <= 0")
	case hasMin && q.minDuration <= 0:
		return q, errors.New("minDuration <= 0")
	case hasMin && hasMax && q.maxDuration < q.minDuration:
		return q, errors.New("maxDuration < minDuration")
	case !hasMin && hasMax:
		return q, errors.New("maxDuration is only valid with minDuration")
	}
	return q, nil
}

// parseAnnotationQuery splits on " and " as Zipkin does. A later key=value
// replaces an earlier condition on the same key; a bare key never replaces
// a more specific key=value.
func parseAnnotationQuery(s string) []term {
	if s == "" {
		return nil
	}
	var terms []term
	index := map[string]int{}
	for _, part := range strings.Split(s, " and ") {
		k, v, isTag := strings.Cut(part, "=")
		t := term{key: strings.TrimSpace(k), value: strings.TrimSpace(v)}
		if t.key == "" {
			continue
		}
		i, seen := index[t.key]
		switch {
		case !seen:
			index[t.key] = len(terms)
			terms = append(terms, t)
		case isTag:
			terms[i] = t
		}
	}
	return terms
}

// timestamp dates a trace as Zipkin's query does: the root span's
// timestamp, or else the earliest; 0 when no span has one.
func timestamp(spans []Span) int64 {
	var ts int64
	for _, sp := range spans {
		if sp.Timestamp == 0 {
			continue
		}
		if sp.ParentID == "" {
			return sp.Timestamp
		}
		if ts == 0 || sp.Timestamp < ts {
			ts = sp.Timestamp
		}
	}
	return ts
}

// matches is Zipkin's QueryRequest.test: the trace's timestamp is in the
// window, and the spans of the service (of any service when none is
// named) together meet every condition; one span must meet the duration
// bounds, but name, remote service and annotation terms may each be met by
// a different span.
func (q *query) matches(spans []Span) bool {
	ts := timestamp(spans)
	if ts == 0 || ts < (q.endTs-q.lookback)*1000 || ts > q.endTs*1000 {
		return false
	}
	serviceSeen := q.serviceName == ""
	nameSeen, remoteSeen := q.spanName == "", q.remoteServiceName == ""
	durationSeen := q.minDuration == 0 && q.maxDuration == 0
	remaining := make([]bool, len(q.terms)) // true once met
	for i := range spans {
		sp := &spans[i]
		if q.serviceName != "" && sp.LocalService() != q.serviceName {
			continue
		}
		serviceSeen = true
		nameSeen = nameSeen || sp.Name == q.spanName
		remoteSeen = remoteSeen || sp.RemoteService() == q.remoteServiceName
		if !durationSeen && sp.Duration >= q.minDuration && (q.maxDuration == 0 || sp.Duration <= q.maxDuration) {
			durationSeen = true
		}
		for j, t := range q.terms {
			if !remaining[j] {
				remaining[j] = t.metBy(sp)
			}
		}
	}
	return serviceSeen && nameSeen && remoteSeen && durationSeen && !slices.Contains(remaining, false)
}

func (t term) metBy(sp *Span) bool {
	if v, ok := sp.Tags[t.key]; ok && (t.value == "" || t.value == v) {
		return true
	}
	if t.value == "" {
		for _, a := range sp.Annotations {
			if a.Value == t.key {
				return true
			}
		}
	}
	return false
}

// handleTraces answers /api/v2/traces: matching traces, newest first (by
// the timestamp matches judges), at most limit of them.
func (s *Store) handleTraces(w http.ResponseWriter, r *http.Request) {
	q, err := parseQuery(r.URL.Query(), s.opts.now().UnixMilli())
	if err != nil {
		textError(w, http.StatusBadRequest, err.Error())
		return
	}
	writeJSON(w, s.search(q))
}

func (s *Store) search(q query) [][]Span {
	type found struct {
		spans []Span
		ts    int64
	}
	var hits []found
	for _, stored := range s.snapshot() {
		for _, g := range s.groups(stored) {
			if q.matches(g) {
				hits = append(hits, found{g, timestamp(g)})
			}
		}
	}
	slices.SortFunc(hits, func(a, b found) int {
		if c := cmp.Compare(b.ts, a.ts); c != 0 {
			return c
		}
		return strings.Compare(b.spans[0].TraceID, a.spans[0].TraceID)
	})
	out := make([][]Span, 0, min(len(hits), q.limit))
	for _, h := range hits[:min(len(hits), q.limit)] {
		out = append(out, h.spans)
	}
	return out
}
