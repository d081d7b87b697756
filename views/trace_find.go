package views

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/ariadne-dev/ariadne/correlation/links"
	"github.com/ariadne-dev/ariadne/correlation/text"
	"github.com/ariadne-dev/ariadne/correlation/trace"
)

// FindLimit bounds the matches a Find lists; the rest are counted.
const FindLimit = 100

// BuildFind is the trace page's Find results alone, as the page with the
// same options lists them.
func BuildFind(t *trace.TraceTree, opt TraceOptions) FindView {
	m := newRowMarks(t, opt)
	return buildFind(t, opt, ServiceClasses(t.Services), pageLink(t.Trace.ID, opt), &m)
}

// buildFind runs the page's Find over every span and marks the matches in
// m, their paths opened. Each match links to the page with it selected,
// which shows the window of rows around it: every span is reachable from
// the list, however far from the first rows.
func buildFind(t *trace.TraceTree, opt TraceOptions, colour map[string]string, link func(func(url.Values)) string, m *rowMarks) FindView {
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
	if len(opt.Fold) > 0 {
		f.Keep = append(f.Keep, Hidden{Name: "fold", Value: strings.Join(opt.Fold, ",")})
	}
	if len(opt.Unfold) > 0 {
		f.Keep = append(f.Keep, Hidden{Name: "unfold", Value: strings.Join(opt.Unfold, ",")})
	}
	if opt.Find == "" {
		return f
	}
	f.Clear = link(func(q url.Values) { q.Del("find") })
	found := trace.Find(t, opt.Find, FindLimit)
	f.Total, f.More = found.Total, found.Total-len(found.Matches)
	m.found = make([]bool, len(t.Nodes))
	for _, hit := range found.Matches {
		t.MarkAncestors(m.open, hit.Node)
	}
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
		if r := m.roots; opt.Focus != "" && (hit.Node < r[0] || hit.Node > r[0]+int(t.Nodes[r[0]].Descendants)) {
			// Outside the subtree shown: the whole trace, with it selected.
			it.URL = link(func(q url.Values) { q.Del("focus"); q.Set("span", s.SpanID) }) + "#s-" + s.SpanID
		}
		f.Items = append(f.Items, it)
	}
	f.IDs = string(ids)
	return f
}
