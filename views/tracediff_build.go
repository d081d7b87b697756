package views

import (
	"strconv"
	"time"

	"github.com/ariadne-dev/ariadne/correlation/baseline"
	"github.com/ariadne-dev/ariadne/correlation/links"
	"github.com/ariadne-dev/ariadne/correlation/text"
	"github.com/ariadne-dev/ariadne/correlation/trace"
	"github.com/ariadne-dev/ariadne/datasources"
)

// MaxDiffRows bounds the rows a diff page lists; the counts above it
// cover every span.
const MaxDiffRows = 2000

// TraceDiffView is GET /traces/diff: two traces' spans side by side.
type TraceDiffView struct {
	// Form is what the form at the top shows (the IDs as typed).
	FormA, FormB string
	// Problem replaces the comparison when the IDs are bad or a trace
	// could not be fetched.
	Problem *TraceDiffProblem
	// The comparison, when both traces were found.
	A, B                          DiffSide
	Added, Removed, Changed, Same int
	DurationDelta                 string // B's total minus A's: "+781 ms"
	DeltaClass                    string // "slower", "faster" or ""
	Rows                          []DiffRow
	// Hidden counts the rows past MaxDiffRows.
	Hidden int
	Swap   string // the same comparison the other way round
}

// TraceDiffProblem is why there is nothing to compare.
type TraceDiffProblem struct {
	Heading, Message string
	Links            []Link
}

// DiffSide is one of the two traces.
type DiffSide struct {
	Label    string // "A" or "B"
	ID, URL  string
	Title    string // root service and span, as the trace page's heading
	Backend  string
	Duration string
	Spans    int
	Errors   int
	Critical []CriticalRow
}

// CriticalRow is one span on a trace's critical path.
type CriticalRow struct {
	Service, Name string
	DepthClass    string
	// OnPath is the span's own share of the path; Duration its length.
	OnPath, Duration string
	URL              string
	Error            bool
}

// DiffRow is one aligned span.
type DiffRow struct {
	Change     string // "same", "changed", "added", "removed": the row's class
	Label      string // what the change column says
	DepthClass string // "depth-3", capped (CSP: no style attributes)
	Service    string
	Name       string
	Ordinal    string // "#2" for the third of its name under one parent, else ""
	DurationA  string
	DurationB  string
	Delta      string
	DeltaClass string
	Status     string // "ok → error" when it changed
	URLA, URLB string
}

// TraceDiffInput is what BuildTraceDiff needs beside the trees.
type TraceDiffInput struct {
	BackendA, BackendB string // the backends that answered ("tempo")
	DisplayA, DisplayB string // and their names as shown ("Tempo")
}

// maxDepthClass is the deepest indentation class the stylesheet has.
const maxDepthClass = 15

// BuildTraceDiff lays out the alignment of a and b (baseline.Align) and
// both critical paths (the trees' own).
func BuildTraceDiff(a, b *trace.TraceTree, in TraceDiffInput) TraceDiffView {
	al := baseline.Align(a, b)
	v := TraceDiffView{FormA: a.Trace.ID, FormB: b.Trace.ID,
		A: buildDiffSide("A", a, in.BackendA, in.DisplayA), B: buildDiffSide("B", b, in.BackendB, in.DisplayB),
		Added: al.Added, Removed: al.Removed, Changed: al.Changed, Swap: links.TraceDiff(b.Trace.ID, a.Trace.ID)}
	v.Same = len(al.Pairs) - al.Added - al.Removed - al.Changed
	v.DurationDelta, v.DeltaClass = delta(time.Duration((b.EndNs - b.StartNs) - (a.EndNs - a.StartNs)))
	spanURL := func(t *trace.TraceTree, backend string, i int) string {
		return links.Trace(t.Trace.ID, links.TraceParams{Span: t.Nodes[i].Span.SpanID, Backend: backend,
			Window: links.TraceWindow(t.StartNs, t.EndNs)})
	}
	for _, p := range al.Pairs {
		if len(v.Rows) >= MaxDiffRows {
			v.Hidden++
			continue
		}
		r := DiffRow{DepthClass: "depth-" + strconv.Itoa(min(p.Depth, maxDepthClass)),
			Service: text.Visible(p.Service), Name: text.Visible(p.Name)}
		if p.Ordinal > 0 {
			r.Ordinal = "#" + strconv.Itoa(p.Ordinal+1)
		}
		if p.A >= 0 {
			r.DurationA, r.URLA = text.FormatDuration(time.Duration(p.DurationA)), spanURL(a, in.BackendA, p.A)
		}
		if p.B >= 0 {
			r.DurationB, r.URLB = text.FormatDuration(time.Duration(p.DurationB)), spanURL(b, in.BackendB, p.B)
		}
		switch p.Change {
		case baseline.Same:
			r.Change, r.Label = "same", ""
			r.Delta, r.DeltaClass = delta(time.Duration(p.DeltaNs))
			r.DeltaClass = ""
		case baseline.Changed:
			r.Change, r.Label = "changed", "changed"
			r.Delta, r.DeltaClass = delta(time.Duration(p.DeltaNs))
			if p.StatusChanged {
				r.Status = statusWord(string(a.Nodes[p.A].Span.Status)) + " → " + statusWord(string(b.Nodes[p.B].Span.Status))
			}
		case baseline.Added:
			r.Change, r.Label = "added", "only in B"
		case baseline.Removed:
			r.Change, r.Label = "removed", "only in A"
		}
		v.Rows = append(v.Rows, r)
	}
	return v
}

func buildDiffSide(label string, t *trace.TraceTree, backend, display string) DiffSide {
	s := DiffSide{Label: label, ID: t.Trace.ID, Backend: display, Spans: len(t.Nodes), Errors: t.Errors,
		URL:      links.Trace(t.Trace.ID, links.TraceParams{Backend: backend, Window: links.TraceWindow(t.StartNs, t.EndNs)}),
		Duration: text.FormatDuration(time.Duration(t.EndNs - t.StartNs))}
	if len(t.Roots) > 0 {
		root := t.Nodes[t.Roots[0]].Span
		s.Title = text.Visible(root.Service() + ": " + trace.SpanTitle(root))
	}
	for _, i := range baseline.CriticalPath(t) {
		nd := &t.Nodes[i]
		s.Critical = append(s.Critical, CriticalRow{Service: text.Visible(nd.Span.Service()), Name: text.Visible(nd.Span.Name),
			DepthClass: "depth-" + strconv.Itoa(min(int(nd.Depth), maxDepthClass)), OnPath: text.FormatDuration(time.Duration(nd.CriticalNs)),
			Duration: text.FormatDuration(time.Duration(nd.EndNs() - nd.StartNs())),
			URL: links.Trace(t.Trace.ID, links.TraceParams{Span: nd.Span.SpanID, Backend: backend,
				Window: links.TraceWindow(t.StartNs, t.EndNs)}),
			Error: nd.Span.Status == datasources.StatusError})
	}
	return s
}

// delta writes a signed duration and whether it is slower or faster.
func delta(d time.Duration) (string, string) {
	switch {
	case d > 0:
		return "+" + text.FormatDuration(d), "slower"
	case d < 0:
		return text.FormatDuration(d), "faster" // FormatDuration writes the minus
	}
	return "±0", ""
}

func statusWord(s string) string {
	if s == "" {
		return "unset"
	}
	return s
}
