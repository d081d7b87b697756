package handlers

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/ariadne-dev/ariadne/correlation/links"
	"github.com/ariadne-dev/ariadne/correlation/logline"
	"github.com/ariadne-dev/ariadne/correlation/snapshot"
	"github.com/ariadne-dev/ariadne/correlation/text"
	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/store"
	"github.com/ariadne-dev/ariadne/views"
)

// How much of a snapshot a timeline card draws.
const (
	cardSpanRows   = 40
	cardGraphLines = 6
)

// investigationView builds the timeline page's model (also the share
// page's, readOnly) from stored rows only: no backend is asked.
func investigationView(inv store.Investigation, items []store.Item, tf func(time.Time) string, readOnly bool) views.Investigation {
	v := views.Investigation{ID: strconv.FormatInt(inv.ID, 10), URL: links.Investigation(inv.ID), Title: inv.Title, Status: inv.Status,
		Author: inv.Author, Created: tf(inv.CreatedAt), Updated: tf(inv.UpdatedAt), Version: strconv.Itoa(inv.Version), ReadOnly: readOnly}
	if !inv.From.IsZero() {
		v.Range = tf(inv.From) + " – " + tf(inv.To)
	}
	for i, it := range items {
		iv := itemView(it, tf)
		iv.First, iv.Last = i == 0, i == len(items)-1
		v.Items = append(v.Items, iv)
	}
	return v
}

func itemView(it store.Item, tf func(time.Time) string) views.InvItem {
	iv := views.InvItem{ID: strconv.FormatInt(it.ID, 10), Anchor: "item-" + strconv.FormatInt(it.ID, 10), Kind: it.Kind,
		KindLabel: invKindLabel(it.Kind), Title: it.Title, Author: it.Author, Pinned: tf(it.CreatedAt),
		Version: strconv.Itoa(it.Version), NoteHTML: renderNote(it.Note), NoteSource: it.Note}
	iv.LiveURL, iv.LiveLabel = invLiveLink(it)
	s := it.Snapshot
	if s == nil {
		return iv
	}
	iv.Omitted = s.Omitted
	if len(s.Series) > 0 || it.Kind == store.KindGraph {
		iv.Graph = invGraphView(s, it.Ref, tf)
	}
	if e := s.Exemplar; e != nil {
		iv.Exemplar = []views.InvFact{{Label: "Trace", Value: e.TraceID}, {Label: "Value", Value: invValue(e.Value)},
			{Label: "At", Value: tf(time.UnixMilli(e.TMs))}, {Label: "Series", Value: invLabels(e.SeriesLabels)}}
	}
	if s.Trace != nil {
		iv.Waterfall = invWaterfallView(s.Trace, tf)
	}
	for _, l := range s.Lines {
		iv.Lines = append(iv.Lines, views.InvLogLine{Time: tf(time.Unix(0, l.TimeNs)), Labels: invLabels(l.Labels), Line: l.Line, Level: invLevelClass(l)})
	}
	return iv
}

func invKindLabel(kind string) string {
	switch kind {
	case store.KindGraph:
		return "Graph"
	case store.KindExemplar:
		return "Exemplar"
	case store.KindTrace:
		return "Trace"
	case store.KindSpan:
		return "Span"
	case store.KindLogQuery:
		return "Logs"
	case store.KindLogLine:
		return "Log line"
	}
	return "Note"
}

// invLiveLink reopens the page an item came from, over its saved window.
func invLiveLink(it store.Item) (string, string) {
	r := it.Ref
	var w links.TimeRange
	if !r.From.IsZero() {
		w = links.TimeRange{From: r.From, To: r.To}
	}
	switch it.Kind {
	case store.KindGraph:
		return links.Graph([]string{r.Query}, w), "Reopen graph live"
	case store.KindExemplar, store.KindTrace, store.KindSpan:
		return links.Trace(r.TraceID, links.TraceParams{Window: w, Span: r.SpanID}), "Open trace live"
	case store.KindLogQuery, store.KindLogLine:
		return links.Logs(links.LogsParams{Query: r.Query, Window: w}), "Reopen logs live"
	}
	return "", ""
}

