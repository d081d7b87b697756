package lokitest

// Live tail: GET /loki/api/v1/tail as a WebSocket, the way Loki serves it.
// Each TEXT message is one JSON frame, {"streams":[…],"dropped_entries":[…]}.
// A connection first gets the newest `limit` lines since `start` (Loki's
// history query), then every pushed line that matches as it is stored.
// Frames wait in a small per-connection queue; a client too slow to take
// them loses lines, and the next frame it gets names each lost line by
// its labels and timestamp, as Loki's tailer does.

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"
)

// Limits of the tail endpoint; Loki's defaults where it has them.
const (
	// DefaultTailBuffer is how many frames wait for a slow client before
	// lines are dropped.
	DefaultTailBuffer = 10
	// DefaultMaxTails is Loki's max_concurrent_tail_requests per tenant.
	DefaultMaxTails = 10
	// maxDroppedPerFrame bounds what one frame reports as dropped (the
	// newest are kept).
	maxDroppedPerFrame = 1000
	// maxDelayFor is Loki's bound on delay_for, in seconds.
	maxDelayFor      = 5
	tailWriteTimeout = 10 * time.Second
)

// WithTailBuffer sets how many frames a tail connection queues before it
// drops lines (default DefaultTailBuffer).
func WithTailBuffer(n int) Option { return func(s *Server) { s.tailBuffer = max(n, 1) } }

// WithMaxTails sets the open tail connections allowed per tenant (default
// DefaultMaxTails, as Loki's max_concurrent_tail_requests).
func WithMaxTails(n int) Option { return func(s *Server) { s.maxTails = n } }

// TailConnections is how many tail connections are open now, for tests
// that prove their clients close what they open.
func (s *Server) TailConnections() int {
	s.tails.mu.Lock()
	defer s.tails.mu.Unlock()
	return len(s.tails.open)
}

// tailer is one open tail connection.
type tailer struct {
	tenant string
	q      *logQuery
	cat    bool
	frames chan []outEntry

	mu      sync.Mutex
	dropped []droppedEntry
	// sent names (stream, time) of the history lines sent first, so a
	// live copy of one is never reported dropped (the handler's own).
	sent map[string]bool
}

type droppedEntry struct {
	labels    []Label
	streamKey string
	ts        int64
}

// tailHub knows every open tail connection; Close ends them (a hijacked
// connection outlives http.Server.Close).
type tailHub struct {
	mu   sync.Mutex
	open map[*tailer]struct{}
	done chan struct{}
	once sync.Once
}

func newTailHub() *tailHub {
	return &tailHub{open: map[*tailer]struct{}{}, done: make(chan struct{})}
}

func (h *tailHub) close() { h.once.Do(func() { close(h.done) }) }

// join registers t unless its tenant already has max connections open
// (max ≤ 0: no bound); it returns how many the tenant would have.
func (h *tailHub) join(t *tailer, max int) (int, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 1
	for o := range h.open {
		if o.tenant == t.tenant {
			n++
		}
	}
	if max > 0 && n > max {
		return n, false
	}
	h.open[t] = struct{}{}
	return n, true
}

func (h *tailHub) leave(t *tailer) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.open, t)
}

// offer is the store's onAdd: each tail of the tenant gets the newly
// stored lines its query keeps, or records them as dropped when its queue
// is full. It never blocks the push.
func (h *tailHub) offer(tenant string, labels []Label, added []stored) {
	h.mu.Lock()
	var ts []*tailer
	for t := range h.open {
		if t.tenant == tenant && matchesAll(t.q.matchers, labels) {
			ts = append(ts, t)
		}
	}
	h.mu.Unlock()
	if len(ts) == 0 {
		return
	}
	st := &stream{labels: labels, key: labelsKey(labels)}
	for _, t := range ts {
		var batch []outEntry
		for i := range added {
			r := newRow(st, &added[i])
			if run(t.q.stages, r) {
				batch = append(batch, toOut(r, t.cat))
			}
		}
		if len(batch) == 0 {
			continue
		}
		select {
		case t.frames <- batch:
		default:
			t.drop(batch)
		}
	}
}

func (t *tailer) drop(batch []outEntry) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, e := range batch {
		t.dropped = append(t.dropped, droppedEntry{labels: e.stream, streamKey: e.streamKey, ts: e.ts})
	}
	if n := len(t.dropped) - maxDroppedPerFrame; n > 0 {
		t.dropped = slices.Delete(t.dropped, 0, n)
	}
}

func (t *tailer) takeDropped() []droppedEntry {
	t.mu.Lock()
	defer t.mu.Unlock()
	d := t.dropped
	t.dropped = nil
	if len(t.sent) > 0 {
		d = slices.DeleteFunc(d, func(e droppedEntry) bool { return t.sent[e.streamKey+"\x00"+strconv.FormatInt(e.ts, 10)] })
	}
	return d
}

// tailParams are the parsed parameters of a tail request.
type tailParams struct {
	q     *logQuery
	start int64
	limit int
}

func (s *Server) parseTail(r *http.Request) (tailParams, error) {
	var p tailParams
	lq, _, err := parseQuery(r.Form.Get("query"))
	if err != nil {
		return p, err
	}
	if lq == nil {
		return p, badRequest("tail only supports log queries, not metric queries")
	}
	p.q = lq
	if v := r.Form.Get("delay_for"); v != "" {
		// Accepted and bounded as Loki bounds it; lines here are stored in
		// order, so there is nothing to wait for.
		n, err := strconv.Atoi(v)
		if err != nil {
			return p, badRequest(fmt.Sprintf("could not parse 'delay_for' parameter: %v", err))
		}
		if n > maxDelayFor {
			return p, badRequest(fmt.Sprintf("delay_for can't be greater than %d", maxDelayFor))
		}
	}
	p.limit = 100
	if v := r.Form.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return p, badRequest(fmt.Sprintf("could not parse 'limit' parameter: %v", err))
		}
		if n <= 0 {
			return p, badRequest("limit must be a positive value")
		}
		p.limit = n
	}
	if p.limit > s.maxEntries {
		return p, badRequest(fmt.Sprintf("max entries limit per query exceeded, limit > max_entries_limit_per_query (%d > %d)", p.limit, s.maxEntries))
	}
	if p.start, err = parseTime(r, "start", s.now().Add(-time.Hour).UnixNano()); err != nil {
		return p, err
	}
	return p, nil
}

