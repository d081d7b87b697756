package views

import (
	"net/url"
	"strconv"

	"github.com/ariadne-dev/ariadne/correlation/links"
	"github.com/ariadne-dev/ariadne/correlation/text"
	"github.com/ariadne-dev/ariadne/correlation/trace"
)

// FindLimit bounds the matches a Find lists; the rest are counted.
const FindLimit = 100

// rowMarks are the per-node marks rows are built with: the selected
// span, Find's matches and the subtrees opened to show them.
type rowMarks struct {
	selected    int
	found, open []bool
}

// shown is which nodes the page renders: the roots' subtrees down to
// maxDepth levels below them.
type shown struct {
	roots    []int
	maxDepth int
}

func (s shown) has(t *trace.TraceTree, j int) bool {
	for _, r := range s.roots {
		if j >= r && j <= r+t.Nodes[r].Descendants {
			return t.Nodes[j].Depth-t.Nodes[r].Depth <= s.maxDepth
		}
	}
	return false
}

// BuildFind is the trace page's Find results alone, as the page with the
// same options lists them.
func BuildFind(t *trace.TraceTree, opt TraceOptions) FindView {
	return buildFind(t, opt, shownOf(t, opt), ServiceClasses(t.Services), pageLink(t.Trace.ID, opt), &rowMarks{selected: -1})
}

// buildFind runs the page's Find over every span and marks the rendered
// matches (and their ancestors, opened) in m. A match the page does not
// render links to its parent's subtree with it selected, so every span is
// reachable from the list.
func buildFind(t *trace.TraceTree, opt TraceOptions, sh shown, colour map[string]string, link func(func(url.Values)) string, m *rowMarks) FindView {
	f := FindView{Action: links.Trace(t.Trace.ID, links.TraceParams{}), Query: opt.Find}
	for _, k := range []string{"from", "to"} {
		if v := opt.Window.Get(k); v != "" {
			f.Keep = append(f.Keep, Hidden{Name: k, Value: v})
		}
	}
	if opt.Skew {
		f.Keep = append(f.Keep, Hidden{Name: "skew", Value: "adjust"})
	}
	if opt.Depth > 0 {
		f.Keep = append(f.Keep, Hidden{Name: "depth", Value: strconv.Itoa(opt.Depth)})
	}
	if opt.Focus != "" {
		f.Keep = append(f.Keep, Hidden{Name: "focus", Value: opt.Focus})
	}
	if opt.Span != "" {
		f.Keep = append(f.Keep, Hidden{Name: "span", Value: opt.Span})
	}
	if opt.Find == "" {
		return f
	}
	f.Clear = link(func(q url.Values) { q.Del("find") })
	found := trace.Find(t, opt.Find, FindLimit)
	f.Total, f.More = found.Total, found.Total-len(found.Matches)
	m.found = make([]bool, len(t.Nodes))
	m.open = found.Ancestors(t)
	prefix := selectPrefix(link)
	ids := make([]byte, 0, len(found.Matches)*17)
	for _, hit := range found.Matches {
		nd := &t.Nodes[hit.Node]
		s := nd.Span
		m.found[hit.Node] = true
		if len(ids) > 0 {
			ids = append(ids, ' ')
		}
		ids = append(ids, s.SpanID...)
		it := FindItem{SvcClass: colour[s.Service()], Service: s.Service(), Title: trace.SpanTitle(s),
			Field: hit.Field, Value: text.Shorten(hit.Value, 160), URL: prefix + s.SpanID + "#s-" + s.SpanID}
		if !sh.has(t, hit.Node) {
			focus := s.SpanID
			if nd.Parent >= 0 {
				focus = t.Nodes[nd.Parent].Span.SpanID
			}
			it.URL = link(func(q url.Values) { q.Set("focus", focus); q.Set("span", s.SpanID) }) + "#s-" + s.SpanID
		}
		f.Items = append(f.Items, it)
	}
	f.IDs = string(ids)
	return f
}
