package views

import (
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ariadne-dev/ariadne/correlation/chart"
	"github.com/ariadne-dev/ariadne/correlation/links"
	"github.com/ariadne-dev/ariadne/correlation/query"
	"github.com/ariadne-dev/ariadne/correlation/sampling"
	"github.com/ariadne-dev/ariadne/correlation/text"
	"github.com/ariadne-dev/ariadne/correlation/trace"
	"github.com/ariadne-dev/ariadne/datasources"
)

// depthClass names the indentation classes in trace.css.
var depthClass = func() []string {
	c := make([]string, 64)
	for i := range c {
		c[i] = "d-" + strconv.Itoa(i)
	}
	return c
}()

// TraceOptions are the trace page's view options, from its URL.
type TraceOptions struct {
	Span   string     // selected span ID
	Depth  int        // expand to this depth; 0 = everything (within budget)
	Skew   bool       // adjust for clock skew
	Focus  string     // show only the subtree of this span
	Find   string     // search every span for this text
	Window url.Values // the from/to the page came with, kept on its links
	// Fold and Unfold list the spans folded or unfolded by hand, against
	// what Depth opens; Row is the first row of the window shown (-1, as
	// the handler sets it when the URL has none: the window around At,
	// else around Span, else the first); At names a span the window must
	// show (the one just folded).
	Fold, Unfold []string
	Expand       []string // groups of alike siblings shown span by span, by first span
	Row          int
	At           string
	// StatPages is the page of each statistics table shown whole ("ops",
	// "svcs"; 0 or absent: its top rows).
	StatPages map[string]int
}

// TraceInput is what building the trace page needs beside the tree.
type TraceInput struct {
	Options TraceOptions
	Now     time.Time      // for "5 min ago"
	Zone    *time.Location // the viewer's
	// REDQueries are the "metrics for this service" graphs, $service
	// replaced; empty means query.DefaultREDQueries.
	REDQueries []string
	// Backend names the trace backend that answered.
	Backend string
}