func (s *Server) handleTail(w http.ResponseWriter, r *http.Request) {
	tenant, ok := s.begin(w, r, true, http.MethodGet)
	if !ok {
		return
	}
	p, err := s.parseTail(r)
	if err != nil {
		fail(w, err)
		return
	}
	t := &tailer{tenant: tenant, q: p.q, cat: categorized(r), frames: make(chan []outEntry, s.tailBuffer)}
	// Registered before the history is read, so no line falls between the
	// two; the ones in both are sent once.
	if n, ok := s.tails.join(t, s.maxTails); !ok {
		fail(w, badRequest(fmt.Sprintf("max concurrent tail requests limit exceeded, count > limit (%d > %d)", n, s.maxTails)))
		return
	}
	defer s.tails.leave(t)
	conn, err := websocket.Accept(w, r, nil)
	if err != nil {
		return // Accept has answered the failed handshake
	}
	defer conn.CloseNow()

	ctx, cancel := context.WithCancel(conn.CloseRead(r.Context()))
	defer cancel()
	go func() {
		select {
		case <-s.tails.done:
			cancel()
		case <-ctx.Done():
		}
	}()

	hist, _ := s.evalLogs(tenant, p.q, p.start, s.now().UnixNano()+1, p.limit, false, t.cat)
	// A line pushed between join and the history read is in both: sent
	// once, with the history, and never reported dropped afterwards.
	seen, sent := map[string]bool{}, map[string]bool{}
	var first []outEntry
	for _, st := range hist {
		for _, e := range slices.Backward(st.entries) {
			first = append(first, e)
			seen[entryKey(e)] = true
			sent[e.streamKey+"\x00"+strconv.FormatInt(e.ts, 10)] = true
		}
	}
	t.sent = sent
	if len(first) > 0 && !s.writeTail(ctx, conn, t, first) {
		return
	}
	for {
		select {
		case <-ctx.Done():
			conn.Close(websocket.StatusGoingAway, "")
			return
		case batch := <-t.frames:
			if len(seen) > 0 {
				batch = slices.DeleteFunc(batch, func(e outEntry) bool { return seen[entryKey(e)] })
				if len(batch) == 0 {
					continue
				}
			}
			if !s.writeTail(ctx, conn, t, batch) {
				return
			}
		}
	}
}

func entryKey(e outEntry) string {
	return e.streamKey + "\x00" + strconv.FormatInt(e.ts, 10) + "\x00" + e.line
}

func (s *Server) writeTail(ctx context.Context, conn *websocket.Conn, t *tailer, batch []outEntry) bool {
	b := appendTailFrame(nil, batch, t.takeDropped(), t.cat)
	wctx, cancel := context.WithTimeout(ctx, tailWriteTimeout)
	defer cancel()
	return conn.Write(wctx, websocket.MessageText, b) == nil
}

// appendTailFrame writes one frame: the batch grouped into streams in the
// order they first appear, then what was dropped since the last frame.
func appendTailFrame(b []byte, batch []outEntry, dropped []droppedEntry, categorized bool) []byte {
	var order []string
	byKey := map[string][]outEntry{}
	for _, e := range batch {
		if _, ok := byKey[e.streamKey]; !ok {
			order = append(order, e.streamKey)
		}
		byKey[e.streamKey] = append(byKey[e.streamKey], e)
	}
	b = append(b, `{"streams":[`...)
	for i, k := range order {
		if i > 0 {
			b = append(b, ',')
		}
		es := byKey[k]
		b = append(b, `{"stream":`...)
		b = appendLabels(b, es[0].stream)
		b = append(b, `,"values":[`...)
		for j, e := range es {
			if j > 0 {
				b = append(b, ',')
			}
			b = append(b, `["`...)
			b = strconv.AppendInt(b, e.ts, 10)
			b = append(b, `",`...)
			b = appendString(b, e.line)
			if categorized {
				b = appendCategories(b, e)
			}
			b = append(b, ']')
		}
		b = append(b, `]}`...)
	}
	b = append(b, ']')
	if len(dropped) > 0 {
		b = append(b, `,"dropped_entries":[`...)
		for i, d := range dropped {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"labels":`...)
			b = appendLabels(b, d.labels)
			b = append(b, `,"timestamp":"`...)
			b = strconv.AppendInt(b, d.ts, 10)
			b = append(b, `"}`...)
		}
		b = append(b, ']')
	}
	if categorized {
		b = append(b, `,"encodingFlags":["categorize-labels"]`...)
	}
	return append(b, '}')
}

// appendCategories writes a value's third element, {"structuredMetadata":…,"parsed":…}.
func appendCategories(b []byte, e outEntry) []byte {
	var parts []string
	if len(e.meta) > 0 {
		parts = append(parts, `"structuredMetadata":`+string(appendLabels(nil, e.meta)))
	}
	if len(e.parsed) > 0 {
		parts = append(parts, `"parsed":`+string(appendLabels(nil, e.parsed)))
	}
	b = append(b, ",{"...)
	b = append(b, strings.Join(parts, ",")...)
	return append(b, '}')
}