// invGraphView scales the series into the card's 1000×100 box. Gaps (a
// missing step) break the line instead of bridging it.
func invGraphView(s *snapshot.Snapshot, ref store.Ref, tf func(time.Time) string) *views.InvGraph {
	g := &views.InvGraph{}
	// The x axis is the pinned window; without one, the data's extent.
	fixed := !ref.From.IsZero()
	t0, t1 := ref.From.UnixMilli(), ref.To.UnixMilli()
	lo, hi := math.Inf(1), math.Inf(-1)
	n := 0
	for _, ser := range s.Series {
		for i, t := range ser.T {
			switch {
			case fixed:
			case n == 0:
				t0, t1 = t, t
			default:
				t0, t1 = min(t0, t), max(t1, t)
			}
			lo, hi = min(lo, ser.V[i]), max(hi, ser.V[i])
			n++
		}
	}
	if e := s.Exemplar; e != nil {
		lo, hi = min(lo, e.Value), max(hi, e.Value)
	}
	if n == 0 {
		g.Empty = s.Exemplar == nil
		if g.Empty {
			return g
		}
		if !fixed {
			t0, t1 = s.Exemplar.TMs-60000, s.Exemplar.TMs+60000
		}
	}
	lo = min(lo, 0)
	if hi <= lo {
		hi = lo + 1
	}
	if t1 <= t0 {
		t1 = t0 + 1
	}
	x := func(t int64) float64 { return float64(t-t0) / float64(t1-t0) * 1000 }
	y := func(v float64) float64 { return 96 - (v-lo)/(hi-lo)*92 }
	for i, ser := range s.Series {
		if i == cardGraphLines {
			break
		}
		step := invMinStep(ser.T)
		var d strings.Builder
		for j, t := range ser.T {
			cmd := "L"
			if j == 0 || step > 0 && t-ser.T[j-1] > step*5/2 {
				cmd = "M"
			}
			fmt.Fprintf(&d, "%s%.1f %.1f", cmd, x(t), y(ser.V[j]))
		}
		p := views.InvGraphPath{D: d.String(), Class: "s" + strconv.Itoa(i), Label: invLabels(ser.Labels)}
		g.Paths = append(g.Paths, p)
		g.Legend = append(g.Legend, p)
	}
	if e := s.Exemplar; e != nil {
		g.Dots = append(g.Dots, views.InvGraphDot{X: fmt.Sprintf("%.1f", x(e.TMs)), Y: fmt.Sprintf("%.1f", y(e.Value)),
			Title: "trace " + e.TraceID + ": " + invValue(e.Value)})
	}
	g.YMax, g.YMin = invValue(hi), invValue(lo)
	g.From, g.To = tf(time.UnixMilli(t0)), tf(time.UnixMilli(t1))
	return g
}

func invMinStep(ts []int64) int64 {
	var step int64
	for i := 1; i < len(ts); i++ {
		if d := ts[i] - ts[i-1]; d > 0 && (step == 0 || d < step) {
			step = d
		}
	}
	return step
}

