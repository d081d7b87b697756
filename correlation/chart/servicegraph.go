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
}

// GraphLayout is a laid-out service graph.
type GraphLayout struct {
	Boxes         []GraphBox
	Arrows        []GraphArrow
	Width, Height int
}

// LayoutServiceGraph places services (in the order given, which is the
// order within a column) in the column of their layer, and draws each
// edge [caller, callee]. An edge to the same or an earlier column (a call
// back) is routed below the boxes so it does not cross them.
func LayoutServiceGraph(services []string, layer map[string]int, edges [][2]string) GraphLayout {
	byLayer := map[int][]string{}
	maxLayer := 0
	for _, s := range services {
		l := layer[s]
		byLayer[l] = append(byLayer[l], s)
		maxLayer = max(maxLayer, l)
	}
	pos := map[string][2]int{}
	maxRows := 1
	var g GraphLayout
	for l := 0; l <= maxLayer; l++ {
		for k, s := range byLayer[l] {
			x, y := graphPad+l*graphColW, graphPad+k*graphRowH
			pos[s] = [2]int{x, y}
			g.Boxes = append(g.Boxes, GraphBox{Name: s, X: x, Y: y, TextX: x + 10, TextY: y + 22})
		}
		maxRows = max(maxRows, len(byLayer[l]))
	}
	for _, e := range edges {
		a, b := pos[e[0]], pos[e[1]]
		x1, y1 := a[0]+GraphBoxW, a[1]+GraphBoxH/2
		x2, y2 := b[0], b[1]+GraphBoxH/2
		if b[0] <= a[0] {
			x1, y1 = a[0]+GraphBoxW/2, a[1]+GraphBoxH
			x2, y2 = b[0]+GraphBoxW/2, b[1]+GraphBoxH
		}
		mx := (x1 + x2) / 2
		g.Arrows = append(g.Arrows, GraphArrow{From: e[0], To: e[1],
			Path:   fmt.Sprintf("M %d %d C %d %d, %d %d, %d %d", x1, y1, mx, y1, mx, y2, x2, y2),
			LabelX: mx - 30, LabelY: (y1+y2)/2 - 6})
	}
	g.Width = 2*graphPad + maxLayer*graphColW + GraphBoxW
	g.Height = 2*graphPad + (maxRows-1)*graphRowH + GraphBoxH
	return g
}
