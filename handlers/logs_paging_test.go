package handlers

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/ariadne-dev/ariadne/datasources/lokitest"
)

// pageLines follows one page: its lines' texts and its paging links.
func pageLines(t *testing.T, f *logsFixture, target string) (lines []string, older, newer string) {
	t.Helper()
	d := doc(t, f.app.get(t, target))
	p := panelOf(d, "Lines")
	if e := p.Find(".error-text").Text(); e != "" {
		t.Fatalf("%s: %s", target, e)
	}
	p.Find(".logline .msg").Each(func(_ int, s *goquery.Selection) { lines = append(lines, strings.TrimSpace(s.Text())) })
	older = p.Find(`.pager a[rel="next"]`).First().AttrOr("href", "")
	newer = p.Find(`.pager a[rel="prev"]`).First().AttrOr("href", "")
	return lines, older, newer
}

// TestLogsPagingAtEqualTimestamps: 25 lines share one nanosecond across
// two streams, among others; pages of 7 going older, then newer, show
// every line exactly once and come back to the same pages.
func TestLogsPagingAtEqualTimestamps(t *testing.T) {
	for _, dir := range []string{"backward", "forward"} {
		t.Run(dir, func(t *testing.T) {
			f := newLogsApp(t, Options{})
			var all []string
			same := logBase.Add(time.Minute)
			for i := range 13 {
				f.push(t, "orders", "info", lokitest.Entry{Time: same, Line: fmt.Sprintf("orders same %02d", i)})
				all = append(all, fmt.Sprintf("orders same %02d", i))
			}
			for i := range 12 {
				f.push(t, "payments", "info", lokitest.Entry{Time: same, Line: fmt.Sprintf("payments same %02d", i)})
				all = append(all, fmt.Sprintf("payments same %02d", i))
			}
			for i := range 5 {
				before := fmt.Sprintf("before %d", i)
				after := fmt.Sprintf("after %d", i)
				f.push(t, "orders", "info", lokitest.Entry{Time: same.Add(-time.Duration(i+1) * time.Second), Line: before})
				f.push(t, "orders", "info", lokitest.Entry{Time: same.Add(time.Duration(i+1) * time.Second), Line: after})
				all = append(all, before, after)
			}
			target := "/logs?q=" + url.QueryEscape(`{service_name=~".+"}`) + "&limit=7&direction=" + dir + "&" + window()
			// "On" continues in the query's direction; "back" returns.
			on, back := func(older, newer string) string { return older }, func(older, newer string) string { return newer }
			if dir == "forward" {
				on, back = back, on
			}
			var pages [][]string
			var urls []string
			seen := map[string]int{}
			for next := target; next != "" && len(pages) < 20; {
				lines, older, newer := pageLines(t, f, next)
				urls, pages = append(urls, next), append(pages, lines)
				for _, l := range lines {
					seen[l]++
				}
				if len(lines) > 7 {
					t.Errorf("page %d has %d lines", len(pages), len(lines))
				}
				next = on(older, newer)
			}
			if len(pages) != 5 {
				t.Errorf("%d pages of 7 for 35 lines, want 5", len(pages))
			}
			for _, l := range all {
				if seen[l] != 1 {
					t.Errorf("%q shown %d times", l, seen[l])
				}
			}
			if len(seen) != len(all) {
				t.Errorf("%d distinct lines shown, want %d", len(seen), len(all))
			}

			// Back from the last page: the same pages, in reverse order.
			cur := urls[len(urls)-1]
			for i := len(pages) - 1; i > 0; i-- {
				_, older, newer := pageLines(t, f, cur)
				b := back(older, newer)
				if b == "" {
					t.Fatalf("page %d has no link back", i+1)
				}
				got, _, _ := pageLines(t, f, b)
				if !slices.Equal(got, pages[i-1]) {
					t.Errorf("back to page %d:\n%v\nwant\n%v", i, got, pages[i-1])
				}
				cur = b
			}
			if _, older, newer := pageLines(t, f, cur); back(older, newer) != "" {
				t.Errorf("the first page reached going back offers another page back: %s", back(older, newer))
			}
		})
	}
}
