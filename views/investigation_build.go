package views

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/ariadne-dev/ariadne/correlation/chart"
	"github.com/ariadne-dev/ariadne/correlation/links"
	"github.com/ariadne-dev/ariadne/correlation/logline"
	"github.com/ariadne-dev/ariadne/correlation/snapshot"
	"github.com/ariadne-dev/ariadne/correlation/text"
	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/store"
)

// How much of a snapshot a timeline card draws.
const (
	cardSpanRows   = 40
	cardGraphLines = 6
)

// InvestigationInput is what the timeline page shows, all read from the
// store: no backend is asked. The share page leaves Activity and Shares
// empty and sets ReadOnly.
type InvestigationInput struct {
	Investigation store.Investigation
	Items         []store.Item
	Activity      []store.Activity
	Shares        []store.ShareLink
	Time          func(time.Time) string // how the viewer reads a time
	ReadOnly      bool
}

// BuildInvestigation is the timeline page's model.
func BuildInvestigation(in InvestigationInput) Investigation {
	inv, tf := in.Investigation, in.Time
	v := Investigation{ID: strconv.FormatInt(inv.ID, 10), URL: links.Investigation(inv.ID), Title: text.Visible(inv.Title), Status: inv.Status,
		Author: text.Visible(inv.Author), Created: tf(inv.CreatedAt), Updated: tf(inv.UpdatedAt), Version: strconv.Itoa(inv.Version), ReadOnly: in.ReadOnly}
	if !inv.From.IsZero() {
		v.Range = tf(inv.From) + " – " + tf(inv.To)
	}
	for i, it := range in.Items {
		iv := itemView(it, tf)
		iv.First, iv.Last = i == 0, i == len(in.Items)-1
		v.Items = append(v.Items, iv)
	}
	for _, a := range in.Activity {
		v.Activity = append(v.Activity, ActivityLine{At: tf(a.At), Actor: a.Actor, Text: ActivityText(a)})
	}
	for _, l := range in.Shares {
		sl := ShareLine{ID: strconv.FormatInt(l.ID, 10), Author: l.Author, Created: tf(l.CreatedAt), Expires: ShareExpiry(l.ExpiresAt, l.Expired, tf)}
		if !l.RevokedAt.IsZero() {
			sl.Revoked = tf(l.RevokedAt) + " by " + l.RevokedBy
		}
		sl.Live = sl.Revoked == "" && !l.Expired
		v.Shares = append(v.Shares, sl)
	}
	return v
}

// BuildInvestigationRows is the list page's table.
func BuildInvestigationRows(list []store.Investigation, tf func(time.Time) string) []InvestigationRow {
	rows := make([]InvestigationRow, 0, len(list))
	for _, inv := range list {
		rows = append(rows, InvestigationRow{URL: links.Investigation(inv.ID), Title: text.Visible(inv.Title), Status: inv.Status,
			Author: text.Visible(inv.Author), Created: tf(inv.CreatedAt), Updated: tf(inv.UpdatedAt), Items: inv.Items})
	}
	return rows
}

// TimeIn reads times in the viewer's zone.
func TimeIn(loc *time.Location) func(time.Time) string {
	return func(t time.Time) string { return text.FormatTime(t, loc) }
}

// ShareExpiry says when a link stops working: "expires …", "expired …"
// or "never expires".
func ShareExpiry(at time.Time, expired bool, tf func(time.Time) string) string {
	switch {
	case at.IsZero():
		return "never expires"
	case expired:
		return "expired " + tf(at)
	}
	return "expires " + tf(at)
}

// SharedTime reads times in the viewer's zone and UTC: readers of a shared
// page sit in different zones and quote times to each other.
func SharedTime(loc *time.Location) func(time.Time) string {
	if loc == nil || loc == time.UTC {
		return TimeIn(time.UTC)
	}
	return func(t time.Time) string {
		return text.FormatTime(t, loc) + " (" + t.UTC().Format("15:04:05") + " UTC)"
	}
}

