package loki

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/datasources/lokitest"
)

// pageBase is where the paging fixtures sit (2024-01-15T10:00:00Z);
// lokitest's clock is injected an hour later, so nothing here depends on
// the day the tests run.
var pageBase = time.Unix(1705312800, 0)

// pageServers are the two Lokis paging is tested against: pagingLoki,
// which returns tied lines of a cut answer in an order of its own, and
// lokitest, the in-memory Loki the demo and the handlers tests use.
var pageServers = []struct {
	name  string
	start func(t *testing.T, es []entry) *Client
}{
	{"hash-ordered", func(t *testing.T, es []entry) *Client {
		return newClient(t, datasources.Config{URL: newServer(t, &pagingLoki{entries: es})})
	}},
	{"lokitest", func(t *testing.T, es []entry) *Client {
		srv := lokitest.NewTestServer(t, lokitest.WithClock(func() time.Time { return pageBase.Add(time.Hour) }))
		for _, e := range es {
			if err := srv.Push(e.stream, lokitest.Entry{Time: time.Unix(0, e.ts), Line: e.line}); err != nil {
				t.Fatal(err)
			}
		}
		return newClient(t, datasources.Config{URL: srv.URL})
	}},
}

// shifted moves fixture entries written at small offsets to pageBase.
func shifted(es []entry) []entry {
	out := slices.Clone(es)
	for i := range out {
		out[i].ts += pageBase.UnixNano()
	}
	return out
}

// crowdedNanosecond is the logs page's case: 25 lines of two streams share
// one nanosecond, with five single lines on each side of it.
func crowdedNanosecond() []entry {
	same := int64(60 * time.Second)
	var es []entry
	for i := range 13 {
		es = append(es, entry{map[string]string{"pod": "orders"}, same, fmt.Sprintf("orders same %02d", i)})
	}
	for i := range 12 {
		es = append(es, entry{map[string]string{"pod": "payments"}, same, fmt.Sprintf("payments same %02d", i)})
	}
	for i := range 5 {
		d := int64(time.Duration(i+1) * time.Second)
		es = append(es, entry{map[string]string{"pod": "orders"}, same - d, fmt.Sprintf("before %d", i)},
			entry{map[string]string{"pod": "orders"}, same + d, fmt.Sprintf("after %d", i)})
	}
	return es
}

// distinctTimes is n lines, one per millisecond.
func distinctTimes(n int) []entry {
	var es []entry
	for i := range n {
		es = append(es, entry{map[string]string{"pod": "a"}, int64(i) * int64(time.Millisecond), fmt.Sprintf("line %02d", i)})
	}
	return es
}

// TestPageBefore pages through a query with Page, then back from its last
// page with PageBefore, following each page's Prev as the logs page's
// "newer" link does. Going back shows every line before the last page
// once, in order, and ends on a page whose Prev is zero. Where no
// timestamp holds more lines than a page (same), the pages going back are
// the pages going on. Where one does, a page going back takes the whole of
// its farthest timestamp, so that its own top is a whole group, and may
// hold more than the limit.
func TestPageBefore(t *testing.T) {
	tests := []struct {
		name    string
		entries []entry
		limits  []int
		same    bool
	}{
		{"one crowded nanosecond", crowdedNanosecond(), []int{7, 13, 25, 26, 100}, true},
		{"every line its own time", distinctTimes(20), []int{1, 3, 20}, true},
		{"less than a page", distinctTimes(4), []int{10}, true},
		{"three timestamps of 83 lines, a duplicate", tiedEntries(), []int{100, 83, 30, 7}, false},
	}
	for _, srv := range pageServers {
		for _, tt := range tests {
			for _, dir := range []string{Backward, Forward} {
				for _, limit := range tt.limits {
					t.Run(fmt.Sprintf("%s/%s/%s/limit=%d", srv.name, tt.name, dir, limit), func(t *testing.T) {
						c := srv.start(t, shifted(tt.entries))
						q := Query{Expr: `{pod=~".+"}`, Start: pageBase, End: pageBase.Add(time.Hour), Limit: limit, Direction: dir}
						checkPageBefore(t, c, q, tt.same)
					})
				}
			}
		}
	}
}