// invWaterfallView draws at most cardSpanRows rows: the focused span with its
// ancestors and children, failed spans, then the first rows in tree order.
func invWaterfallView(t *snapshot.Trace, tf func(time.Time) string) *views.InvWaterfall {
	w := &views.InvWaterfall{TraceID: t.ID, Total: t.TotalSpans, Partial: t.Partial, Duration: text.FormatDuration(time.Duration(t.EndNs - t.StartNs))}
	show := make([]bool, len(t.Spans))
	shown := 0
	mark := func(i int) {
		if !show[i] && shown < cardSpanRows {
			show[i], shown = true, shown+1
		}
	}
	if t.Focus != "" {
		idx := map[string]int{}
		for i, s := range t.Spans {
			idx[s.ID] = i
		}
		for id, hops := t.Focus, 0; id != "" && hops < cardSpanRows; hops++ {
			i, ok := idx[id]
			if !ok {
				break
			}
			mark(i)
			id = t.Spans[i].Parent
		}
		for i, s := range t.Spans {
			if s.Parent == t.Focus {
				mark(i)
			}
		}
	}
	for i, s := range t.Spans {
		if s.Error {
			mark(i)
		}
	}
	for i := range t.Spans {
		mark(i)
	}
	dur := float64(max(t.EndNs-t.StartNs, 1))
	for i, s := range t.Spans {
		if !show[i] {
			continue
		}
		r := views.InvSpanRow{Name: s.Name, Service: s.Service, Duration: text.FormatDuration(time.Duration(s.EndNs - s.StartNs)),
			DepthClass: "depth-" + strconv.Itoa(min(s.Depth, 8)), Error: s.Error, Focus: s.ID == t.Focus, StatusMsg: s.StatusMsg,
			X: fmt.Sprintf("%.2f", float64(s.StartNs-t.StartNs)/dur*100),
			W: fmt.Sprintf("%.2f", max(float64(s.EndNs-s.StartNs)/dur*100, 0.3))}
		// The focused span shows everything it kept; other failed spans
		// only what explains the failure, so the card stays compact.
		if r.Focus {
			for _, a := range s.Attrs {
				r.Attrs = append(r.Attrs, views.InvFact{Label: a.K, Value: a.V})
			}
		}
		for _, e := range s.Events {
			ev := views.InvSpanEvent{At: "+" + text.FormatDuration(time.Duration(e.TimeNs-s.StartNs)), Name: e.Name}
			for _, a := range e.Attrs {
				if r.Focus || a.K == "exception.message" {
					ev.Attrs = append(ev.Attrs, views.InvFact{Label: a.K, Value: a.V})
				}
			}
			if r.Focus || len(ev.Attrs) > 0 {
				r.Events = append(r.Events, ev)
			}
		}
		w.Rows = append(w.Rows, r)
	}
	w.Hidden = len(t.Spans) - shown
	return w
}

// invLevelClass is a pinned line's level class, by the same reading of
// levels as the logs page (logline.LineLevel).
func invLevelClass(l snapshot.Line) string {
	return views.LevelClass(logline.LineLevel(&datasources.LogLine{Line: l.Line, Labels: l.Labels}))
}

// invActivityText is one activity entry as a sentence after the actor's name.
func invActivityText(a store.Activity) string {
	d := func(k string) string {
		v, ok := a.Detail[k]
		if !ok {
			return ""
		}
		if f, ok := v.(float64); ok {
			return strconv.FormatFloat(f, 'f', -1, 64)
		}
		return fmt.Sprint(v)
	}
	switch a.Action {
	case "created":
		return "created “" + d("title") + "”"
	case "pinned":
		return "pinned " + strings.ToLower(invKindLabel(d("kind"))) + " “" + d("title") + "”"
	case "noted":
		return "added a note"
	case "edited":
		return "edited “" + d("title") + "”"
	case "renamed":
		return "renamed “" + d("from") + "” to “" + d("to") + "”"
	case "status":
		return "marked it " + d("to")
	case "moved":
		return "moved “" + d("title") + "” " + d("direction")
	case "deleted":
		return "deleted " + strings.ToLower(invKindLabel(d("kind"))) + " “" + d("title") + "”"
	case "shared":
		return "created share link #" + d("link")
	case "revoked":
		return "revoked share link #" + d("link")
	}
	return a.Action
}

// invTimeIn formats times in loc.
func invTimeIn(loc *time.Location) func(time.Time) string {
	return func(t time.Time) string { return invTime(t, loc) }
}

// invTime shows a time in loc (UTC when nil), to the millisecond when it
// has them.
func invTime(t time.Time, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	t = t.In(loc)
	if t.Nanosecond()/1e6 != 0 {
		return t.Format("2006-01-02 15:04:05.000 MST")
	}
	return t.Format("2006-01-02 15:04:05 MST")
}

func invValue(v float64) string { return strconv.FormatFloat(v, 'g', 4, 64) }

// invLabels writes a label set as everywhere else; nothing for none.
func invLabels(m map[string]string) string {
	if len(m) == 0 {
		return ""
	}
	return datasources.FormatLabels(m)
}
