package query

import (
	"strings"

	"github.com/ariadne-dev/ariadne/datasources"
)

// Matches reports whether trace tr satisfies f as the backends read the
// form: one span meets every span condition at once (TraceQL's spanset
// filter: the service's span, of that name, failed, that slow, with those
// attributes), and the trace's root span has RootService and RootName.
// Pages use it where a search cannot say "not": the rest of a window,
// once the traces matching a selection are taken out of it.
func (f TraceFilter) Matches(tr *datasources.Trace) bool {
	if tr == nil || len(tr.Spans) == 0 {
		return false
	}
	if f.RootService != "" || f.RootName != "" {
		root := rootSpan(tr)
		if root == nil || f.RootService != "" && root.Service() != f.RootService || f.RootName != "" && root.Name != f.RootName {
			return false
		}
	}
	attrs := make([][2]string, 0, len(f.Attributes))
	for _, kv := range f.Attributes {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return false // Build refuses it; nothing matches it
		}
		attrs = append(attrs, [2]string{strings.TrimSpace(k), strings.Trim(strings.TrimSpace(v), `"`)})
	}
	for i := range tr.Spans {
		if f.spanMatches(&tr.Spans[i], attrs) {
			return true
		}
	}
	return false
}

func (f TraceFilter) spanMatches(s *datasources.Span, attrs [][2]string) bool {
	d := s.Duration()
	switch {
	case f.Service != "" && s.Service() != f.Service,
		f.SpanName != "" && s.Name != f.SpanName,
		f.ErrorsOnly && s.Status != datasources.StatusError,
		f.MinDuration > 0 && d < f.MinDuration,
		f.MaxDuration > 0 && d > f.MaxDuration:
		return false
	}
	for _, a := range attrs {
		if !hasAttribute(s, a[0], a[1]) {
			return false
		}
	}
	return true
}

// hasAttribute reads key as Build writes it: "span." or "resource." for
// one scope, bare for either.
func hasAttribute(s *datasources.Span, key, value string) bool {
	spanScope, resScope := true, true
	if k, ok := strings.CutPrefix(key, "span."); ok {
		key, resScope = k, false
	} else if k, ok := strings.CutPrefix(key, "resource."); ok {
		key, spanScope = k, false
	}
	has := func(as []datasources.Attribute) bool {
		for _, a := range as {
			if a.Key == key && a.Value == value {
				return true
			}
		}
		return false
	}
	if spanScope {
		found := false
		s.FindAttributes([]string{key}, func(a datasources.Attribute) bool {
			found = a.Value == value
			return !found
		})
		if found {
			return true
		}
	}
	if !resScope || s.Resource == nil {
		return false
	}
	// Some backends' resources keep the service apart from the attributes.
	return has(s.Resource.Attributes) || key == "service.name" && s.Resource.Service == value
}

// rootSpan is the trace's first span without a parent, as Tempo's root
// intrinsics read it; nil when every span has one.
func rootSpan(tr *datasources.Trace) *datasources.Span {
	for i := range tr.Spans {
		if tr.Spans[i].ParentSpanID == "" {
			return &tr.Spans[i]
		}
	}
	return nil
}

// RestScope is the search whose traces, less those f matches, are "the
// rest of the window" beside f: f's service and span name when f says
// more than those (failing payments spans against the other payments
// traces), else every trace (a service's traces against all the others).
func (f TraceFilter) RestScope() TraceFilter {
	scope := TraceFilter{Service: f.Service, SpanName: f.SpanName, RootService: f.RootService, RootName: f.RootName}
	rest := f
	rest.Service, rest.SpanName, rest.RootService, rest.RootName = "", "", "", ""
	if rest.Empty() {
		return TraceFilter{}
	}
	return scope
}
