package loki

// Live tail: Loki's /loki/api/v1/tail WebSocket. Each TEXT message is one
// frame, {"streams":[…],"dropped_entries":[…]}, with the query-range shape
// of streams (and, with categorize-labels, its third value element).

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/coder/websocket"

	"github.com/ariadne-dev/ariadne/datasources"
)

// MaxTailFrameBytes bounds one frame, whatever the response cap: a tail
// frame is a handful of lines, never a page.
const MaxTailFrameBytes = 8 << 20

// TailRequest is what a live tail follows. A zero Start leaves Loki's
// default (an hour ago, whose newest Limit lines come first); a zero
// Limit leaves Loki's 100; DelayFor (at most 5 s) lets Loki wait for
// late lines to order them.
type TailRequest struct {
	Expr     string
	Start    time.Time
	Limit    int
	DelayFor time.Duration
}

// TailFrame is one message: lines in the order Loki sent them (oldest
// first within a stream), and the lines Loki dropped because Ariadne read
// too slowly.
type TailFrame struct {
	Lines   []datasources.LogLine
	Dropped []DroppedEntry
}

// DroppedEntry is a line Loki could not send: its stream and time only.
type DroppedEntry struct {
	Labels map[string]string
	TimeNs int64
}

// Tail is an open tail. Next reads frames; Close ends it. One goroutine
// reads at a time.
type Tail struct {
	conn *websocket.Conn
}

// Tail connects to Loki's tail WebSocket with the client's tenant and
// auth headers. The handshake is bounded by the client's timeout; the
// tail itself lives until ctx is done, Close is called or Loki closes it.
func (c *Client) Tail(ctx context.Context, req TailRequest) (*Tail, error) {
	if !c.cfg.Configured() {
		return nil, datasources.NotConfigured(Backend)
	}
	v := url.Values{"query": {req.Expr}}
	if !req.Start.IsZero() {
		v.Set("start", ns(req.Start))
	}
	if req.Limit > 0 {
		v.Set("limit", strconv.Itoa(req.Limit))
	}
	if req.DelayFor > 0 {
		v.Set("delay_for", strconv.Itoa(int(req.DelayFor/time.Second)))
	}
	// The WebSocket outlives any request timeout: only the handshake is
	// bounded, by a context rather than http.Client.Timeout.
	hc := *c.http
	hc.Timeout = 0
	dctx, cancel := context.WithTimeout(ctx, c.cfg.RequestTimeout())
	defer cancel()
	h := http.Header{}
	h.Set(EncodingFlagsHeader, FlagCategorizeLabels)
	conn, resp, err := websocket.Dial(dctx, c.base+"/loki/api/v1/tail?"+v.Encode(), &websocket.DialOptions{
		HTTPClient: &hc, HTTPHeader: h,
	})
	if err != nil {
		if resp != nil && resp.StatusCode != http.StatusSwitchingProtocols {
			// Loki refused before upgrading: its status and text are the
			// same as query_range's (a bad query, a limit, no org id).
			body, rerr := datasources.ReadBody(Backend, resp, 64<<10)
			if rerr == nil || len(body) > 0 {
				return nil, explain(statusError(resp.StatusCode, body))
			}
			return nil, explain(statusError(resp.StatusCode, nil))
		}
		if ctx.Err() != nil {
			return nil, datasources.FromTransport(Backend, ctx.Err())
		}
		return nil, datasources.FromTransport(Backend, err)
	}
	conn.SetReadLimit(min(c.cfg.Limit(), MaxTailFrameBytes))
	return &Tail{conn: conn}, nil
}

// Next waits for the next frame. It returns io.EOF when Loki closed the
// tail normally, ctx's error when ctx is done (the tail is then closed),
// and an error in the datasources vocabulary otherwise.
func (t *Tail) Next(ctx context.Context) (TailFrame, error) {
	typ, b, err := t.conn.Read(ctx)
	if err != nil {
		switch {
		case ctx.Err() != nil:
			return TailFrame{}, ctx.Err()
		case errors.Is(err, io.EOF),
			websocket.CloseStatus(err) == websocket.StatusNormalClosure,
			websocket.CloseStatus(err) == websocket.StatusGoingAway:
			return TailFrame{}, io.EOF
		case websocket.CloseStatus(err) == websocket.StatusMessageTooBig:
			return TailFrame{}, datasources.TooLarge(Backend, MaxTailFrameBytes)
		}
		return TailFrame{}, datasources.FromTransport(Backend, err)
	}
	if typ != websocket.MessageText {
		return TailFrame{}, nil
	}
	f, err := DecodeTailFrame(b)
	return f, err
}

// Close ends the tail, telling Loki so.
func (t *Tail) Close() error {
	return t.conn.Close(websocket.StatusNormalClosure, "")
}

// DecodeTailFrame reads one frame. Lines come out oldest first overall,
// so a reader that shows newest first can prepend them one by one.
func DecodeTailFrame(b []byte) (TailFrame, error) {
	var raw struct {
		Streams []struct {
			Stream map[string]string   `json:"stream"`
			Values [][]json.RawMessage `json:"values"`
		} `json:"streams"`
		Dropped []struct {
			Labels    map[string]string `json:"labels"`
			Timestamp string            `json:"timestamp"`
		} `json:"dropped_entries"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return TailFrame{}, decodeError(err)
	}
	var f TailFrame
	for _, st := range raw.Streams {
		key := datasources.FormatLabels(st.Stream)
		for _, v := range st.Values {
			l, err := tailValue(v)
			if err != nil {
				return TailFrame{}, err
			}
			l.Labels, l.Stream = st.Stream, key
			f.Lines = append(f.Lines, l)
		}
	}
	slices.SortStableFunc(f.Lines, func(a, b datasources.LogLine) int {
		switch {
		case a.TimeNs < b.TimeNs:
			return -1
		case a.TimeNs > b.TimeNs:
			return 1
		}
		return 0
	})
	for _, d := range raw.Dropped {
		n, err := strconv.ParseInt(d.Timestamp, 10, 64)
		if err != nil {
			return TailFrame{}, decodeError(errors.New("dropped entry timestamp " + strconv.Quote(d.Timestamp) + " is not unix nanoseconds"))
		}
		f.Dropped = append(f.Dropped, DroppedEntry{Labels: d.Labels, TimeNs: n})
	}
	return f, nil
}

// tailValue reads ["<ns>", "<line>", {"structuredMetadata":…,"parsed":…}?].
func tailValue(v []json.RawMessage) (datasources.LogLine, error) {
	var l datasources.LogLine
	if len(v) < 2 {
		return l, decodeError(errors.New("a tail value has fewer than two elements"))
	}
	var ts string
	if err := json.Unmarshal(v[0], &ts); err != nil {
		return l, decodeError(err)
	}
	n, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return l, decodeError(err)
	}
	l.TimeNs = n
	if err := json.Unmarshal(v[1], &l.Line); err != nil {
		return l, decodeError(err)
	}
	if len(v) > 2 {
		var cat struct {
			StructuredMetadata map[string]string `json:"structuredMetadata"`
			Parsed             map[string]string `json:"parsed"`
		}
		if err := json.Unmarshal(v[2], &cat); err != nil {
			return l, decodeError(err)
		}
		l.StructuredMetadata, l.Parsed = cat.StructuredMetadata, cat.Parsed
	}
	return l, nil
}
