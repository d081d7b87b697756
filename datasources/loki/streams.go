package loki

import (
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/ariadne-dev/ariadne/datasources"
)

// Prepare is work a caller wants done on each line of a streams answer
// (typically setting LogLine.Prepared) while the rest of the answer is
// still being decoded: it is given the lines of each stream as soon as the
// stream is read, in batches, on helper goroutines and on the decoding
// one, so it may run several times at once (never on the same lines).
// A page of lines then costs little more than their decode on a machine
// with a second core.
type Prepare func(stream []datasources.LogLine)

// PrepareBatch is the most lines of a stream Prepare is given at a time:
// a stream may hold a whole page.
const PrepareBatch = 128

// maxHelpers bounds the goroutines one answer is decoded on beside its
// own.
const maxHelpers = 7

// streamWork reads the streams of a streams result, each from its own
// bytes (the envelope's scan hands them on as it passes them), and has
// Prepare work on their lines. Without a Prepare it is the plain decode:
// the streams are read one after another on the decoding goroutine. With
// one, helpers on the other cores start on the first streams while the
// rest of the answer is still being scanned, and each stream's lines are
// prepared in batches, by whoever is free, while they are in its cache.
type streamWork struct {
	prepare Prepare
	mu      sync.Mutex
	more    sync.Cond // signalled when work comes or the scan ends
	elems   [][]byte  // each stream's bytes, in the answer's order
	next    int       // the first stream nobody has taken
	reading int       // streams taken and not yet read whole
	streams []rawStream
	errs    []error
	batches [][]datasources.LogLine // read and waiting for Prepare
	// scanning says more streams may come; stopped, that no work is to
	// be taken any more (an error).
	scanning, stopped bool
	helpers           sync.WaitGroup
	started           bool
}

func newStreamWork(prepare Prepare) *streamWork {
	w := &streamWork{prepare: prepare, scanning: true}
	w.more.L = &w.mu
	return w
}

// add is given the bytes of the answer's next stream.
func (w *streamWork) add(elem []byte) {
	w.mu.Lock()
	w.elems = append(w.elems, elem)
	w.streams = append(w.streams, rawStream{})
	w.errs = append(w.errs, nil)
	if w.prepare != nil && !w.started {
		w.started = true
		for range min(runtime.GOMAXPROCS(0)-1, maxHelpers) {
			w.helpers.Go(w.work)
		}
	}
	w.more.Signal()
	w.mu.Unlock()
}

// work takes work until there is none and none can come (the scan is
// over and no stream is still being read): a batch to prepare first (its
// lines were just read), else a stream to read.
func (w *streamWork) work() {
	var scratch []entryTuple
	w.mu.Lock()
	defer w.mu.Unlock()
	for !w.stopped {
		if n := len(w.batches); n > 0 {
			b := w.batches[n-1]
			w.batches = w.batches[:n-1]
			w.mu.Unlock()
			w.prepare(b)
			w.mu.Lock()
			continue
		}
		if i := w.next; i < len(w.elems) {
			w.next++
			w.reading++
			elem := w.elems[i]
			w.mu.Unlock()
			s, err := parseStream(elem, &scratch)
			w.mu.Lock()
			w.streams[i], w.errs[i] = s, err
			if w.reading--; w.reading == 0 && !w.scanning {
				w.more.Broadcast() // maybe the last: those waiting may be done
			}
			if w.prepare != nil && err == nil {
				for lo := 0; lo < len(s.lines); lo += PrepareBatch {
					hi := min(lo+PrepareBatch, len(s.lines))
					w.batches = append(w.batches, s.lines[lo:hi:hi])
				}
				if len(w.batches) > 1 {
					w.more.Signal() // a batch for someone else
				}
			}
			continue
		}
		if !w.scanning && w.reading == 0 {
			return // every stream read, and every batch taken
		}
		w.more.Wait()
	}
}

// stop has no more work taken and waits for what is being done: after
// it, nothing works on the answer's lines.
func (w *streamWork) stop() {
	w.mu.Lock()
	w.scanning, w.stopped = false, true
	w.more.Broadcast()
	w.mu.Unlock()
	w.helpers.Wait()
}