// BuildTrace is the trace page's view of t: header facts, the waterfall
// rows within the row budget, the selected span's details, statistics and
// the service graph.
func BuildTrace(t *trace.TraceTree, in TraceInput) TraceView {
	tr := t.Trace
	opt, zone := in.Options, in.Zone
	v := TraceView{ID: tr.ID, Backend: in.Backend, Spans: len(t.Nodes), Errors: t.Errors, Depth: t.MaxDepth + 1, Services: len(t.Services)}
	if tr.Partial {
		v.Partial = tr.PartialMessage
	}
	colour := ServiceClasses(t.Services)
	for _, s := range t.Services {
		v.Legend = append(v.Legend, ServiceChip{Name: s, Class: colour[s]})
	}
	if len(t.Roots) > 0 {
		root := t.Nodes[t.Roots[0]].Span
		v.Title = root.Service() + ": " + trace.SpanTitle(root)
	}
	start := time.Unix(0, t.StartNs)
	v.StartAbs = start.In(zone).Format("2006-01-02 15:04:05.000 MST")
	v.StartAgo = text.FormatAgo(start, in.Now)
	total := t.EndNs - t.StartNs
	v.Duration = text.FormatDuration(time.Duration(total))
	// The passes over the whole trace (sampling, statistics, the service
	// graph) only read the tree, as every page of it does: for a huge
	// trace they run beside the window of rows, each on its own core.
	var (
		wg            sync.WaitGroup
		sd            sampling.Decision
		services, ops []trace.OpStats
		graph         ServiceGraph
	)
	whole := func(f func()) {
		if len(t.Nodes) >= parallelNodes {
			wg.Go(f)
		} else {
			f()
		}
	}
	whole(func() {
		if len(t.Roots) > 0 {
			sd = sampling.OfTraceFrom(tr, t.Nodes[t.Roots[0]].Span)
		} else {
			sd = sampling.OfTrace(tr)
		}
	})
	whole(func() { services, ops = t.Stats() })
	whole(func() { graph = serviceGraphView(t, colour) })

	link := pageLink(tr.ID, opt)
	v.Links.Logs = links.Logs(links.LogsParams{TraceID: tr.ID, Window: links.TraceWindow(t.StartNs, t.EndNs)})
	rootService := ""
	if len(t.Services) > 0 {
		rootService = t.Services[0]
	}
	v.Links.Metrics = metricsURL(in.REDQueries, rootService, links.MetricsWindow(t.StartNs, t.EndNs, in.Now))
	v.Links.Search = links.TraceSearch(`{ resource.service.name = `+query.QuoteTraceQL(rootService)+` }`, links.TimeRange{})
	if opt.Focus != "" {
		v.Links.Focus = link(func(q url.Values) { q.Del("focus") })
	}
	if opt.Skew {
		v.SkewLink = Link{Label: "Show raw times", URL: link(func(q url.Values) { q.Del("skew") })}
	} else {
		v.SkewLink = Link{Label: "Adjust for skew", URL: link(func(q url.Values) { q.Set("skew", "adjust") })}
	}
	for _, d := range []int{1, 2, 3, 5, 0} {
		label := strconv.Itoa(d)
		if d == 0 {
			label = "all"
		}
		v.DepthLinks = append(v.DepthLinks, Link{Label: label, Current: opt.Depth == d,
			URL: link(func(q url.Values) {
				q.Del("fold")
				q.Del("unfold")
				if d == 0 {
					q.Del("depth")
				} else {
					q.Set("depth", strconv.Itoa(d))
				}
			})})
	}

	for _, tick := range chart.DurationTicks(total) {
		v.Ticks = append(v.Ticks, AxisTick{X: chart.Percent(tick, total), Label: text.FormatDuration(time.Duration(tick))})
	}

	m := newRowMarks(t, opt)
	for i := range t.Nodes {
		if t.Nodes[i].Skewed() {
			v.SkewSpans++
		}
	}
	v.Find = buildFind(t, opt, colour, link, &m)
	v.Rows, v.Window = buildWindow(t, opt, colour, link, &m)
	v.Overview = buildOverview(t, link)
	if m.selected >= 0 {
		d := BuildSpanDetails(t, m.selected)
		v.Selected = &d
	}

	wg.Wait()
	v.Sampling, v.SamplingSource = sd.Summary(), sd.Source
	v.ServiceStats = boundStats("svcs", "services", services, colour, opt.StatPages["svcs"], link)
	v.OpStats = boundStats("ops", "operations", ops, colour, opt.StatPages["ops"], link)
	v.Graph = graph
	return v
}

// parallelNodes is the trace size from which BuildTrace runs its passes
// over the whole trace at once: from a few thousand spans each pass is a
// millisecond or more, against microseconds for a goroutine (at 10,000
// spans the page went from 29–33 to 25–30 ms).
const parallelNodes = 4_000

// pageLink builds links to this trace page with its view options, changed
// by change.
func pageLink(id string, opt TraceOptions) func(change func(url.Values)) string {
	base := links.Trace(id, links.TraceParams{})
	return func(change func(q url.Values)) string {
		q := url.Values{}
		for k, vs := range opt.Window {
			q[k] = vs
		}
		if opt.Skew {
			q.Set("skew", "adjust")
		}
		if opt.Depth > 0 {
			q.Set("depth", strconv.Itoa(opt.Depth))
		}
		if opt.Focus != "" {
			q.Set("focus", opt.Focus)
		}
		if opt.Find != "" {
			q.Set("find", opt.Find)
		}
		if len(opt.Fold) > 0 {
			q.Set("fold", strings.Join(opt.Fold, ","))
		}
		if len(opt.Unfold) > 0 {
			q.Set("unfold", strings.Join(opt.Unfold, ","))
		}
		if len(opt.Expand) > 0 {
			q.Set("expand", strings.Join(opt.Expand, ","))
		}
		for k, p := range opt.StatPages {
			if p > 0 {
				q.Set(k, strconv.Itoa(p))
			}
		}
		change(q)
		if len(q) == 0 {
			return base
		}
		return base + "?" + q.Encode()
	}
}

