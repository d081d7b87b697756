package chart

import "testing"

func TestLayoutServiceGraph(t *testing.T) {
	// frontend → checkout → {payments, inventory}; payments calls back to
	// frontend (a webhook), which must not be drawn through the boxes.
	services := []string{"frontend", "checkout", "payments", "inventory"}
	layer := map[string]int{"frontend": 0, "checkout": 1, "payments": 2, "inventory": 2}
	edges := [][2]string{{"frontend", "checkout"}, {"checkout", "payments"}, {"checkout", "inventory"}, {"payments", "frontend"}}
	g := LayoutServiceGraph(services, layer, edges)

	at := map[string]GraphBox{}
	for _, b := range g.Boxes {
		at[b.Name] = b
	}
	if len(at) != 4 {
		t.Fatalf("boxes %+v", g.Boxes)
	}
	if !(at["frontend"].X < at["checkout"].X && at["checkout"].X < at["payments"].X) {
		t.Errorf("callers are not left of whom they call: %+v", g.Boxes)
	}
	if at["payments"].X != at["inventory"].X || at["payments"].Y == at["inventory"].Y {
		t.Errorf("one layer is one column, one row each: %+v %+v", at["payments"], at["inventory"])
	}
	for _, b := range g.Boxes {
		if b.X+GraphBoxW > g.Width || b.Y+GraphBoxH > g.Height {
			t.Errorf("box %s outside the %dx%d canvas", b.Name, g.Width, g.Height)
		}
	}
	if len(g.Arrows) != 4 {
		t.Fatalf("arrows %+v", g.Arrows)
	}
	fwd, back := g.Arrows[0], g.Arrows[3]
	if want := "M 162 29 C 192 29, 192 29, 222 29"; fwd.Path != want {
		t.Errorf("forward arrow %q, want box edge to box edge %q", fwd.Path, want)
	}
	// The call back leaves the bottom of payments and enters the bottom of
	// frontend.
	if want := "M 507 46 C 297 46, 297 46, 87 46"; back.Path != want {
		t.Errorf("call-back arrow %q, want routed below %q", back.Path, want)
	}
}
