package chart

import "fmt"

// Service graph geometry: boxes in columns by call depth (callers left of
// whom they call), arrows as curves between box edges. Units are SVG user
// units; the SVG is drawn at its natural size and scrolls when wide.
const (
	GraphBoxW = 150
	GraphBoxH = 34
	graphColW = 210 // a column: a box and the room for an arrow's label
	graphRowH = 56
	graphPad  = 12
)

// GraphBox is one service's box, with where its name is written.
type GraphBox struct {
	Name         string
	X, Y         int
	TextX, TextY int
}

// GraphArrow is one call edge: its path data and where its label sits.
type GraphArrow struct {
	From, To       string
	Path           string
	LabelX, LabelY int
	// LabelEnd is set when (LabelX, LabelY) is where the label ends
	// (text-anchor end) rather than starts: labels placed along the arrow
	// (GraphSize.LabelAt) end where they point.
	LabelEnd bool
}

// GraphLayout is a laid-out service graph.
type GraphLayout struct {
	Boxes         []GraphBox
	Arrows        []GraphArrow
	Width, Height int
}

// GraphSize is a layout's geometry: box size, the column and row pitch,
// and how many boxes a column holds before a layer wraps into the next
// column (0: no limit).
type GraphSize struct {
	BoxW, BoxH, ColW, RowH, MaxRows int
	// LabelAt is where along an arrow its label sits (0: the middle). The
	// map puts it near the callee, so the labels of a caller's several
	// calls stand apart, each by the box it names.
	LabelAt float64
}

// TraceGraphSize is the trace page's service graph; MapSize the service
// map's, whose boxes carry a second line (RED) and whose arrows a longer
// label, and whose layers wrap at ten boxes so fifty services stay a
// picture rather than a column.
var (
	TraceGraphSize = GraphSize{BoxW: GraphBoxW, BoxH: GraphBoxH, ColW: graphColW, RowH: graphRowH}
	MapSize        = GraphSize{BoxW: 180, BoxH: 48, ColW: 390, RowH: 72, MaxRows: 10, LabelAt: 0.8}
)

// LayoutServiceGraph places services (in the order given, which is the
// order within a column) in the column of their layer, and draws each
// edge [caller, callee]. An edge to the same or an earlier column (a call
// back) is routed below the boxes so it does not cross them; a call to
// itself is a loop under its box.
func LayoutServiceGraph(services []string, layer map[string]int, edges [][2]string) GraphLayout {
	return LayoutSized(services, layer, edges, TraceGraphSize)
}