// selectPrefix is the page's URL ready for a span ID to select: span
// IDs are hex, so they need no escaping after "span=".
func selectPrefix(link func(func(url.Values)) string) string {
	base := link(func(q url.Values) { q.Del("span") })
	if strings.Contains(base, "?") {
		return base + "&span="
	}
	return base + "?span="
}

// BuildSpanDetails is the details panel of node i.
func BuildSpanDetails(t *trace.TraceTree, i int) SpanDetails {
	nd := &t.Nodes[i]
	s := nd.Span
	d := SpanDetails{
		SpanID: s.SpanID, ParentID: s.ParentSpanID, Name: s.Name, Title: trace.SpanTitle(s),
		Service: s.Service(), Kind: string(s.Kind), Status: string(s.Status), StatusMessage: s.StatusMsg(),
		Error:     s.Status == datasources.StatusError,
		Offset:    text.FormatDuration(time.Duration(nd.StartNs() - t.StartNs)),
		Duration:  text.FormatDuration(s.Duration()),
		Self:      text.FormatDuration(time.Duration(nd.SelfNs)),
		Statement: trace.Statement(s),
	}
	if d.Kind == "" {
		d.Kind = "unspecified"
	}
	if d.Status == "" {
		d.Status = "unset"
	}
	if nd.Critical {
		d.Critical = text.FormatDuration(time.Duration(nd.CriticalNs)) + " on the critical path"
	}
	if nd.Skewed() {
		d.Skew = skewNote(nd)
	}
	d.LogsURL = links.Logs(links.LogsParams{TraceID: s.TraceID, SpanID: s.SpanID, Window: links.SpanWindow(s)})
	for _, a := range s.Attributes() {
		d.Attributes = append(d.Attributes, KV{Key: a.Key, Value: a.Value})
	}
	if s.Resource != nil {
		for _, a := range s.Resource.Attributes {
			d.Resource = append(d.Resource, KV{Key: a.Key, Value: a.Value})
		}
	}
	sortKV(d.Attributes)
	sortKV(d.Resource)
	for _, e := range s.Events() {
		ev := SpanEventView{Name: e.Name, Offset: text.FormatDuration(time.Duration(e.TimeNs - t.StartNs))}
		for _, a := range e.Attributes {
			switch a.Key {
			case "exception.type":
				ev.ExcType = a.Value
			case "exception.message":
				ev.ExcMessage = a.Value
			case "exception.stacktrace":
				ev.Stack = a.Value
			default:
				ev.Attributes = append(ev.Attributes, KV{Key: a.Key, Value: a.Value})
			}
		}
		d.Events = append(d.Events, ev)
	}
	for _, l := range s.Links() {
		lv := SpanLinkView{TraceID: l.TraceID, SpanID: l.SpanID, URL: links.Trace(l.TraceID, links.TraceParams{Span: l.SpanID}), Relation: "linked to"}
		if rt, _ := datasources.Attr(l.Attributes, "opentracing.ref_type"); rt == "follows_from" {
			lv.Relation = "follows from"
		}
		for _, a := range l.Attributes {
			lv.Attributes = append(lv.Attributes, KV{Key: a.Key, Value: a.Value})
		}
		d.Links = append(d.Links, lv)
	}
	return d
}

func sortKV(kvs []KV) {
	sort.SliceStable(kvs, func(i, j int) bool { return kvs[i].Key < kvs[j].Key })
}

func skewNote(nd *trace.Node) string {
	var parts []string
	if nd.StartsBeforeParentNs > 0 {
		parts = append(parts, "starts "+text.FormatDuration(time.Duration(nd.StartsBeforeParentNs))+" before its parent")
	}
	if nd.EndsAfterParentNs > 0 {
		parts = append(parts, "ends "+text.FormatDuration(time.Duration(nd.EndsAfterParentNs))+" after its parent")
	}
	s := strings.Join(parts, " and ")
	if nd.ShiftNs != 0 {
		s += fmt.Sprintf("; shown shifted by %s", text.FormatDuration(time.Duration(nd.ShiftNs)))
	}
	return s
}

// metricsURL links to the RED graphs of a service.
func metricsURL(templates []string, service string, w links.TimeRange) string {
	return links.Graph(query.REDQueries(templates, service), w)
}