func itemView(it store.Item, tf func(time.Time) string) InvItem {
	iv := InvItem{ID: strconv.FormatInt(it.ID, 10), Anchor: "item-" + strconv.FormatInt(it.ID, 10), Kind: it.Kind,
		KindLabel: KindLabel(it.Kind), Title: text.Visible(it.Title), Author: text.Visible(it.Author), Pinned: tf(it.CreatedAt),
		Version: strconv.Itoa(it.Version), NoteHTML: NoteHTML(it.Note), NoteSource: it.Note}
	iv.LiveURL, iv.LiveLabel = liveLink(it)
	s := it.Snapshot
	if s == nil {
		return iv
	}
	iv.Omitted = s.Omitted
	if len(s.Series) > 0 || it.Kind == store.KindGraph {
		iv.Graph = cardGraph(s, it.Ref, tf)
	}
	if e := s.Exemplar; e != nil {
		iv.Exemplar = []InvFact{{Label: "Trace", Value: e.TraceID}, {Label: "Value", Value: chart.FormatValue(e.Value, chart.UnitOf(it.Ref.Query))},
			{Label: "At", Value: tf(time.UnixMilli(e.TMs))}, {Label: "Series", Value: LabelText(e.SeriesLabels)}}
	}
	if s.Trace != nil {
		iv.Waterfall = cardWaterfall(s.Trace)
	}
	for _, l := range s.Lines {
		iv.Lines = append(iv.Lines, InvLogLine{Time: tf(time.Unix(0, l.TimeNs)), Labels: text.Visible(LabelText(l.Labels)),
			Line: logline.CleanLine(l.Line), Level: PinnedLineLevel(l)})
	}
	return iv
}

