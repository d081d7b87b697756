package views

import (
	"strconv"
	"strings"

	"github.com/ariadne-dev/ariadne/correlation/chart"
	"github.com/ariadne-dev/ariadne/correlation/links"
	"github.com/ariadne-dev/ariadne/correlation/query"
	"github.com/ariadne-dev/ariadne/correlation/servicemap"
	"github.com/ariadne-dev/ariadne/correlation/text"
)

// MapWorstN is how many unhealthy services the map lists in words.
const MapWorstN = 5

// nameChars bounds a name drawn in a box (the full name is in its
// tooltip and its page).
const nameChars = 24

// MapInput is what the home page's map is built from.
type MapInput struct {
	Map    *servicemap.Map
	Left   int // nodes left out (servicemap.MaxNodes)
	Window links.TimeRange
	// Rate is the rate window of the latest figures ("30s").
	Rate string
	// TraceQL says whether edge links can search in TraceQL (Tempo is
	// configured); otherwise they search Backend by the callee's name.
	TraceQL bool
	Backend string
}

// ServiceMapView is the drawn map, its caption and the worst services.
type ServiceMapView struct {
	Width, Height string
	Nodes         []MapNode
	Edges         []MapEdge
	Worst         []MapWorst
	// WorstNote says why the list is empty ("every service is as usual").
	WorstNote string
	Sources   []string // "Services: …", "Calls: …"
	Problems  []string
	Empty     string // the whole map is empty: why
	LeftOut   string
}

// MapNode is one box: a service, or a dashed uninstrumented peer.
type MapNode struct {
	X, Y, W, H, TextX, TextY, Text2Y string
	Name, Label, Line2, URL, Class   string
	Title                            string // the tooltip: name, RED and health in words
}

// MapEdge is one arrow, a link to the traces that cross it.
type MapEdge struct {
	Path, LabelX, LabelY string
	Anchor               string // the label's text-anchor
	Label, URL, Class    string
	Title                string
	Client, Server       string
}

// MapWorst is one line of "worst now".
type MapWorst struct {
	Name, URL, Level, Class, Reason string
}

// BuildServiceMap lays out the map and writes its words.
func BuildServiceMap(in MapInput) ServiceMapView {
	m := in.Map
	v := ServiceMapView{Problems: m.Source.Problems}
	if len(m.Source.Nodes) > 0 {
		v.Sources = append(v.Sources, "Services: "+strings.Join(m.Source.Nodes, "; ")+".")
	}
	if len(m.Source.Edges) > 0 {
		v.Sources = append(v.Sources, "Calls: "+strings.Join(m.Source.Edges, "; ")+".")
	}
	if in.Rate != "" && len(m.Source.Nodes) > 0 && !strings.HasPrefix(m.Source.Nodes[0], "a sample") {
		v.Sources = append(v.Sources, "Figures are the latest, as rates over "+in.Rate+"; colour compares them with each service's usual level over the range.")
	} else if m.Source.SampleTraces > 0 {
		v.Sources = append(v.Sources, "Figures are over the whole sample; colour compares its last tenth of the range with the rest.")
	}
	if in.Left > 0 {
		v.LeftOut = strconv.Itoa(in.Left) + " quieter services are left out of the map."
	}
	if len(m.Nodes) == 0 {
		v.Empty = "No service called anything in this range, or no source could say."
		return v
	}
	g := servicemap.Layout(m)
	v.Width, v.Height = itoa(g.Width), itoa(g.Height)
	sz := chart.MapSize
	for _, b := range g.Boxes {
		n := m.Node(b.Name)
		class := "node " + n.Health.Level.Class()
		line2 := redLine(n.RED)
		title := n.Name + ": " + redWords(n.RED)
		if n.Uninstrumented() {
			class = "node peer"
			line2 = "uninstrumented " + n.Peer.Kind
			title = n.Name + ": emits no telemetry; seen as " + n.Peer.Describe() + " in its callers' client spans"
		} else if n.Health.Reason != "" {
			title += "; " + n.Health.Level.Word() + ": " + n.Health.Reason
		} else {
			title += "; " + n.Health.Level.Word()
		}
		v.Nodes = append(v.Nodes, MapNode{X: itoa(b.X), Y: itoa(b.Y), W: itoa(sz.BoxW), H: itoa(sz.BoxH),
			TextX: itoa(b.TextX), TextY: itoa(b.Y + 19), Text2Y: itoa(b.Y + 37),
			Name: n.Name, Label: text.Visible(text.Shorten(n.Name, nameChars)), Line2: line2,
			URL: links.Service(n.Name, in.Window), Class: class, Title: text.Visible(title)})
	}
	for i, a := range g.Arrows {
		e := m.Edges[i]
		srv := m.Node(e.Server)
		// An arrow takes its callee's colour when the callee is not as
		// usual: colour means health against a baseline, and an edge has
		// none of its own (a call failing 1% of the time is not news).
		class := "edge"
		if srv != nil && srv.Health.Level >= servicemap.Degraded {
			class += " " + srv.Health.Level.Class()
		}
		if srv != nil && srv.Uninstrumented() {
			class += " peer"
		}
		if e.New {
			class += " new"
		}
		title := e.Client + " → " + e.Server + ": " + redWords(e.RED)
		if e.New {
			title += "; new since the previous day"
		}
		anchor := "start"
		if a.LabelEnd {
			anchor = "end"
		}
		v.Edges = append(v.Edges, MapEdge{Path: a.Path, LabelX: itoa(a.LabelX), LabelY: itoa(a.LabelY), Anchor: anchor,
			Label: redLine(e.RED), URL: CallTraces(m, e, in), Class: class, Title: text.Visible(title), Client: e.Client, Server: e.Server})
	}
	for _, n := range m.Worst(MapWorstN) {
		v.Worst = append(v.Worst, MapWorst{Name: text.Visible(n.Name), URL: links.Service(n.Name, in.Window),
			Level: n.Health.Level.Word(), Class: n.Health.Level.Class(), Reason: n.Health.Reason})
	}
	if len(v.Worst) == 0 {
		v.WorstNote = "Every service is as usual."
		judged := false
		for _, n := range m.Nodes {
			judged = judged || n.Health.Level != servicemap.Unjudged
		}
		if !judged {
			v.WorstNote = "Not judged: the range is too short to know each service's usual level (8 points are needed)."
		}
	}
	return v
}