// LayoutSized is LayoutServiceGraph with the geometry sz.
func LayoutSized(services []string, layer map[string]int, edges [][2]string, sz GraphSize) GraphLayout {
	byLayer := map[int][]string{}
	maxLayer := 0
	for _, s := range services {
		l := layer[s]
		byLayer[l] = append(byLayer[l], s)
		maxLayer = max(maxLayer, l)
	}
	pos := map[string][2]int{}
	maxRows := 1
	col := 0
	var g GraphLayout
	for l := 0; l <= maxLayer; l++ {
		rows := len(byLayer[l])
		if sz.MaxRows > 0 {
			rows = min(rows, sz.MaxRows)
		}
		for k, s := range byLayer[l] {
			c, r := col, k
			if sz.MaxRows > 0 {
				c, r = col+k/sz.MaxRows, k%sz.MaxRows
			}
			x, y := graphPad+c*sz.ColW, graphPad+r*sz.RowH
			pos[s] = [2]int{x, y}
			g.Boxes = append(g.Boxes, GraphBox{Name: s, X: x, Y: y, TextX: x + 10, TextY: y + 22})
		}
		cols := 1
		if sz.MaxRows > 0 && len(byLayer[l]) > 0 {
			cols = (len(byLayer[l]) + sz.MaxRows - 1) / sz.MaxRows
		}
		col += cols
		maxRows = max(maxRows, rows)
	}
	for _, e := range edges {
		a, b := pos[e[0]], pos[e[1]]
		if e[0] == e[1] {
			// A loop below the box, leaving and entering its bottom edge.
			x, y := a[0]+sz.BoxW/2, a[1]+sz.BoxH
			g.Arrows = append(g.Arrows, GraphArrow{From: e[0], To: e[1],
				Path:   fmt.Sprintf("M %d %d C %d %d, %d %d, %d %d", x-12, y, x-30, y+22, x+30, y+22, x+12, y),
				LabelX: x + 24, LabelY: y + 20})
			continue
		}
		x1, y1 := a[0]+sz.BoxW, a[1]+sz.BoxH/2
		x2, y2 := b[0], b[1]+sz.BoxH/2
		back := b[0] <= a[0]
		if back {
			x1, y1 = a[0]+sz.BoxW/2, a[1]+sz.BoxH
			x2, y2 = b[0]+sz.BoxW/2, b[1]+sz.BoxH
		}
		mx := (x1 + x2) / 2
		// A call back keeps its label in the middle, under the boxes it
		// runs beneath.
		lx, ly, end := mx-30, (y1+y2)/2-6, false
		if t := sz.LabelAt; t > 0 && !back {
			// The curve's point at t (its control points share mx): the
			// label ends there, just above the line.
			u := 1 - t
			bx := u*u*u*float64(x1) + 3*u*u*t*float64(mx) + 3*u*t*t*float64(mx) + t*t*t*float64(x2)
			by := u*u*u*float64(y1) + 3*u*u*t*float64(y1) + 3*u*t*t*float64(y2) + t*t*t*float64(y2)
			lx, ly, end = int(bx)-6, int(by)-5, true
		}
		g.Arrows = append(g.Arrows, GraphArrow{From: e[0], To: e[1],
			Path:   fmt.Sprintf("M %d %d C %d %d, %d %d, %d %d", x1, y1, mx, y1, mx, y2, x2, y2),
			LabelX: lx, LabelY: ly, LabelEnd: end})
	}
	g.Width = 2*graphPad + max(col-1, 0)*sz.ColW + sz.BoxW
	// Room under the lowest row for the arrows routed below the boxes.
	g.Height = 2*graphPad + (maxRows-1)*sz.RowH + sz.BoxH
	if sz.MaxRows > 0 {
		g.Height += 24
	}
	return g
}

// Layers assigns each service its column: the longest chain of calls
// leading to it from a service nobody calls (so every callee stands right
// of all its callers), with calls that close a cycle and calls to itself
// ignored (a cycle is entered where the given order first meets it). A
// service in no edge is layer 0. services' order decides ties and where a
// cycle is broken, so the same input draws the same map.
func Layers(services []string, edges [][2]string) map[string]int {
	out := map[string][]string{}
	in := map[string]int{}
	for _, e := range edges {
		if e[0] == e[1] {
			continue
		}
		out[e[0]] = append(out[e[0]], e[1])
		in[e[1]]++
	}
	// Depth-first from the roots (then from whatever a cycle left
	// unvisited) finds the back edges: those to a service still on the
	// stack.
	const (
		unseen = iota
		onStack
		done
	)
	state := map[string]int{}
	back := map[[2]string]bool{}
	var order []string // reverse post-order: a topological order without the back edges
	var visit func(s string)
	visit = func(s string) {
		state[s] = onStack
		for _, t := range out[s] {
			switch state[t] {
			case unseen:
				visit(t)
			case onStack:
				back[[2]string{s, t}] = true
			}
		}
		state[s] = done
		order = append(order, s)
	}
	for _, s := range services {
		if in[s] == 0 && state[s] == unseen {
			visit(s)
		}
	}
	for _, s := range services {
		if state[s] == unseen {
			visit(s)
		}
	}
	layer := make(map[string]int, len(services))
	for i := len(order) - 1; i >= 0; i-- {
		s := order[i]
		for _, t := range out[s] {
			if !back[[2]string{s, t}] && t != s {
				layer[t] = max(layer[t], layer[s]+1)
			}
		}
	}
	for _, s := range services {
		if _, ok := layer[s]; !ok {
			layer[s] = 0
		}
	}
	return layer
}
