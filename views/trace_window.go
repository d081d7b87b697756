package views

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ariadne-dev/ariadne/correlation/chart"
	"github.com/ariadne-dev/ariadne/correlation/text"
	"github.com/ariadne-dev/ariadne/correlation/trace"
	"github.com/ariadne-dev/ariadne/datasources"
)

// RowWindow is how many waterfall rows one page, or one fragment the
// page's script loads, renders. A trace of any size shows its first rows
// at once and stays a page a browser holds: the rest are windows away,
// by link (no JavaScript) or loaded as the user scrolls (trace.js keeps a
// few windows in the page and drops far ones).
const RowWindow = 200

// MaxFolds bounds the spans a URL may fold or unfold by hand.
const MaxFolds = 200

// WindowView is which rows of the trace the page shows and the ways to
// the others.
type WindowView struct {
	Start, End, Total int // rows [Start, End) of Total visible ones
	Size              int // RowWindow, for the script
	Prev, Next        Link
}

// rowMarks are the per-node marks rows are built with: the selected span,
// the span the window must show, Find's matches, the subtrees opened to
// show them, and the folds made by hand.
type rowMarks struct {
	selected, at int // node indices, -1 for none
	found        []bool
	open         []bool // forced open: paths to the selection, at, matches
	fold, unfold []bool // by hand, from the URL
	expand       []bool // groups of alike siblings shown span by span
	runs         []int32
	roots        []int
	base         int32 // depth of the roots (a focused subtree starts deeper)
}

// newRowMarks reads the options against the tree: the selected and at
// spans (their paths open), the hand folds, the roots (a focused subtree
// or the whole trace). One pass over the spans.
func newRowMarks(t *trace.TraceTree, opt TraceOptions) rowMarks {
	m := rowMarks{selected: -1, at: -1, open: make([]bool, len(t.Nodes)), roots: t.Roots}
	var folded, unfolded, expanded map[string]bool
	if len(opt.Fold)+len(opt.Unfold)+len(opt.Expand) > 0 {
		folded, unfolded, expanded = set(opt.Fold), set(opt.Unfold), set(opt.Expand)
		m.fold, m.unfold, m.expand = make([]bool, len(t.Nodes)), make([]bool, len(t.Nodes)), make([]bool, len(t.Nodes))
	}
	for i := range t.Nodes {
		id := t.Nodes[i].Span.SpanID
		switch id {
		case opt.Span:
			m.selected = i
		case "":
			continue
		}
		if id == opt.At {
			m.at = i
		}
		if id == opt.Focus {
			m.roots, m.base = []int{i}, t.Nodes[i].Depth
		}
		if folded != nil {
			m.fold[i], m.unfold[i], m.expand[i] = folded[id], unfolded[id], expanded[id]
		}
	}
	if m.selected >= 0 {
		t.MarkAncestors(m.open, m.selected)
	}
	if m.at >= 0 {
		t.MarkAncestors(m.open, m.at)
	}
	return m
}

func set(ids []string) map[string]bool {
	out := make(map[string]bool, len(ids))
	for _, id := range ids {
		out[id] = true
	}
	return out
}

// isOpen says whether node i shows its children: folded by hand, no;
// unfolded by hand or on the way to a span the page must show, yes;
// otherwise as "expand to depth" says.
func (m *rowMarks) isOpen(t *trace.TraceTree, depth int) func(i int) bool {
	return func(i int) bool {
		if m.fold != nil && m.fold[i] {
			return false
		}
		if m.open[i] || (m.unfold != nil && m.unfold[i]) {
			return true
		}
		return depth == 0 || int(t.Nodes[i].Depth-m.base)+1 < depth
	}
}

// BuildRows is one window of the waterfall alone, as the page with the
// same options shows it (Find's matches opened too): the rows fragment.
func BuildRows(t *trace.TraceTree, opt TraceOptions) TraceView {
	v := TraceView{ID: t.Trace.ID}
	colour, link := ServiceClasses(t.Services), pageLink(t.Trace.ID, opt)
	m := newRowMarks(t, opt)
	v.Find = buildFind(t, opt, colour, link, &m)
	v.Rows, v.Window = buildWindow(t, opt, colour, link, &m)
	return v
}

