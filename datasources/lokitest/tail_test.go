package lokitest_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/datasources/contracttest"
	"github.com/ariadne-dev/ariadne/datasources/loki"
	"github.com/ariadne-dev/ariadne/datasources/lokitest"
)

// dialTail opens a raw tail WebSocket, as any Loki client would.
func dialTail(t *testing.T, srv *lokitest.Server, params url.Values, h http.Header) *websocket.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, _, err := websocket.Dial(ctx, srv.URL+"/loki/api/v1/tail?"+params.Encode(), &websocket.DialOptions{HTTPHeader: h})
	if err != nil {
		t.Fatalf("dial tail: %v", err)
	}
	c.SetReadLimit(64 << 20)
	t.Cleanup(func() { c.CloseNow() })
	return c
}

func readFrame(t *testing.T, c *websocket.Conn) any {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	typ, b, err := c.Read(ctx)
	if err != nil {
		t.Fatalf("read frame: %v", err)
	}
	if typ != websocket.MessageText {
		t.Fatalf("frame type %v, want TEXT", typ)
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("frame is not JSON: %v\n%s", err, b)
	}
	return v
}

// TestTailFramesAsContract replays the contract's request and lines and
// expects Loki's frames, exactly: the history frame, a live one, and the
// categorize-labels shape with structured metadata.
func TestTailFramesAsContract(t *testing.T) {
	var c struct {
		Plain []any `json:"frames_plain"`
		Cat   []any `json:"frames_with_header_categorize_labels"`
	}
	if err := json.Unmarshal(contracttest.Read(t, "loki", "handwritten", "tail_frames.json"), &c); err != nil {
		t.Fatal(err)
	}
	srv, _ := newPair(t)
	labels := map[string]string{"namespace": "shop", "service_name": "checkout"}
	mustPush(t, srv, labels, lokitest.Entry{Time: time.Unix(0, 1705313100250000000), Line: `level=error msg="payment declined" order_id=8812`},
		lokitest.Entry{Time: time.Unix(0, 1705313100300000000), Line: `level=info msg="paid"`})
	params := url.Values{"query": {`{service_name="checkout"} |= "error"`}, "limit": {"100"}, "delay_for": {"0"}, "start": {"1705312800000000000"}}
	conn := dialTail(t, srv, params, nil)
	if got := readFrame(t, conn); !reflect.DeepEqual(got, c.Plain[0]) {
		t.Errorf("history frame:\n got %v\nwant %v", got, c.Plain[0])
	}
	mustPush(t, srv, labels, lokitest.Entry{Time: time.Unix(0, 1705313160000000000), Line: `level=error msg="retry exhausted" order_id=8812`})
	want := c.Plain[1].(map[string]any)
	delete(want, "dropped_entries") // dropped lines have a test of their own
	if got := readFrame(t, conn); !reflect.DeepEqual(got, want) {
		t.Errorf("live frame:\n got %v\nwant %v", got, want)
	}

	h := http.Header{loki.EncodingFlagsHeader: {loki.FlagCategorizeLabels}}
	params.Set("start", "1705313200000000000")
	cat := dialTail(t, srv, params, h)
	mustPush(t, srv, labels, lokitest.Entry{Time: time.Unix(0, 1705313220000000000), Line: `level=error msg="payment declined" order_id=8830`,
		Metadata: map[string]string{"trace_id": "5b8efff798038103d269b633813fc60c"}})
	if got := readFrame(t, cat); !reflect.DeepEqual(got, c.Cat[0]) {
		t.Errorf("categorized frame:\n got %v\nwant %v", got, c.Cat[0])
	}
}

// TestTailDropsForASlowClient: a client that does not read loses lines
// once the queue and the socket are full, and every pushed line is either
// received or reported in dropped_entries, as Loki reports them.
func TestTailDropsForASlowClient(t *testing.T) {
	srv, _ := newPair(t, lokitest.WithTailBuffer(1))
	labels := map[string]string{"service_name": "orders"}
	conn := dialTail(t, srv, url.Values{"query": {`{service_name="orders"}`}, "start": {fmt.Sprint(at(1).UnixNano())}}, nil)
	waitTails(t, srv, 1)
	big := strings.Repeat("x", 64<<10)
	const n = 400 // 25 MiB: more than loopback's socket buffers hold
	for i := range n {
		mustPush(t, srv, labels, lokitest.Entry{Time: at(float64(i) + 10), Line: fmt.Sprintf("%03d %s", i, big)})
	}
	received, dropped, expected := 0, 0, n
	for received+dropped < expected {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		_, b, err := conn.Read(ctx)
		cancel()
		if err != nil {
			// Drops travel with the next frame: the last lines may have
			// been dropped with no frame after them, so send one.
			mustPush(t, srv, labels, lokitest.Entry{Time: at(float64(expected) + 100), Line: "marker"})
			expected++
			continue
		}
		var f struct {
			Streams []struct {
				Values [][]string `json:"values"`
			} `json:"streams"`
			Dropped []struct {
				Labels    map[string]string `json:"labels"`
				Timestamp string            `json:"timestamp"`
			} `json:"dropped_entries"`
		}
		if err := json.Unmarshal(b, &f); err != nil {
			t.Fatal(err)
		}
		for _, st := range f.Streams {
			received += len(st.Values)
		}
		for _, d := range f.Dropped {
			if d.Labels["service_name"] != "orders" || d.Timestamp == "" {
				t.Fatalf("dropped entry %+v", d)
			}
		}
		dropped += len(f.Dropped)
	}
	if received+dropped != expected {
		t.Fatalf("received %d + dropped %d, pushed %d", received, dropped, expected)
	}
	if dropped == 0 {
		t.Fatalf("received all %d lines: the client was never slow enough to drop any", received)
	}
	t.Logf("received %d, dropped %d", received, dropped)
}

