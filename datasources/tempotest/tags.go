package tempotest

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"

	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
)

// intrinsicTags is what Tempo lists under the "intrinsic" scope.
var intrinsicTags = []string{
	"duration", "event:name", "event:timeSinceStart", "instrumentation:name", "instrumentation:version",
	"kind", "name", "rootName", "rootServiceName", "span:duration", "span:kind", "span:name",
	"span:status", "span:statusMessage", "status", "statusMessage", "trace:duration", "trace:rootName",
	"trace:rootService", "traceDuration",
}

var tagScopes = []string{"resource", "span", "event", "link", "instrumentation"}

// eachTrace calls fn for every trace of the request's tenant inside its
// start/end, under the read lock; it reports a bad range as a message.
func (s *Store) eachTrace(r *http.Request, fn func(*storedTrace)) string {
	start, end, msg := parseRange(r)
	if msg != "" {
		return msg
	}
	tid := tenantFrom(r)
	s.expire(tid)
	s.mu.RLock()
	defer s.mu.RUnlock()
	if t := s.tenants[tid]; t != nil {
		for _, st := range t.traces {
			if st.overlaps(start, end) {
				fn(st)
			}
		}
	}
	return ""
}

// tagNames collects attribute names per scope.
func (s *Store) tagNames(r *http.Request) (map[string][]string, string) {
	sets := map[string]map[string]bool{}
	add := func(scope string, kvs []*commonpb.KeyValue) {
		for _, kv := range kvs {
			if sets[scope] == nil {
				sets[scope] = map[string]bool{}
			}
			sets[scope][kv.GetKey()] = true
		}
	}
	msg := s.eachTrace(r, func(st *storedTrace) {
		for _, ref := range st.spans() {
			add("resource", ref.resource.GetAttributes())
			add("span", ref.span.Attributes)
			add("instrumentation", ref.scope.GetAttributes())
			for _, ev := range ref.span.Events {
				add("event", ev.GetAttributes())
			}
			for _, l := range ref.span.Links {
				add("link", l.GetAttributes())
			}
		}
	})
	out := map[string][]string{"intrinsic": intrinsicTags}
	for scope, set := range sets {
		for k := range set {
			out[scope] = append(out[scope], k)
		}
		slices.Sort(out[scope])
	}
	return out, msg
}

func validScope(scope string) bool {
	return scope == "" || scope == "intrinsic" || slices.Contains(tagScopes, scope)
}

func (s *Store) handleTagsV1(w http.ResponseWriter, r *http.Request) {
	scope := r.URL.Query().Get("scope")
	if !validScope(scope) {
		textError(w, http.StatusBadRequest, "invalid scope: "+scope)
		return
	}
	byScope, msg := s.tagNames(r)
	if msg != "" {
		textError(w, http.StatusBadRequest, msg)
		return
	}
	var names []string
	if scope == "" {
		names = append(byScope["span"], byScope["resource"]...) // v1 lists attributes only
		slices.Sort(names)
		names = slices.Compact(names)
	} else {
		names = byScope[scope]
	}
	writeJSON(w, map[string]any{"tagNames": nonNil(names), "metrics": map[string]any{}})
}

func (s *Store) handleTagsV2(w http.ResponseWriter, r *http.Request) {
	scope := r.URL.Query().Get("scope")
	if !validScope(scope) {
		textError(w, http.StatusBadRequest, "invalid scope: "+scope)
		return
	}
	byScope, msg := s.tagNames(r)
	if msg != "" {
		textError(w, http.StatusBadRequest, msg)
		return
	}
	type scopeTags struct {
		Name string   `json:"name"`
		Tags []string `json:"tags"`
	}
	scopes := []scopeTags{}
	for _, name := range append(slices.Clone(tagScopes), "intrinsic") {
		if (scope == "" || scope == name) && len(byScope[name]) > 0 {
			scopes = append(scopes, scopeTags{name, byScope[name]})
		}
	}
	writeJSON(w, map[string]any{"scopes": scopes, "metrics": map[string]any{}})
}