// finish reads the streams that are left, once the scan has passed them
// all, and returns their lines ordered by dir. The caller stops w after,
// whatever it returns.
func (w *streamWork) finish(dir string) ([]datasources.LogLine, error) {
	w.mu.Lock()
	w.scanning = false
	w.more.Broadcast()
	w.mu.Unlock()
	w.work()
	// Every stream is read now (helpers may still be preparing the
	// last batches).
	for i, err := range w.errs {
		if err != nil {
			return nil, fmt.Errorf("stream %d: %w", i+1, err)
		}
	}
	return orderLines(w.streams, dir, w.stop), nil
}

// orderLines is the lines of streams ordered by dir. The lines are sorted
// as small keys without pointers, then copied once into their places:
// moving whole lines (with the garbage collector's write barriers on every
// pointer) cost three times as much. Until ready returns, a Prepare may
// still write to the lines (their Prepared, which the keys and the sort
// do not read).
func orderLines(streams []rawStream, dir string, ready func()) []datasources.LogLine {
	type key struct {
		ts             int64
		stream, offset int32 // the line's stream, and its index there
	}
	n := 0
	for i := range streams {
		n += len(streams[i].lines)
	}
	keys := make([]key, 0, n)
	for si := range streams {
		for j := range streams[si].lines {
			keys = append(keys, key{streams[si].lines[j].TimeNs, int32(si), int32(j)})
		}
	}
	// Ties at one timestamp are ordered by stream labels: each stream's
	// rank among them is found once.
	order := make([]int, len(streams))
	for i := range streams {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return strings.Compare(streams[a].key, streams[b].key) })
	rank := make([]int32, len(streams))
	for r, si := range order {
		rank[si] = int32(r)
	}
	line := func(k key) *datasources.LogLine { return &streams[k.stream].lines[k.offset] }
	forward := strings.EqualFold(dir, Forward)
	slices.SortFunc(keys, func(a, b key) int {
		if a.ts != b.ts {
			if forward == (a.ts < b.ts) {
				return -1
			}
			return 1
		}
		if a.stream != b.stream {
			return int(rank[a.stream] - rank[b.stream])
		}
		return strings.Compare(line(a).Line, line(b).Line)
	})
	ready()
	lines := make([]datasources.LogLine, len(keys))
	for i, k := range keys {
		lines[i] = *line(k)
	}
	return lines
}

// parseStream reads one stream of a streams result, its entries read
// first into scratch (shared by the streams one goroutine reads), then
// made lines once their number and labels are known.
func parseStream(raw []byte, scratch *[]entryTuple) (rawStream, error) {
	p := &parser{b: raw}
	var s rawStream
	entries := (*scratch)[:0]
	err := p.object(func(k string) error {
		switch k {
		case "stream":
			m, err := p.stringMap()
			s.stream = m
			return err
		case "values":
			if p.peekNull() {
				return nil
			}
			return p.array(func() error {
				e, err := p.entry()
				entries = append(entries, e)
				return err
			})
		}
		return p.skipValue()
	})
	*scratch = entries[:0]
	if err != nil {
		return s, err
	}
	// The labels may come after the values: the lines get them once the
	// stream is whole.
	if s.stream == nil {
		s.stream = map[string]string{}
	}
	s.key = datasources.FormatLabels(s.stream)
	s.lines = make([]datasources.LogLine, len(entries))
	for j, e := range entries {
		s.lines[j] = datasources.LogLine{TimeNs: e.ts, Labels: s.stream, Stream: s.key,
			StructuredMetadata: e.sm, Parsed: e.parsed, Line: e.line}
	}
	return s, nil
}

// rawElems is raw for an array, handing fn each element's bytes as soon
// as it is passed; any other value is only passed.
func (p *parser) rawElems(fn func([]byte)) ([]byte, error) {
	p.ws()
	start := p.i
	if p.i >= len(p.b) || p.b[p.i] != '[' {
		return p.raw()
	}
	err := p.array(func() error {
		p.ws()
		from := p.i
		if err := p.skipValue(); err != nil {
			return err
		}
		fn(p.b[from:p.i])
		return nil
	})
	return p.b[start:p.i], err
}

var errNotArray = errors.New("the streams result is not an array")
