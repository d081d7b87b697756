package handlers

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/ariadne-dev/ariadne/datasources/lokitest"
)

type sseEvent struct{ name, id, data string }

// liveStream is one open GET /logs/live, read event by event.
type liveStream struct {
	resp   *http.Response
	events chan sseEvent
	cancel context.CancelFunc
}

func liveFixture(t *testing.T, lokiOpts ...lokitest.Option) (*logsFixture, *httptest.Server, *http.Client) {
	t.Helper()
	f := newLogsApp(t, Options{UserHeader: "X-Forwarded-User", DefaultUser: "local",
		TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}}, lokiOpts...)
	srv := httptest.NewServer(f.app.e)
	t.Cleanup(srv.Close)
	// No idle connections to count as leftovers.
	tr := &http.Transport{DisableKeepAlives: true}
	t.Cleanup(tr.CloseIdleConnections)
	return f, srv, &http.Client{Transport: tr}
}

func openLive(t *testing.T, srv *httptest.Server, c *http.Client, path, user string) (*liveStream, int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+path, nil)
	req.Header.Set("X-Forwarded-User", user)
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := c.Do(req)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		cancel()
		if !strings.Contains(string(body), "live tail") && resp.StatusCode == http.StatusTooManyRequests {
			t.Errorf("429 without saying why: %s", body)
		}
		return nil, resp.StatusCode
	}
	s := &liveStream{resp: resp, events: make(chan sseEvent, 64), cancel: cancel}
	go func() {
		defer close(s.events)
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(make([]byte, 0, 64<<10), 8<<20)
		var ev sseEvent
		var data []string
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "":
				if ev.name != "" {
					ev.data = strings.Join(data, "\n")
					s.events <- ev
				}
				ev, data = sseEvent{}, nil
			case strings.HasPrefix(line, "event: "):
				ev.name = line[len("event: "):]
			case strings.HasPrefix(line, "id: "):
				ev.id = line[len("id: "):]
			case strings.HasPrefix(line, "data: "):
				data = append(data, line[len("data: "):])
			}
		}
	}()
	t.Cleanup(s.close)
	return s, http.StatusOK
}

func (s *liveStream) close() {
	s.cancel()
	s.resp.Body.Close()
}

func (s *liveStream) next(t *testing.T, within time.Duration) sseEvent {
	t.Helper()
	select {
	case ev, ok := <-s.events:
		if !ok {
			t.Fatal("the stream ended")
		}
		return ev
	case <-time.After(within):
		t.Fatalf("no event within %s", within)
	}
	return sseEvent{}
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited 5 s for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

const liveQuery = `{service_name="payments"}`

func livePath(q string) string { return "/logs/live?q=" + url.QueryEscape(q) }

// TestLiveStreamsRows: pushed lines reach the browser as one event of
// rows built like the logs page's, newest first, escaped, with levels and
// trace links; the event's id is the newest line's time, to resume from.
func TestLiveStreamsRows(t *testing.T) {
	f, srv, c := liveFixture(t)
	s, code := openLive(t, srv, c, livePath(liveQuery), "alice")
	if code != http.StatusOK {
		t.Fatalf("status %d", code)
	}
	if ct := s.resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/event-stream") {
		t.Errorf("Content-Type %q", ct)
	}
	if ce := s.resp.Header.Get("Content-Encoding"); ce != "" {
		t.Errorf("Content-Encoding %q: events would wait in the compressor", ce)
	}
	waitFor(t, "the tail to open", func() bool { return f.loki.TailConnections() == 1 })
	f.push(t, "payments", "error",
		lokitest.Entry{Time: logBase.Add(2 * time.Second), Line: jsonLine("payments", "error", "charge <script>alert(1)</script> failed", traceHex, "00000000000000b2")},
		lokitest.Entry{Time: logBase.Add(time.Second), Line: "older\u200bline"})
	f.push(t, "orders", "info", lokitest.Entry{Time: logBase.Add(3 * time.Second), Line: "not followed"})
	ev := s.next(t, 2*time.Second)
	if ev.name != "lines" || ev.id != strconv.FormatInt(logBase.Add(2*time.Second).UnixNano(), 10) {
		t.Fatalf("event %q id %q", ev.name, ev.id)
	}
	d, err := goquery.NewDocumentFromReader(strings.NewReader(ev.data))
	if err != nil {
		t.Fatal(err)
	}
	rows := d.Find("details.logline")
	if rows.Length() != 2 {
		t.Fatalf("%d rows:\n%s", rows.Length(), ev.data)
	}
	first := rows.First()
	if first.Find(".lvl").Text() != "error" {
		t.Errorf("newest row's level: %q", first.Find(".lvl").Text())
	}
	if href, _ := first.Find("a.tlink").Attr("href"); !strings.Contains(href, "/traces/"+traceHex) {
		t.Errorf("trace link %q", href)
	}
	if d.Find("script").Length() != 0 || !strings.Contains(first.Text(), "<script>") {
		t.Errorf("the line's markup was not escaped:\n%s", ev.data)
	}
	if strings.Contains(ev.data, "\u200b") {
		t.Errorf("an invisible character reached the page as is")
	}
	if id1, id2 := first.AttrOr("id", ""), rows.Last().AttrOr("id", ""); id1 == id2 || !strings.HasPrefix(id1, "live-") {
		t.Errorf("row ids %q, %q", id1, id2)
	}
}

