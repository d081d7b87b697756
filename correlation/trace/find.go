package trace

import (
	"strings"

	"github.com/ariadne-dev/ariadne/datasources"
)

// Match is one span that Find matched, and the first of its fields that
// did, so a results list can say why ("order.id = ord-199603").
type Match struct {
	Node  int    // index in TraceTree.Nodes
	Field string // "name", "service", "status", "span ID", an attribute key, "event exception"…
	Value string // the matched field's text
}

// Found is what Find returns: the first matches in tree order and how
// many spans matched in all.
type Found struct {
	Matches []Match
	Total   int
}

// Find searches every span of t, not only the rendered rows, for q: a
// case-insensitive substring of the span's service, name, span ID, status
// ("error", "ok") and status message, its attribute and resource attribute
// keys and values ("key=value" matches too), and its events' names and
// attributes. At most limit matches are kept (Total counts them all).
//
// It runs on the server because the page may hold only part of the trace,
// and the attributes are not in the page at all.
func Find(t *TraceTree, q string, limit int) Found {
	q = strings.ToLower(strings.TrimSpace(q))
	var f Found
	if q == "" {
		return f
	}
	for i := range t.Nodes {
		field, value, ok := matchSpan(t.Nodes[i].Span, q)
		if !ok {
			continue
		}
		f.Total++
		if len(f.Matches) < limit {
			f.Matches = append(f.Matches, Match{Node: i, Field: field, Value: value})
		}
	}
	return f
}

// Ancestors marks every node above a match, so a page can render the
// path to each match open.
func (f Found) Ancestors(t *TraceTree) []bool {
	open := make([]bool, len(t.Nodes))
	for _, m := range f.Matches {
		t.MarkAncestors(open, m.Node)
	}
	return open
}

func matchSpan(s *datasources.Span, q string) (field, value string, ok bool) {
	has := func(v string) bool { return v != "" && containsLower(v, q) }
	switch {
	case has(s.Name):
		return "name", s.Name, true
	case has(s.Service()):
		return "service", s.Service(), true
	case has(s.SpanID):
		return "span ID", s.SpanID, true
	case has(string(s.Status)):
		return "status", string(s.Status), true
	case has(s.StatusMsg()):
		return "status message", s.StatusMsg(), true
	}
	var key, val string
	s.EachAttribute(func(a datasources.Attribute) bool {
		if matchAttr(a, q, has) {
			key, val, ok = a.Key, a.Value, true
		}
		return !ok
	})
	if ok {
		return key, val, true
	}
	for _, e := range s.Events() {
		if has(e.Name) {
			return "event", e.Name, true
		}
		if k, v, ok := matchAttrs(e.Attributes, q, has); ok {
			return "event " + e.Name + ": " + k, v, true
		}
	}
	if s.Resource != nil {
		if k, v, ok := matchAttrs(s.Resource.Attributes, q, has); ok {
			return "resource " + k, v, true
		}
	}
	return "", "", false
}

func matchAttrs(attrs []datasources.Attribute, q string, has func(string) bool) (key, value string, ok bool) {
	for _, a := range attrs {
		if matchAttr(a, q, has) {
			return a.Key, a.Value, true
		}
	}
	return "", "", false
}

// matchAttr says whether q is in a's key, its value, or "key=value"; the
// last can only add a match for a q holding "=".
func matchAttr(a datasources.Attribute, q string, has func(string) bool) bool {
	return has(a.Value) || has(a.Key) || strings.Contains(q, "=") && has(a.Key+"="+a.Value)
}

// containsLower says whether s, lower-cased, contains q (lower-case), as
// strings.Contains(strings.ToLower(s), q) does, without a lower-cased
// copy of every field of every span for ASCII text.
func containsLower(s, q string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return strings.Contains(strings.ToLower(s), q)
		}
	}
	if len(q) == 0 {
		return true
	}
	for i := 0; i+len(q) <= len(s); i++ {
		if lowerASCII(s[i]) != q[0] {
			continue
		}
		j := 1
		for j < len(q) && lowerASCII(s[i+j]) == q[j] {
			j++
		}
		if j == len(q) {
			return true
		}
	}
	return false
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
