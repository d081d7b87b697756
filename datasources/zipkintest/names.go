package zipkintest

import (
	"net/http"
	"slices"
	"strings"
)

// The name endpoints answer sorted, de-duplicated lists, as Zipkin does,
// computed from what is stored now (after retention) rather than from an
// index kept on ingest: these servers hold test-sized data.

func (s *Store) handleServices(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, s.names(func(sp *Span) string { return sp.LocalService() }))
}

// handleSpanNames is GET /api/v2/spans: serviceName is required (Zipkin
// answers 400 without it); an empty one lists nothing.
func (s *Store) handleSpanNames(w http.ResponseWriter, r *http.Request) {
	service, ok := requiredParam(w, r, "serviceName")
	if !ok {
		return
	}
	writeJSON(w, s.names(func(sp *Span) string {
		if service == "" || sp.LocalService() != service {
			return ""
		}
		return sp.Name
	}))
}

func (s *Store) handleRemoteServices(w http.ResponseWriter, r *http.Request) {
	service, ok := requiredParam(w, r, "serviceName")
	if !ok {
		return
	}
	writeJSON(w, s.names(func(sp *Span) string {
		if service == "" || sp.LocalService() != service {
			return ""
		}
		return sp.RemoteService()
	}))
}

func (s *Store) handleAutocompleteKeys(w http.ResponseWriter, r *http.Request) {
	keys := slices.Clone(s.opts.autocompleteKeys)
	slices.Sort(keys)
	writeJSON(w, slices.Compact(keys))
}

// handleAutocompleteValues lists a configured key's tag values; a key not
// configured has none, as Zipkin indexes only configured keys.
func (s *Store) handleAutocompleteValues(w http.ResponseWriter, r *http.Request) {
	key, ok := requiredParam(w, r, "key")
	if !ok {
		return
	}
	if key == "" {
		textError(w, http.StatusBadRequest, "key was empty")
		return
	}
	configured := slices.Contains(s.opts.autocompleteKeys, key)
	writeJSON(w, s.names(func(sp *Span) string {
		if !configured {
			return ""
		}
		return sp.Tags[key]
	}))
}

// requiredParam reads a mandatory query parameter, answering 400 when it is
// missing. Service names are lower-cased: Zipkin stores them so.
func requiredParam(w http.ResponseWriter, r *http.Request, name string) (string, bool) {
	vals, ok := r.URL.Query()[name]
	if !ok {
		textError(w, http.StatusBadRequest, "Mandatory parameter is missing: "+name)
		return "", false
	}
	v := vals[0]
	if name == "serviceName" {
		v = strings.ToLower(v)
	}
	return v, true
}

// names collects the non-empty values of pick over every stored span.
func (s *Store) names(pick func(*Span) string) []string {
	seen := map[string]bool{}
	for _, spans := range s.snapshot() {
		for i := range spans {
			if n := pick(&spans[i]); n != "" {
				seen[n] = true
			}
		}
	}
	out := make([]string, 0, len(seen))
	for n := range seen {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}