// runEnd is the node after the run of alike siblings starting at first
// (and their subtrees).
func (m *rowMarks) runEnd(t *trace.TraceTree, first int) int {
	end := first
	for range m.runs[first] {
		end += int(t.Nodes[end].Descendants) + 1
	}
	return end
}

// isGrouped says whether the run of alike siblings starting at first
// shows as one row: unless expanded by hand, or a span the page must show
// (the selected one, a Find match) lies in it.
func (m *rowMarks) isGrouped(t *trace.TraceTree) func(first int) bool {
	return func(first int) bool {
		if m.expand != nil && m.expand[first] {
			return false
		}
		end := m.runEnd(t, first)
		if m.selected >= first && m.selected < end {
			return false
		}
		if m.found != nil {
			for i := first; i < end; i++ {
				if m.found[i] {
					return false
				}
			}
		}
		return true
	}
}

// buildWindow lists the visible rows (folds applied) and renders one
// window of them: the one asked for, else the one holding the span just
// folded, else the selected span's, else the first.
func buildWindow(t *trace.TraceTree, opt TraceOptions, colour map[string]string, link func(func(url.Values)) string, m *rowMarks) ([]TraceRow, WindowView) {
	open := m.isOpen(t, opt.Depth)
	m.runs = t.Runs(trace.GroupMin)
	vis := t.Visible(m.roots, open, m.runs, m.isGrouped(t))
	start := max(opt.Row, 0)
	if opt.Row < 0 {
		for _, target := range []int{m.at, m.selected} {
			if target < 0 {
				continue
			}
			if pos := slices.IndexFunc(vis, func(it trace.Item) bool { return it.Node == int32(target) }); pos >= 0 {
				start = pos
				break
			}
		}
	}
	start -= start % RowWindow
	if start >= len(vis) {
		start = max(len(vis)-1, 0) / RowWindow * RowWindow
	}
	end := min(start+RowWindow, len(vis))
	w := WindowView{Start: start, End: end, Total: len(vis), Size: RowWindow}
	at := func(row int) string {
		return link(func(q url.Values) { q.Set("row", strconv.Itoa(row)); q.Del("at") })
	}
	if start > 0 {
		from := max(start-RowWindow, 0)
		w.Prev = Link{URL: at(from), Label: "↑ Rows " + strconv.Itoa(from+1) + "–" + strconv.Itoa(start) + " of " + strconv.Itoa(len(vis))}
	}
	if end < len(vis) {
		w.Next = Link{URL: at(end), Label: "↓ Rows " + strconv.Itoa(end+1) + "–" + strconv.Itoa(min(end+RowWindow, len(vis))) + " of " + strconv.Itoa(len(vis))}
	}

	total := t.EndNs - t.StartNs
	// Every row links to itself selected: build the shared part once.
	selectBase := selectPrefix(link)
	rows := make([]TraceRow, 0, end-start)
	for pos := start; pos < end; pos++ {
		it := vis[pos]
		j := int(it.Node)
		nd := &t.Nodes[j]
		depth := int(nd.Depth - m.base)
		s := nd.Span
		if it.Count > 1 {
			rows = append(rows, groupRow(t, j, int(it.Count), depth, colour, opt, link, pos))
			continue
		}
		dur := nd.EndNs() - nd.StartNs()
		row := TraceRow{
			SpanID:     s.SpanID,
			Depth:      depth,
			DepthClass: depthClass[min(depth, len(depthClass)-1)],
			SvcClass:   colour[s.Service()],
			Service:    s.Service(),
			Title:      trace.SpanTitle(s),
			Duration:   text.FormatDuration(time.Duration(dur)),
			X:          chart.Percent(nd.StartNs()-t.StartNs, total),
			W:          chart.PercentMin(dur, total),
			Error:      s.Status == datasources.StatusError,
			Critical:   nd.Critical,
			Orphan:     nd.MissingParent,
			Selected:   j == m.selected,
			Found:      m.found != nil && m.found[j],
			SelectURL:  selectBase + s.SpanID + "#s-" + s.SpanID,
			Pos:        pos,
		}
		if nd.Skewed() {
			row.Skew = skewNote(nd)
		}
		if nd.Descendants > 0 {
			row.Parent, row.Open = true, open(j)
			if !row.Open {
				row.Folded = int(nd.Descendants)
			}
			row.FoldURL = foldURL(opt, link, s.SpanID, row.Open)
		}
		if n := m.runs[j]; n > 0 {
			// The first of an expanded group: a way back to one row.
			row.GroupCount = int(n)
			row.GroupURL = groupURL(opt, link, s.SpanID, false, m.selected >= j && m.selected < m.runEnd(t, j))
		}
		rows = append(rows, row)
	}
	return rows, w
}