// settledGoroutines waits (2 s at most) for the goroutine count to fall
// to atMost; atMost < 0 waits for it to hold still for 100 ms instead.
func settledGoroutines(atMost int) int {
	n, still := runtime.NumGoroutine(), 0
	for i := 0; i < 200; i++ {
		if atMost >= 0 && n <= atMost || atMost < 0 && still == 10 {
			break
		}
		time.Sleep(10 * time.Millisecond)
		m := runtime.NumGoroutine()
		if m == n {
			still++
		} else {
			still = 0
		}
		n = m
	}
	return n
}

// TestLiveBoundsAndLeaks: live tails are bounded per user and in all;
// when the browser goes away, and when Loki closes, the tail to Loki is
// closed, the slot given back, and no goroutine is left behind.
func TestLiveBoundsAndLeaks(t *testing.T) {
	f, srv, c := liveFixture(t)
	before := settledGoroutines(-1)
	var open []*liveStream
	for i := range DefaultLiveTailsPerUser {
		s, code := openLive(t, srv, c, livePath(liveQuery), "alice")
		if code != http.StatusOK {
			t.Fatalf("tail %d: status %d", i, code)
		}
		open = append(open, s)
	}
	if _, code := openLive(t, srv, c, livePath(liveQuery), "alice"); code != http.StatusTooManyRequests {
		t.Fatalf("alice's 4th tail: status %d, want 429", code)
	}
	bob, code := openLive(t, srv, c, livePath(liveQuery), "bob")
	if code != http.StatusOK {
		t.Fatalf("bob's tail: status %d", code)
	}
	open = append(open, bob)
	waitFor(t, "4 tails in Loki", func() bool { return f.loki.TailConnections() == 4 })
	if n, per := f.app.h.live.counts(); n != 4 || per["alice"] != 3 || per["bob"] != 1 {
		t.Fatalf("slots %d %v", n, per)
	}
	for _, s := range open {
		s.close() // the browser goes away
	}
	waitFor(t, "Loki's tails to close", func() bool { return f.loki.TailConnections() == 0 })
	waitFor(t, "the slots to be free", func() bool { n, _ := f.app.h.live.counts(); return n == 0 })
	if after := settledGoroutines(before); after > before {
		buf := make([]byte, 1<<20)
		t.Fatalf("goroutines: %d before, %d after\n%s", before, after, buf[:runtime.Stack(buf, true)])
	}

	// Loki closes: the stream says so and ends, and its slot is free.
	s, code := openLive(t, srv, c, livePath(liveQuery), "alice")
	if code != http.StatusOK {
		t.Fatalf("status %d", code)
	}
	waitFor(t, "the tail to open", func() bool { return f.loki.TailConnections() == 1 })
	f.loki.Close()
	if ev := s.next(t, 5*time.Second); ev.name != "end" {
		t.Fatalf("event %q after Loki closed, want end", ev.name)
	}
	waitFor(t, "the stream to end", func() bool {
		select {
		case _, ok := <-s.events:
			return !ok
		default:
			return false
		}
	})
	waitFor(t, "the slots to be free", func() bool { n, _ := f.app.h.live.counts(); return n == 0 })
	s.close()
	if after := settledGoroutines(before); after > before {
		buf := make([]byte, 1<<20)
		t.Fatalf("goroutines after Loki closed: %d before, %d after\n%s", before, after, buf[:runtime.Stack(buf, true)])
	}
}

// TestLiveRefusals: what Live cannot follow is refused before the stream
// starts, with a status and the reason.
func TestLiveRefusals(t *testing.T) {
	_, srv, c := liveFixture(t)
	for _, tt := range []struct {
		name, path string
		want       int
	}{
		{"no query", "/logs/live", http.StatusBadRequest},
		{"metric query", livePath(`rate({service_name="payments"}[1m])`), http.StatusBadRequest},
		{"Loki refuses it", livePath(`{service_name="payments"} |~ "("`), http.StatusBadRequest},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if s, code := openLive(t, srv, c, tt.path, "alice"); code != tt.want {
				if s != nil {
					s.close()
				}
				t.Fatalf("status %d, want %d", code, tt.want)
			}
		})
	}
	noLoki := newApp(t, Options{})
	if w := noLoki.get(t, livePath(liveQuery)); w.Code == http.StatusOK {
		t.Errorf("without Loki: status %d", w.Code)
	}
}

