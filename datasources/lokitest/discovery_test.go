package lokitest_test

import (
	"context"
	"slices"
	"testing"

	"github.com/ariadne-dev/ariadne/datasources/loki"
	"github.com/ariadne-dev/ariadne/datasources/lokitest"
)

func TestLabelsValuesSeriesReady(t *testing.T) {
	srv, c := newPair(t)
	ctx := context.Background()
	if err := c.Ready(ctx); err != nil {
		t.Fatalf("Ready: %v", err)
	}
	// Nothing stored: empty lists, not errors.
	if ls, err := c.Labels(ctx, t0, at(3600)); err != nil || len(ls) != 0 {
		t.Errorf("empty Labels = %v, %v", ls, err)
	}
	shop(t, srv)
	ls, err := c.Labels(ctx, t0, at(3600))
	if err != nil || !slices.Equal(ls, []string{"namespace", "service_name"}) {
		t.Errorf("Labels = %v, %v (structured metadata is not an index label)", ls, err)
	}
	vs, err := c.LabelValues(ctx, "service_name", t0, at(3600))
	if err != nil || !slices.Equal(vs, []string{"checkout", "frontend", "load-generator", "payment"}) {
		t.Errorf("LabelValues = %v, %v", vs, err)
	}
	// Only streams with entries in the range count: frontend logs at +6s.
	vs, err = c.LabelValues(ctx, "service_name", at(5.5), at(3600))
	if err != nil || !slices.Equal(vs, []string{"frontend", "load-generator"}) {
		t.Errorf("LabelValues after 5.5s = %v, %v", vs, err)
	}
	ss, err := c.Series(ctx, []string{`{service_name="frontend"}`, `{service_name=~"pay.*"}`, `{service_name="frontend"}`}, t0, at(3600))
	if err != nil || len(ss) != 2 || ss[0]["service_name"] != "frontend" || ss[1]["service_name"] != "payment" || ss[1]["namespace"] != "shop" {
		t.Errorf("Series = %v, %v", ss, err)
	}
}

// The client's pager over the test server: 250 lines at 3 timestamps.
func TestPagingOverTiedTimestamps(t *testing.T) {
	srv, c := newPair(t)
	for i := range 250 {
		pod := []string{"a", "b", "c"}[i%3]
		mustPush(t, srv, map[string]string{"app": "shop", "pod": pod},
			lokitest.Entry{Time: at(float64(i % 3)), Line: "line " + string(rune('A'+i/26)) + string(rune('a'+i%26))})
	}
	all := queryLines(t, c, loki.Query{Expr: `{app="shop"}`, Start: t0, End: at(10), Limit: 1000})
	if len(all) != 250 {
		t.Fatalf("one query gives %d lines", len(all))
	}
	for _, dir := range []string{loki.Backward, loki.Forward} {
		q := loki.Query{Expr: `{app="shop"}`, Start: t0, End: at(10), Limit: 100, Direction: dir}
		p, err := c.QueryAll(context.Background(), q, 1000)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Lines) != 250 || p.More {
			t.Fatalf("%s: paged %d lines (more=%v)", dir, len(p.Lines), p.More)
		}
		seen := map[string]bool{}
		for i, l := range p.Lines {
			key := l.Labels["pod"] + l.Line
			if seen[key] {
				t.Fatalf("%s: %q twice", dir, key)
			}
			seen[key] = true
			prev := p.Lines[max(i-1, 0)].TimeNs
			if (dir == loki.Backward && l.TimeNs > prev) || (dir == loki.Forward && l.TimeNs < prev) {
				t.Fatalf("%s: line %d out of order", dir, i)
			}
		}
	}
}