// groupRow is the one row of a run of count alike siblings from node
// first: how many, how long (p50, p99, max), how many failed, its extent
// as the bar; its control shows them span by span.
func groupRow(t *trace.TraceTree, first, count, depth int, colour map[string]string, opt TraceOptions, link func(func(url.Values)) string, pos int) TraceRow {
	s := t.Nodes[first].Span
	g := t.GroupOf(first, count)
	total := t.EndNs - t.StartNs
	stats := "p50 " + text.FormatDuration(time.Duration(g.P50)) + " · p99 " + text.FormatDuration(time.Duration(g.P99))
	if g.Errors > 0 {
		stats += " · " + strconv.Itoa(g.Errors) + " failed"
	}
	return TraceRow{
		SpanID: s.SpanID, Depth: depth, DepthClass: depthClass[min(depth, len(depthClass)-1)],
		SvcClass: colour[s.Service()], Service: s.Service(), Title: trace.SpanTitle(s),
		Duration: "max " + text.FormatDuration(time.Duration(g.Max)),
		X:        chart.Percent(g.StartNs-t.StartNs, total), W: chart.PercentMin(g.EndNs-g.StartNs, total),
		Error: g.Errors > 0, Critical: g.Critical, Pos: pos,
		Group: &GroupRow{Count: count, Stats: stats, ExpandURL: groupURL(opt, link, s.SpanID, true, false)},
	}
}

// groupURL is the page with the group starting at span id shown span by
// span (expand) or as one row again, the window kept around it; a
// selected span inside a group made one row again is let go (dropSpan).
func groupURL(opt TraceOptions, link func(func(url.Values)) string, id string, expand, dropSpan bool) string {
	ids := without(opt.Expand, id)
	if expand {
		ids = append(ids, id)
	}
	return link(func(q url.Values) {
		setList(q, "expand", ids)
		q.Set("at", id)
		q.Del("row")
		if dropSpan {
			q.Del("span")
		}
	}) + "#s-" + id
}

// foldURL is the page with span id folded (open) or unfolded, the window
// kept around it.
func foldURL(opt TraceOptions, link func(func(url.Values)) string, id string, open bool) string {
	fold, unfold := without(opt.Fold, id), without(opt.Unfold, id)
	if open {
		fold = append(fold, id)
	} else {
		unfold = append(unfold, id)
	}
	return link(func(q url.Values) {
		setList(q, "fold", fold)
		setList(q, "unfold", unfold)
		q.Set("at", id)
		q.Del("row")
	}) + "#s-" + id
}

func without(ids []string, id string) []string {
	out := make([]string, 0, len(ids)+1)
	for _, x := range ids {
		if x != id {
			out = append(out, x)
		}
	}
	return out
}

func setList(q url.Values, key string, ids []string) {
	if len(ids) == 0 {
		q.Del(key)
		return
	}
	q.Set(key, strings.Join(ids[max(len(ids)-MaxFolds, 0):], ","))
}