// TestLogsPageLiveControl: the logs page offers Live for a log query,
// with a refresh link for pages without JavaScript, which reloads the
// newest lines every 5 s (a meta refresh; CSP does not govern it).
func TestLogsPageLiveControl(t *testing.T) {
	f := newLogsApp(t, Options{})
	d := doc(t, f.app.get(t, "/logs?q="+url.QueryEscape(liveQuery)+"&"+window()+"&cursor=abc"))
	live := d.Find("section#live")
	if got := live.AttrOr("data-stream", ""); !strings.HasPrefix(got, "/logs/live?") || !strings.Contains(got, url.QueryEscape(liveQuery)) {
		t.Fatalf("data-stream %q", got)
	}
	if d.Find(`script[src*="js/live"]`).Length() != 1 {
		t.Error("live.js is not on the page")
	}
	ref := live.Find("a.live-refresh").AttrOr("href", "")
	u, _ := url.Parse(ref)
	if u.Path != "/logs" || u.Query().Get("refresh") != "1" || u.Query().Get("cursor") != "" || u.Query().Get("from") != "" {
		t.Fatalf("refresh link %q: the query's newest lines in the default window", ref)
	}
	if d.Find(`meta[http-equiv="refresh"]`).Length() != 0 {
		t.Error("a meta refresh before asking for one")
	}
	d = doc(t, f.app.get(t, ref))
	if got := d.Find(`meta[http-equiv="refresh"]`).AttrOr("content", ""); got != "5" {
		t.Errorf("meta refresh %q, want 5", got)
	}
	if stop := d.Find("section#live a").Last().AttrOr("href", ""); strings.Contains(stop, "refresh=") {
		t.Errorf("stop link %q still refreshes", stop)
	}
	d = doc(t, f.app.get(t, "/logs?q="+url.QueryEscape(`sum(rate({service_name="payments"}[1m]))`)))
	if d.Find("section#live").Length() != 0 {
		t.Error("Live offered for a metric query")
	}
}

// TestLiveReportsDropped: when the browser reads too slowly, Loki drops
// lines and says which; the stream passes its report on as a "dropped"
// event naming each line's stream and time, and everything pushed is
// either shown or reported.
func TestLiveReportsDropped(t *testing.T) {
	f, srv, c := liveFixture(t, lokitest.WithTailBuffer(1))
	s, code := openLive(t, srv, c, livePath(liveQuery), "alice")
	if code != http.StatusOK {
		t.Fatalf("status %d", code)
	}
	waitFor(t, "the tail to open", func() bool { return f.loki.TailConnections() == 1 })
	big := strings.Repeat("y", 64<<10)
	const n = 300 // ~20 MiB, while nobody reads the events
	for i := range n {
		f.push(t, "payments", "info", lokitest.Entry{Time: logBase.Add(time.Duration(i) * time.Millisecond), Line: strconv.Itoa(i) + " " + big})
	}
	shown, dropped, expected := 0, 0, n
	for shown+dropped < expected {
		select {
		case ev, ok := <-s.events:
			if !ok {
				t.Fatal("the stream ended")
			}
			d, err := goquery.NewDocumentFromReader(strings.NewReader(ev.data))
			if err != nil {
				t.Fatal(err)
			}
			switch ev.name {
			case "lines":
				shown += d.Find("details.logline").Length()
			case "dropped":
				items := d.Find(".live-dropped li code")
				if items.Length() == 0 || !strings.Contains(items.First().Text(), `service_name="payments"`) ||
					!strings.Contains(d.Find(".live-dropped p").Text(), "Loki dropped") {
					t.Fatalf("dropped event:\n%s", ev.data)
				}
				var total int
				fmt.Sscanf(d.Find(".live-dropped p").Text(), "Loki dropped %d", &total)
				dropped += total
			}
		case <-time.After(time.Second):
			// Loki reports drops with its next frame: give it one.
			f.push(t, "payments", "info", lokitest.Entry{Time: logBase.Add(time.Minute + time.Duration(expected)*time.Millisecond), Line: "marker"})
			expected++
		}
	}
	if dropped == 0 || shown+dropped != expected {
		t.Fatalf("shown %d + dropped %d, pushed %d", shown, dropped, expected)
	}
	t.Logf("shown %d, dropped %d", shown, dropped)
}