func waitTails(t *testing.T, srv *lokitest.Server, want int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for srv.TailConnections() != want {
		if time.Now().After(deadline) {
			t.Fatalf("open tails: %d, want %d", srv.TailConnections(), want)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestTailClient follows a query with the Loki client: only matching
// lines, oldest first, categorized labels, and EOF when Loki goes away.
func TestTailClient(t *testing.T) {
	srv, c := newPair(t)
	ctx := context.Background()
	mustPush(t, srv, map[string]string{"service_name": "gateway"}, lokitest.Entry{Time: at(5), Line: "old error"})
	tail, err := c.Tail(ctx, loki.TailRequest{Expr: `{service_name="gateway"} |= "error"`, Start: at(1), Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	defer tail.Close()
	f, err := tail.Next(ctx)
	if err != nil || len(f.Lines) != 1 || f.Lines[0].Line != "old error" {
		t.Fatalf("history: %+v, %v", f, err)
	}
	mustPush(t, srv, map[string]string{"service_name": "gateway"},
		lokitest.Entry{Time: at(7), Line: "new error two", Metadata: map[string]string{"trace_id": "abc"}},
		lokitest.Entry{Time: at(6), Line: "new error one"},
		lokitest.Entry{Time: at(8), Line: "fine"})
	f, err = tail.Next(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"new error one", "new error two"}
	if got := lines(f.Lines); !reflect.DeepEqual(got, want) {
		t.Fatalf("lines %q, want %q", got, want)
	}
	if l := f.Lines[1]; l.StructuredMetadata["trace_id"] != "abc" || l.Labels["service_name"] != "gateway" || l.Stream != `{service_name="gateway"}` {
		t.Errorf("line %+v", l)
	}
	srv.Close()
	if _, err := tail.Next(ctx); !errors.Is(err, io.EOF) {
		t.Fatalf("after Loki closed: %v, want io.EOF", err)
	}
	waitTails(t, srv, 0)
}

// TestTailCancelled: a done context ends Next and frees Loki's side.
func TestTailCancelled(t *testing.T) {
	srv, c := newPair(t)
	ctx, cancel := context.WithCancel(context.Background())
	tail, err := c.Tail(ctx, loki.TailRequest{Expr: `{service_name="gateway"}`})
	if err != nil {
		t.Fatal(err)
	}
	waitTails(t, srv, 1)
	go func() { time.Sleep(50 * time.Millisecond); cancel() }()
	if _, err := tail.Next(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Next after cancel: %v", err)
	}
	tail.Close()
	waitTails(t, srv, 0)
}

// TestTailRefusals: Loki's errors before the upgrade reach the client in
// the datasources vocabulary.
func TestTailRefusals(t *testing.T) {
	ctx := context.Background()
	_, c := newPair(t, lokitest.WithMaxTails(1))
	for _, tt := range []struct {
		name string
		req  loki.TailRequest
		kind datasources.ErrorKind
		text string
	}{
		{"bad query", loki.TailRequest{Expr: `{service_name=}`}, datasources.ErrorBadQuery, "parse"},
		{"delay_for", loki.TailRequest{Expr: `{a="b"}`, DelayFor: 6 * time.Second}, datasources.ErrorBadQuery, "delay_for can't be greater than 5"},
		{"limit", loki.TailRequest{Expr: `{a="b"}`, Limit: 6000}, datasources.ErrorTooLarge, "max_entries_limit"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.Tail(ctx, tt.req)
			var e *datasources.Error
			if !errors.As(err, &e) || e.Kind != tt.kind || !strings.Contains(e.Message, tt.text) {
				t.Fatalf("err %v (%#v), want kind %v with %q", err, e, tt.kind, tt.text)
			}
		})
	}
	t.Run("too many tails", func(t *testing.T) {
		first, err := c.Tail(ctx, loki.TailRequest{Expr: `{a="b"}`})
		if err != nil {
			t.Fatal(err)
		}
		defer first.Close()
		_, err = c.Tail(ctx, loki.TailRequest{Expr: `{a="b"}`})
		if err == nil || !strings.Contains(err.Error(), "max concurrent tail requests limit exceeded") {
			t.Fatalf("second tail: %v", err)
		}
	})
	t.Run("tenant", func(t *testing.T) {
		mt := lokitest.NewTestServer(t, lokitest.WithMultiTenant(), lokitest.WithClock(func() time.Time { return t0.Add(time.Hour) }))
		anon, _ := loki.New(datasources.Config{URL: mt.URL})
		if _, err := anon.Tail(ctx, loki.TailRequest{Expr: `{a="b"}`}); err == nil || !strings.Contains(err.Error(), "no org id") {
			t.Fatalf("without a tenant: %v", err)
		}
		ten, _ := loki.New(datasources.Config{URL: mt.URL, Tenant: "team-a"})
		tail, err := ten.Tail(ctx, loki.TailRequest{Expr: `{a="b"}`})
		if err != nil {
			t.Fatal(err)
		}
		defer tail.Close()
		if err := mt.PushTenant("team-a", map[string]string{"a": "b"}, lokitest.Entry{Time: at(70), Line: "mine"}); err != nil {
			t.Fatal(err)
		}
		if err := mt.Push(map[string]string{"a": "b"}, lokitest.Entry{Time: at(71), Line: "not mine"}); err != nil {
			t.Fatal(err)
		}
		f, err := tail.Next(ctx)
		if err != nil || len(f.Lines) != 1 || f.Lines[0].Line != "mine" {
			t.Fatalf("tenant's tail: %+v, %v", f, err)
		}
	})
}