// tagValue is a v2 value: its TraceQL type and its text.
type tagValue struct {
	Type  string `json:"type"`
	Value string `json:"value"`
}

func (s *Store) handleTagValuesV1(w http.ResponseWriter, r *http.Request) {
	// v1 takes a bare name and looks in span and resource attributes.
	values, msg := s.tagValues(r, operand{attr: true, name: r.PathValue("tag")})
	if msg != "" {
		textError(w, http.StatusBadRequest, msg)
		return
	}
	strs := []string{}
	for _, v := range values {
		strs = append(strs, v.Value)
	}
	slices.Sort(strs)
	strs = slices.Compact(strs)
	writeJSON(w, map[string]any{"tagValues": strs[:valuesLimit(r, len(strs))], "metrics": map[string]any{}})
}

func (s *Store) handleTagValuesV2(w http.ResponseWriter, r *http.Request) {
	ident := r.PathValue("ident")
	toks, err := lex(ident)
	if err != nil || len(toks) != 2 || (toks[0].kind != tAttribute && toks[0].kind != tIntrinsic) {
		textError(w, http.StatusBadRequest, "invalid tag: "+strconv.Quote(ident)+" is not a TraceQL attribute or intrinsic")
		return
	}
	o := operand{attr: toks[0].kind == tAttribute, scope: toks[0].scope, name: toks[0].text, in: intrinsics[toks[0].text]}
	values, msg := s.tagValues(r, o)
	if msg != "" {
		textError(w, http.StatusBadRequest, msg)
		return
	}
	writeJSON(w, map[string]any{"tagValues": values[:valuesLimit(r, len(values))], "metrics": map[string]any{}})
}

// valuesLimit is how many of n values to answer: the request's limit, as
// Tempo applies it (which ones is Tempo's choice; here the first sorted),
// or all of them when it is absent, zero or not a number.
func valuesLimit(r *http.Request, n int) int {
	if l, err := strconv.Atoi(r.URL.Query().Get("limit")); err == nil && l > 0 {
		return min(l, n)
	}
	return n
}

// tagValues evaluates o on every span and returns distinct typed values,
// sorted by type then value. Durations and IDs are not listed, as in Tempo.
func (s *Store) tagValues(r *http.Request, o operand) ([]tagValue, string) {
	switch o.in {
	case iDuration, iTraceDuration, iTraceID, iSpanID, iParentID:
		return []tagValue{}, ""
	}
	seen := map[tagValue]bool{}
	msg := s.eachTrace(r, func(st *storedTrace) {
		c := &evalCtx{tr: &traceInfo{rootService: st.rootService, rootName: st.rootName}}
		for _, ref := range st.spans() {
			c.ref = ref
			for _, v := range o.values(c) {
				seen[typedText(v)] = true
			}
		}
	})
	out := make([]tagValue, 0, len(seen))
	for v := range seen {
		out = append(out, v)
	}
	slices.SortFunc(out, func(a, b tagValue) int {
		if a.Type != b.Type {
			return cmp3(a.Type, b.Type)
		}
		return cmp3(a.Value, b.Value)
	})
	return out, msg
}

func typedText(v value) tagValue {
	switch v.t {
	case vInt:
		return tagValue{"int", valueText(v)}
	case vFloat:
		return tagValue{"float", valueText(v)}
	case vBool:
		return tagValue{"bool", valueText(v)}
	case vStatus:
		for w, n := range statusCodes {
			if n == v.n {
				return tagValue{"keyword", w}
			}
		}
	case vKind:
		for w, n := range kindCodes {
			if n == v.n {
				return tagValue{"keyword", w}
			}
		}
	}
	return tagValue{"string", v.s}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func writeJSON(w http.ResponseWriter, v any) {
	b, err := json.Marshal(v)
	writeBody(w, "application/json", b, err)
}
