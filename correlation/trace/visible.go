package trace

import (
	"github.com/ariadne-dev/ariadne/correlation/text"
	"github.com/ariadne-dev/ariadne/datasources"
)

// makeVisible is the tree's first pass: every text a span carries (name,
// status message, attribute keys and values, events, links, its resource)
// gets its invisible characters shown (text.Visible), so no page that
// draws a span can be fooled by a right-to-left override or a zero-width
// character in a span name. It rewrites the trace in place; a string is
// only replaced when it changes, which is almost never.
func makeVisible(tr *datasources.Trace) {
	seen := map[*datasources.Resource]bool{}
	for i := range tr.Spans {
		s := &tr.Spans[i]
		s.Name = text.Visible(s.Name)
		s.StatusMsg = text.Visible(s.StatusMsg)
		s.Scope = text.Visible(s.Scope)
		visibleAttrs(s.Attributes)
		for j := range s.Events {
			s.Events[j].Name = text.Visible(s.Events[j].Name)
			visibleAttrs(s.Events[j].Attributes)
		}
		for j := range s.Links {
			visibleAttrs(s.Links[j].Attributes)
		}
		if r := s.Resource; r != nil && !seen[r] {
			seen[r] = true
			r.Service = text.Visible(r.Service)
			visibleAttrs(r.Attributes)
		}
	}
}

func visibleAttrs(as []datasources.Attribute) {
	for i := range as {
		as[i].Key = text.Visible(as[i].Key)
		as[i].Value = text.Visible(as[i].Value)
	}
}
