package zipkintest

import (
	"cmp"
	"errors"
	"net/http"
	"slices"
	"strconv"
)

// DependencyLink is one edge of Zipkin's service graph: calls from parent
// to child, and how many of them failed.
type DependencyLink struct {
	Parent     string `json:"parent"`
	Child      string `json:"child"`
	CallCount  int64  `json:"callCount"`
	ErrorCount int64  `json:"errorCount,omitempty"`
}

// handleDependencies answers /api/v2/dependencies: endTs is required and
// lookback defaults to a day, both in milliseconds, as in Zipkin.
func (s *Store) handleDependencies(w http.ResponseWriter, r *http.Request) {
	endTs, lookback, err := dependencyWindow(r)
	if err != nil {
		textError(w, http.StatusBadRequest, err.Error())
		return
	}
	links := map[[2]string]*DependencyLink{}
	for _, spans := range s.snapshot() {
		ts := timestamp(spans)
		if ts == 0 || ts < (endTs-lookback)*1000 || ts > endTs*1000 {
			continue
		}
		linkTrace(spans, func(parent, child string, failed bool) {
			l := links[[2]string{parent, child}]
			if l == nil {
				l = &DependencyLink{Parent: parent, Child: child}
				links[[2]string{parent, child}] = l
			}
			l.CallCount++
			if failed {
				l.ErrorCount++
			}
		})
	}
	out := make([]DependencyLink, 0, len(links))
	for _, l := range links {
		out = append(out, *l)
	}
	slices.SortFunc(out, func(a, b DependencyLink) int {
		return cmp.Or(cmp.Compare(a.Parent, b.Parent), cmp.Compare(a.Child, b.Child))
	})
	writeJSON(w, out)
}

func dependencyWindow(r *http.Request) (endTs, lookback int64, err error) {
	q := r.URL.Query()
	if q.Get("endTs") == "" {
		return 0, 0, errors.New("Mandatory parameter is missing: endTs")
	}
	if endTs, err = strconv.ParseInt(q.Get("endTs"), 10, 64); err != nil {
		return 0, 0, errors.New("endTs is not a number: " + strconv.Quote(q.Get("endTs")))
	}
	lookback = DefaultLookback
	if s := q.Get("lookback"); s != "" {
		if lookback, err = strconv.ParseInt(s, 10, 64); err != nil {
			return 0, 0, errors.New("lookback is not a number: " + strconv.Quote(s))
		}
	}
	if endTs <= 0 {
		return 0, 0, errors.New("endTs <= 0")
	}
	if lookback <= 0 {
		return 0, 0, errors.New("lookback <= 0")
	}
	return endTs, lookback, nil
}

// linkTrace finds one trace's calls. It is the essential part of Zipkin's
// DependencyLinker, not all of it: a server span is a call from its client
// (the client half sharing its ID, or a client parent), or from its remote
// endpoint's service when the client is not traced; a client span no
// traced server answered is a call to its remote endpoint's service (an
// uninstrumented one); messaging spans link producer to broker and broker
// to consumer through their remote endpoints. A span without a kind but
// with both endpoints named counts as a client, as in Zipkin. A call is
// failed when either side carries the error tag.
func linkTrace(spans []Span, link func(parent, child string, failed bool)) {
	byID := map[string][]*Span{}
	for i := range spans {
		byID[spans[i].ID] = append(byID[spans[i].ID], &spans[i])
	}
	// client is the traced client a server span answered: the half sharing
	// its ID, or else (unless it says it is shared) a client parent.
	client := func(sp *Span) *Span {
		for _, c := range byID[sp.ID] {
			if c != sp && c.Kind == KindClient {
				return c
			}
		}
		if sp.Shared {
			return nil
		}
		for _, p := range byID[sp.ParentID] {
			if p.Kind == KindClient {
				return p
			}
		}
		return nil
	}
	answered := map[*Span]bool{} // clients whose call is counted from the server
	for i := range spans {
		if spans[i].Kind == KindServer {
			if c := client(&spans[i]); c != nil {
				answered[c] = true
			}
		}
	}
	for i := range spans {
		sp := &spans[i]
		local, remote := sp.LocalService(), sp.RemoteService()
		failed := hasError(sp)
		kind := sp.Kind
		if kind == "" && local != "" && remote != "" {
			kind = KindClient
		}
		var parent, child string
		switch kind {
		case KindServer:
			parent, child = remote, local
			if c := client(sp); c != nil && c.LocalService() != "" {
				parent = c.LocalService()
				failed = failed || hasError(c)
			}
		case KindClient:
			if answered[sp] {
				continue // counted from the server's side
			}
			parent, child = local, remote
		case KindProducer:
			parent, child = local, remote
		case KindConsumer:
			parent, child = remote, local
		}
		if parent != "" && child != "" {
			link(parent, child, failed)
		}
	}
}

func hasError(sp *Span) bool {
	_, ok := sp.Tags["error"]
	return ok
}