// CallTraces is the search for the traces that cross edge e: TraceQL's
// child operator between the two services, or the client's spans naming
// an uninstrumented peer; without Tempo, the parameter search of the
// callee (or, for a peer, of the caller).
func CallTraces(m *servicemap.Map, e servicemap.Edge, in MapInput) string {
	srv := m.Node(e.Server)
	peer := srv != nil && srv.Uninstrumented()
	if !in.TraceQL {
		if peer {
			return links.ServiceTraces(e.Client, in.Backend, false, in.Window)
		}
		return links.ServiceTraces(e.Server, in.Backend, false, in.Window)
	}
	if peer {
		attrs := make([][2]string, len(srv.Peer.Attrs))
		for i, a := range srv.Peer.Attrs {
			attrs[i] = [2]string{a.Key, a.Value}
		}
		if q, err := query.PeerCallTraceQL(e.Client, attrs); err == nil {
			return links.TraceSearch(q, in.Window)
		}
	}
	return links.TraceSearch(query.CallTraceQL(e.Client, e.Server), in.Window)
}

// redLine is a box's or an arrow's second line: "12/s · 0.5% · p99 120 ms",
// a sample's count instead of a rate.
func redLine(r servicemap.RED) string {
	var parts []string
	switch {
	case servicemap.Known(r.Rate):
		parts = append(parts, servicemap.FormatRate(r.Rate))
	case r.Sampled > 0:
		parts = append(parts, strconv.Itoa(r.Sampled)+" sampled")
	}
	if servicemap.Known(r.Errors) {
		parts = append(parts, servicemap.FormatShare(r.Errors))
	}
	if servicemap.Known(r.P99) {
		parts = append(parts, "p99 "+servicemap.FormatSeconds(r.P99))
	}
	if len(parts) == 0 {
		return "no figures"
	}
	return strings.Join(parts, " · ")
}

// redWords is the same in words, for tooltips and lists.
func redWords(r servicemap.RED) string {
	var parts []string
	switch {
	case servicemap.Known(r.Rate):
		parts = append(parts, servicemap.FormatRate(r.Rate)+" requests")
	case r.Sampled > 0:
		parts = append(parts, strconv.Itoa(r.Sampled)+" spans in the sample")
	}
	if servicemap.Known(r.Errors) {
		parts = append(parts, servicemap.FormatShare(r.Errors)+" failed")
	}
	if servicemap.Known(r.P99) {
		parts = append(parts, "p99 "+servicemap.FormatSeconds(r.P99))
	}
	if len(parts) == 0 {
		return "no figures"
	}
	return strings.Join(parts, ", ")
}

// HiddenView is the hidden dependencies in words.
type HiddenView struct {
	Note           string // how the previous day was read, or why it was not
	New            []HiddenCall
	Uninstrumented []HiddenPeer
}

// HiddenCall is one call new since the previous day.
type HiddenCall struct {
	Label, URL, Figures string
}

// HiddenPeer is one uninstrumented dependency and who calls it.
type HiddenPeer struct {
	Name, URL, Seen string
	Callers         []HiddenCall
}

// HiddenInput is what the hidden dependencies are built from.
type HiddenInput struct {
	MapInput
	Hidden   servicemap.Hidden
	Previous []string // the sources the previous day was read from
}

// BuildHidden writes the hidden dependencies.
func BuildHidden(in HiddenInput) HiddenView {
	h := in.Hidden
	var v HiddenView
	switch {
	case !h.Compared:
		v.Note = "No calls were recorded in the day before this range, so no call can be called new."
	case len(h.New) == 0:
		v.Note = "No call is new since the day before this range (compared with " + strings.Join(in.Previous, " and ") + ")."
	default:
		v.Note = "Calls absent in the day before this range (compared with " + strings.Join(in.Previous, " and ") + "):"
	}
	call := func(e servicemap.Edge, label string) HiddenCall {
		return HiddenCall{Label: text.Visible(label), URL: CallTraces(in.Map, e, in.MapInput), Figures: redWords(e.RED)}
	}
	for _, e := range h.New {
		v.New = append(v.New, call(e, e.Client+" → "+e.Server))
	}
	for _, p := range h.Uninstrumented {
		hp := HiddenPeer{Name: text.Visible(p.Node.Name), URL: links.Service(p.Node.Name, in.Window), Seen: text.Visible(p.Node.Peer.Describe())}
		for _, e := range p.Callers {
			hp.Callers = append(hp.Callers, call(e, e.Client))
		}
		v.Uninstrumented = append(v.Uninstrumented, hp)
	}
	return v
}