func checkPageBefore(t *testing.T, c *Client, q Query, same bool) {
	t.Helper()
	ctx := context.Background()
	// One answer holds the whole query: the order every walk must show.
	whole := q
	whole.Limit = MaxEntriesPerQuery
	res, err := c.QueryRange(ctx, whole)
	if err != nil {
		t.Fatal(err)
	}
	all := show(res.Lines)

	// On, from the start.
	var on [][]string
	var last *LogPage
	for cur := (Cursor{}); ; {
		if len(on) > len(all) {
			t.Fatal("going on does not end")
		}
		p, err := c.Page(ctx, q, cur)
		if err != nil {
			t.Fatal(err)
		}
		if p.Prev != cur {
			t.Fatalf("page at %v has Prev %v", cur, p.Prev)
		}
		on, last = append(on, show(p.Lines)), p
		if !p.More {
			break
		}
		cur = p.Next
	}
	if got := slices.Concat(on...); !slices.Equal(got, all) {
		t.Fatalf("going on shows %d lines, want %d; first difference at %d", len(got), len(all), firstDiff(got, all))
	}
	if len(on) == 1 {
		if !last.Prev.IsZero() {
			t.Errorf("the only page has Prev %v", last.Prev)
		}
		return
	}

	// Back, from the last page.
	var back [][]string
	for top := last.Prev; !top.IsZero(); {
		if len(back) > len(all) {
			t.Fatal("going back does not end")
		}
		p, err := c.PageBefore(ctx, q, top)
		if err != nil {
			t.Fatal(err)
		}
		// Its Next leads where it came from: the page at top again.
		want, err := c.Page(ctx, q, top)
		if err != nil {
			t.Fatal(err)
		}
		again, err := c.Page(ctx, q, p.Next)
		if err != nil {
			t.Fatal(err)
		}
		if !p.More || !slices.Equal(show(again.Lines), show(want.Lines)) {
			t.Fatalf("the page before %v (more=%v) leads to %v, not back to it", top, p.More, p.Next)
		}
		back = append(back, show(p.Lines))
		top = p.Prev
	}
	slices.Reverse(back)
	before := all[:len(all)-len(on[len(on)-1])]
	if got := slices.Concat(back...); !slices.Equal(got, before) {
		t.Fatalf("going back shows %d lines, want the %d before the last page; first difference at %d", len(got), len(before), firstDiff(got, before))
	}
	if same {
		if !slices.EqualFunc(back, on[:len(on)-1], slices.Equal) {
			t.Errorf("pages going back:\n%v\nwant the pages going on:\n%v", back, on[:len(on)-1])
		}
	}
}

func TestPageBeforeTheStart(t *testing.T) {
	c := pageServers[0].start(t, shifted(distinctTimes(3)))
	p, err := c.PageBefore(context.Background(), Query{Expr: `{pod=~".+"}`, Start: pageBase, End: pageBase.Add(time.Hour)}, Cursor{})
	if err != nil || len(p.Lines) != 0 || p.More || !p.Prev.IsZero() {
		t.Errorf("PageBefore(zero) = %+v, %v; want an empty page and nothing more", p, err)
	}
}

func TestReverseDirection(t *testing.T) {
	l := func(ts int64, text string) datasources.LogLine { return datasources.LogLine{TimeNs: ts, Line: text} }
	tests := []struct {
		name     string
		in, want []datasources.LogLine
	}{
		{"empty", nil, []datasources.LogLine{}},
		{"one line", []datasources.LogLine{l(1, "a")}, []datasources.LogLine{l(1, "a")}},
		{"distinct times", []datasources.LogLine{l(3, "c"), l(2, "b"), l(1, "a")}, []datasources.LogLine{l(1, "a"), l(2, "b"), l(3, "c")}},
		{"ties keep their order", []datasources.LogLine{l(3, "x"), l(2, "a"), l(2, "b"), l(2, "c"), l(1, "y")},
			[]datasources.LogLine{l(1, "y"), l(2, "a"), l(2, "b"), l(2, "c"), l(3, "x")}},
		{"all tied", []datasources.LogLine{l(5, "a"), l(5, "b")}, []datasources.LogLine{l(5, "a"), l(5, "b")}},
	}
	for _, tt := range tests {
		got := ReverseDirection(tt.in)
		if !slices.EqualFunc(got, tt.want, func(a, b datasources.LogLine) bool { return a.TimeNs == b.TimeNs && a.Line == b.Line }) {
			t.Errorf("%s: ReverseDirection = %v, want %v", tt.name, got, tt.want)
		}
	}
}