// KindLabel names an item's kind as a heading says it.
func KindLabel(kind string) string {
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

// ItemName is how a message names an item: its title, or its kind.
func ItemName(it store.Item) string {
	if it.Title != "" {
		return it.Title
	}
	return KindLabel(it.Kind)
}

// liveLink reopens the page an item came from, over its saved window.
func liveLink(it store.Item) (string, string) {
	r := it.Ref
	var w links.TimeRange
	if !r.From.IsZero() {
		w = links.TimeRange{From: r.From, To: r.To}
	}
	switch it.Kind {
	case store.KindGraph:
		return links.Graph([]string{r.Query}, w), "Reopen graph live"
	case store.KindExemplar, store.KindTrace, store.KindSpan:
		return links.Trace(r.TraceID, links.TraceParams{Window: w, Span: r.SpanID, Backend: r.Backend}), "Open trace live"
	case store.KindLogQuery, store.KindLogLine:
		return links.Logs(links.LogsParams{Query: r.Query, Window: w}), "Reopen logs live"
	}
	return "", ""
}

// cardGraph draws the pinned series over the pinned window (or the data's
// extent when the pin had none) in the query's unit, with the spikes
// shaded and the graph's exemplars as dots, as /graph drew them; an
// exemplar pin's own exemplar is the marked dot.
func cardGraph(s *snapshot.Snapshot, ref store.Ref, tf func(time.Time) string) *InvGraph {
	unit := chart.UnitOf(ref.Query)
	in := chart.MiniInput{MaxLines: cardGraphLines}
	if !ref.From.IsZero() {
		in.FromMs, in.ToMs = ref.From.UnixMilli(), ref.To.UnixMilli()
	}
	for _, ser := range s.Series {
		in.Series = append(in.Series, chart.MiniSeries{T: ser.T, V: ser.V})
	}
	if e := s.Exemplar; e != nil {
		in.Mark = &chart.MiniPoint{TMs: e.TMs, V: e.Value}
	}
	for _, e := range s.Exemplars {
		in.Exemplars = append(in.Exemplars, chart.MiniPoint{TMs: e.TMs, V: e.Value})
	}
	m := chart.LayoutMini(in)
	g := &InvGraph{Empty: m.Empty}
	if m.Empty {
		return g
	}
	for i, d := range m.Paths {
		p := InvGraphPath{D: d, Class: "s" + strconv.Itoa(i), Label: LabelText(s.Series[i].Labels)}
		g.Paths = append(g.Paths, p)
		g.Legend = append(g.Legend, p)
	}
	for _, b := range m.Bands {
		g.Bands = append(g.Bands, InvGraphBand{X: chart.Coord(b.X), W: chart.Coord(b.W), Title: "spike in " + LabelText(s.Series[b.Series].Labels)})
	}
	for _, d := range m.Dots {
		e := s.Exemplars[d.Index]
		g.Dots = append(g.Dots, InvGraphDot{X: chart.Coord(d.X), Y: chart.Coord(d.Y), Class: "exemplar other",
			Title: "trace " + e.TraceID + ": " + chart.FormatValue(e.Value, unit) + " at " + tf(time.UnixMilli(e.TMs))})
	}
	if e := s.Exemplar; e != nil {
		g.Dots = append(g.Dots, InvGraphDot{X: chart.Coord(m.MarkX), Y: chart.Coord(m.MarkY), Class: "exemplar",
			Title: "trace " + e.TraceID + ": " + chart.FormatValue(e.Value, unit)})
	}
	var note []string
	if n := len(m.Dots); n > 0 {
		note = append(note, Plural(n, "exemplar"))
	}
	if n := len(m.Bands); n > 0 {
		note = append(note, Plural(n, "spike"))
	}
	g.Note = strings.Join(note, ", ")
	g.YMax, g.YMin = chart.FormatValue(m.Hi, unit), chart.FormatValue(m.Lo, unit)
	g.From, g.To = tf(time.UnixMilli(m.FromMs)), tf(time.UnixMilli(m.ToMs))
	return g
}

// cardWaterfall draws at most cardSpanRows rows: for a pinned span, the
// span with its ancestors and children and the failed spans; for a pinned
// trace, its failed spans, then its first rows in tree order.
func cardWaterfall(t *snapshot.Trace) *InvWaterfall {
	w := &InvWaterfall{TraceID: t.ID, Total: t.TotalSpans, Partial: t.Partial, Duration: text.FormatDuration(time.Duration(t.EndNs - t.StartNs))}
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
	// A pinned trace fills the card with its first rows; a pinned span is
	// about that span, so the card stops at its path, children and
	// failures instead of repeating the trace.
	if t.Focus == "" {
		for i := range t.Spans {
			mark(i)
		}
	}
	dur := max(t.EndNs-t.StartNs, 1)
	for i, s := range t.Spans {
		if !show[i] {
			continue
		}
		r := InvSpanRow{Name: s.Name, Service: s.Service, Duration: text.FormatDuration(time.Duration(s.EndNs - s.StartNs)),
			DepthClass: "depth-" + strconv.Itoa(min(s.Depth, 8)), Error: s.Error, Focus: s.ID == t.Focus, StatusMsg: s.StatusMsg,
			X: fmt.Sprintf("%.2f", float64(s.StartNs-t.StartNs)/float64(dur)*100),
			W: fmt.Sprintf("%.2f", max(float64(s.EndNs-s.StartNs)/float64(dur)*100, 0.3))}
		// The focused span shows everything it kept; other failed spans
		// only what explains the failure, so the card stays compact.
		if r.Focus {
			for _, a := range s.Attrs {
				r.Attrs = append(r.Attrs, InvFact{Label: a.K, Value: a.V})
			}
		}
		for _, e := range s.Events {
			ev := InvSpanEvent{At: "+" + text.FormatDuration(time.Duration(e.TimeNs-s.StartNs)), Name: e.Name}
			for _, a := range e.Attrs {
				if r.Focus || a.K == "exception.message" {
					ev.Attrs = append(ev.Attrs, InvFact{Label: a.K, Value: a.V})
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

// PinnedLineLevel is a pinned line's level class, by the same reading of
// levels as the logs page (logline.LineLevel).
func PinnedLineLevel(l snapshot.Line) string {
	return LevelClass(logline.LineLevel(&datasources.LogLine{Line: l.Line, Labels: l.Labels}))
}

// ActivityText is one activity entry as a sentence after the actor's name.
func ActivityText(a store.Activity) string {
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
		return "pinned " + strings.ToLower(KindLabel(d("kind"))) + " “" + d("title") + "”"
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
		return "deleted " + strings.ToLower(KindLabel(d("kind"))) + " “" + d("title") + "”"
	case "shared":
		return "created share link #" + d("link")
	case "revoked":
		return "revoked share link #" + d("link")
	}
	return a.Action
}

// FormatSample writes a sample value with four significant digits.
func FormatSample(v float64) string { return strconv.FormatFloat(v, 'g', 4, 64) }

// LabelText writes a label set as everywhere else; nothing for none.
func LabelText(m map[string]string) string {
	if len(m) == 0 {
		return ""
	}
	return datasources.FormatLabels(m)
}
