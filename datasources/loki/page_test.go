package loki

import (
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"net/http"
	"slices"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ariadne-dev/ariadne/datasources"
)

type entry struct {
	stream map[string]string
	ts     int64
	line   string
}

// pagingLoki serves query_range over entries like Loki: [start, end),
// the newest (or oldest) limit lines. Among lines of one timestamp it picks
// in an order of its own (a hash), as Loki's merge does, so the client
// cannot rely on which tied lines a truncated answer holds.
type pagingLoki struct {
	entries  []entry
	requests atomic.Int64
}

func (p *pagingLoki) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.requests.Add(1)
	q := r.URL.Query()
	start, _ := strconv.ParseInt(q.Get("start"), 10, 64)
	end, _ := strconv.ParseInt(q.Get("end"), 10, 64)
	limit, _ := strconv.Atoi(q.Get("limit"))
	forward := q.Get("direction") == Forward
	var sel []entry
	for _, e := range p.entries {
		if e.ts >= start && e.ts < end {
			sel = append(sel, e)
		}
	}
	h := func(e entry) uint32 {
		f := fnv.New32a()
		fmt.Fprint(f, e.stream, e.line)
		return f.Sum32()
	}
	slices.SortStableFunc(sel, func(a, b entry) int {
		if a.ts != b.ts {
			if forward == (a.ts < b.ts) {
				return -1
			}
			return 1
		}
		return int(h(a)) - int(h(b))
	})
	sel = sel[:min(limit, len(sel))]
	type stream struct {
		Stream map[string]string `json:"stream"`
		Values [][2]string       `json:"values"`
	}
	var out []*stream
	for _, e := range sel {
		var s *stream
		for _, o := range out {
			if fmt.Sprint(o.Stream) == fmt.Sprint(e.stream) {
				s = o
			}
		}
		if s == nil {
			s = &stream{Stream: e.stream}
			out = append(out, s)
		}
		s.Values = append(s.Values, [2]string{strconv.FormatInt(e.ts, 10), e.line})
	}
	body, _ := json.Marshal(map[string]any{"status": "success", "data": map[string]any{"resultType": "streams", "result": out}})
	w.Write(body)
}

// tiedEntries builds 250 lines over 3 streams sharing only 3 timestamps,
// with one exact duplicate that must be shown twice.
func tiedEntries() []entry {
	pods := []map[string]string{{"pod": "a"}, {"pod": "b"}, {"pod": "c"}}
	var es []entry
	for i := range 249 {
		es = append(es, entry{pods[i%3], int64(1000 + 10*(i%3)), fmt.Sprintf("line %03d", i)})
	}
	es = append(es, es[7]) // a duplicate (same stream, time and text)
	return es
}

// wantOrder is the order the whole result would have in one answer.
func wantOrder(es []entry, dir string) []string {
	out := slices.Clone(es)
	forward := dir == Forward
	slices.SortStableFunc(out, func(a, b entry) int {
		if a.ts != b.ts {
			if forward == (a.ts < b.ts) {
				return -1
			}
			return 1
		}
		if a.stream["pod"] != b.stream["pod"] {
			if a.stream["pod"] < b.stream["pod"] {
				return -1
			}
			return 1
		}
		if a.line < b.line {
			return -1
		} else if a.line > b.line {
			return 1
		}
		return 0
	})
	lines := make([]string, len(out))
	for i, e := range out {
		lines[i] = fmt.Sprintf("%d %s %s", e.ts, e.stream["pod"], e.line)
	}
	return lines
}

func show(ls []datasources.LogLine) []string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = fmt.Sprintf("%d %s %s", l.TimeNs, l.Labels["pod"], l.Line)
	}
	return out
}

func TestPageAtEqualTimestamps(t *testing.T) {
	for _, dir := range []string{Backward, Forward} {
		for _, limit := range []int{100, 83, 30, 7, 2} {
			t.Run(fmt.Sprintf("%s/limit=%d", dir, limit), func(t *testing.T) {
				fake := &pagingLoki{entries: tiedEntries()}
				c := newClient(t, datasources.Config{URL: newServer(t, fake)})
				q := Query{Expr: `{pod=~".+"}`, Start: time.Unix(0, 0), End: time.Unix(0, 5000), Limit: limit, Direction: dir}
				var got []string
				cursor := ""
				for pages := 0; ; pages++ {
					if pages > 300 {
						t.Fatal("paging does not end")
					}
					// Go through the URL form, as the logs page does.
					cur, err := ParseCursor(cursor)
					if err != nil {
						t.Fatal(err)
					}
					p, err := c.Page(context.Background(), q, cur)
					if err != nil {
						t.Fatal(err)
					}
					if len(p.Lines) > limit {
						t.Fatalf("page of %d lines, limit %d", len(p.Lines), limit)
					}
					got = append(got, show(p.Lines)...)
					if !p.More {
						break
					}
					cursor = p.Next.String()
				}
				want := wantOrder(tiedEntries(), dir)
				if !slices.Equal(got, want) {
					t.Fatalf("paged %d lines, want %d; first difference at %d", len(got), len(want), firstDiff(got, want))
				}
			})
		}
	}
}

func firstDiff(a, b []string) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

func TestQueryAllStopsAtMax(t *testing.T) {
	fake := &pagingLoki{entries: tiedEntries()}
	c := newClient(t, datasources.Config{URL: newServer(t, fake)})
	q := Query{Expr: `{pod=~".+"}`, Start: time.Unix(0, 0), End: time.Unix(0, 5000), Limit: 40}
	p, err := c.QueryAll(context.Background(), q, 130)
	if err != nil {
		t.Fatal(err)
	}
	want := wantOrder(tiedEntries(), Backward)
	if !slices.Equal(show(p.Lines), want[:130]) || !p.More {
		t.Fatalf("got %d lines (more=%v), want the newest 130", len(p.Lines), p.More)
	}
	rest, err := c.Page(context.Background(), Query{Expr: q.Expr, Start: q.Start, End: q.End, Limit: 500}, p.Next)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(show(rest.Lines), want[130:]) || rest.More {
		t.Errorf("continuing from %v gave %d lines (more=%v), want the other %d", p.Next, len(rest.Lines), rest.More, len(want)-130)
	}
}

func TestParseCursor(t *testing.T) {
	tests := []struct {
		in   string
		want Cursor
		ok   bool
	}{
		{"", Cursor{}, true},
		{"1705313100250000000:3", Cursor{1705313100250000000, 3}, true},
		{"1705313100250000000", Cursor{}, false},
		{"x:1", Cursor{}, false},
		{"1:-1", Cursor{}, false},
	}
	for _, tt := range tests {
		got, err := ParseCursor(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseCursor(%q) = %v, %v", tt.in, got, err)
		}
		if tt.ok && got.String() != tt.in {
			t.Errorf("%v.String() = %q, want %q", got, got.String(), tt.in)
		}
	}
}

func TestPageRejectsMetricQueries(t *testing.T) {
	c, _ := serve(t, 200, []byte(`{"status":"success","data":{"resultType":"matrix","result":[]}}`))
	_, err := c.Page(context.Background(), Query{Expr: `count_over_time({a="b"}[1m])`}, Cursor{})
	mustKind(t, err, datasources.ErrorBadQuery)
}
