package lokitest

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Label is one name/value pair of a stream or of structured metadata.
type Label struct{ Name, Value string }

// labelsKey renders sorted labels as Loki does: {a="1", b="2"}.
func labelsKey(ls []Label) string {
	var b strings.Builder
	b.WriteByte('{')
	for i, l := range ls {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(l.Name)
		b.WriteByte('=')
		b.WriteString(strconv.Quote(l.Value))
	}
	b.WriteByte('}')
	return b.String()
}

func sortedLabels(m map[string]string) []Label {
	ls := make([]Label, 0, len(m))
	for k, v := range m {
		ls = append(ls, Label{k, v})
	}
	slices.SortFunc(ls, func(a, b Label) int { return strings.Compare(a.Name, b.Name) })
	return ls
}

type stored struct {
	ts   int64
	line string
	sm   []Label
}

func (e *stored) size() int64 {
	n := int64(len(e.line)) + 32
	for _, l := range e.sm {
		n += int64(len(l.Name) + len(l.Value))
	}
	return n
}

// stream holds the entries of one label set, sorted by time.
type stream struct {
	labels  []Label
	key     string
	entries []stored
}

type tenant struct {
	streams map[string]*stream
}

// store is the in-memory log store: tenants → streams → entries. Writers
// take the lock exclusively, queries share it, and queries copy what they
// keep, so a push during a long query is safe.
type store struct {
	mu        sync.RWMutex
	tenants   map[string]*tenant
	bytes     int64
	maxBytes  int64
	retention time.Duration
	now       func() time.Time
	lastTrim  time.Time
	// onAdd, when set, is told of every entry newly stored, after the
	// lock is released (live tails).
	onAdd func(tenant string, labels []Label, added []stored)
}

func newStore(maxBytes int64, retention time.Duration, now func() time.Time) *store {
	return &store{tenants: map[string]*tenant{}, maxBytes: maxBytes, retention: retention, now: now}
}

// pushError is a push rejection; the HTTP layer answers status and text.
type pushError struct {
	status int
	msg    string
}

func (e *pushError) Error() string { return e.msg }

// add stores entries of one stream. Entries older than the retention
// window are refused the way Loki refuses too-old samples, the others are
// kept. Identical (time, line) pairs in a stream are stored once.
func (s *store) add(tenantID string, labels map[string]string, entries []stored) error {
	if len(labels) == 0 {
		return &pushError{400, "error at least one label pair is required per stream"}
	}
	ls := sortedLabels(labels)
	key := labelsKey(ls)
	now := s.now()
	var oldest int64
	if s.retention > 0 {
		oldest = now.Add(-s.retention).UnixNano()
	}
	var added []stored
	defer func() {
		// Runs after the unlock below: tails never hold the store's lock.
		if s.onAdd != nil && len(added) > 0 {
			s.onAdd(tenantID, ls, added)
		}
	}()
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.tenants[tenantID]
	if t == nil {
		t = &tenant{streams: map[string]*stream{}}
		s.tenants[tenantID] = t
	}
	st := t.streams[key]
	if st == nil {
		st = &stream{labels: ls, key: key}
		t.streams[key] = st
	}
	var rejected []string
	for _, e := range entries {
		if s.retention > 0 && e.ts < oldest {
			rejected = append(rejected, fmt.Sprintf("entry for stream '%s' has timestamp too old: %s, oldest acceptable timestamp is: %s",
				key, time.Unix(0, e.ts).UTC().Format(time.RFC3339), time.Unix(0, oldest).UTC().Format(time.RFC3339)))
			continue
		}
		i := sort.Search(len(st.entries), func(i int) bool { return st.entries[i].ts > e.ts })
		dup := false
		for j := i - 1; j >= 0 && st.entries[j].ts == e.ts; j-- {
			if st.entries[j].line == e.line {
				dup = true
				break
			}
		}
		if dup {
			continue
		}
		st.entries = slices.Insert(st.entries, i, e)
		s.bytes += e.size()
		added = append(added, e)
	}
	if len(st.entries) == 0 {
		delete(t.streams, key)
	}
	s.trimLocked(now)
	if len(rejected) > 0 {
		return &pushError{400, strings.Join(rejected, "\n") + fmt.Sprintf("\ntotal ignored: %d out of %d", len(rejected), len(entries))}
	}
	return nil
}

// trimLocked drops entries past retention (at most once a second) and then
// the oldest entries of all streams until the store fits its size bound.
func (s *store) trimLocked(now time.Time) {
	if s.retention > 0 && now.Sub(s.lastTrim) >= time.Second {
		s.lastTrim = now
		cut := now.Add(-s.retention).UnixNano()
		for _, t := range s.tenants {
			for _, st := range t.streams {
				i := sort.Search(len(st.entries), func(i int) bool { return st.entries[i].ts >= cut })
				s.dropLocked(t, st, i)
			}
		}
	}
	for s.maxBytes > 0 && s.bytes > s.maxBytes {
		// Evict from the stream with the oldest entry, up to the head of
		// the next-oldest stream, so that one pass drops a run at a time.
		victim, vt, next := s.oldestLocked()
		if victim == nil {
			return
		}
		n := 0
		for n < len(victim.entries) && s.bytes > s.maxBytes && (n == 0 || victim.entries[n].ts <= next) {
			s.bytes -= victim.entries[n].size()
			n++
		}
		s.removeLocked(vt, victim, n)
	}
}

// oldestLocked finds the stream whose first entry is the oldest, and the
// first timestamp of the next-oldest stream.
func (s *store) oldestLocked() (*stream, *tenant, int64) {
	var victim *stream
	var vt *tenant
	next := int64(1<<63 - 1)
	for _, t := range s.tenants {
		for _, st := range t.streams {
			h := st.entries[0].ts
			if victim == nil || h < victim.entries[0].ts {
				if victim != nil {
					next = min(next, victim.entries[0].ts)
				}
				victim, vt = st, t
			} else {
				next = min(next, h)
			}
		}
	}
	return victim, vt, next
}

// dropLocked removes the first n entries of a stream, accounting bytes.
func (s *store) dropLocked(t *tenant, st *stream, n int) {
	for _, e := range st.entries[:n] {
		s.bytes -= e.size()
	}
	s.removeLocked(t, st, n)
}

func (s *store) removeLocked(t *tenant, st *stream, n int) {
	if n == 0 {
		return
	}
	// Copy rather than reslice so that evicted lines can be collected.
	st.entries = append([]stored(nil), st.entries[n:]...)
	if len(st.entries) == 0 {
		delete(t.streams, st.key)
	}
}

// snapshot is what a query reads: the matching streams' entries in
// [from, to), copied under the read lock (the slices, not the strings).
type snapshot struct {
	stream  *stream
	entries []stored
}

func (s *store) read(tenantID string, ms []*matcher, from, to int64) []snapshot {
	if s.retention > 0 {
		from = max(from, s.now().Add(-s.retention).UnixNano())
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	t := s.tenants[tenantID]
	if t == nil {
		return nil
	}
	var out []snapshot
	for _, st := range t.streams {
		if !matchesAll(ms, st.labels) {
			continue
		}
		lo := sort.Search(len(st.entries), func(i int) bool { return st.entries[i].ts >= from })
		hi := sort.Search(len(st.entries), func(i int) bool { return st.entries[i].ts >= to })
		if lo < hi {
			out = append(out, snapshot{st, slices.Clone(st.entries[lo:hi])})
		}
	}
	slices.SortFunc(out, func(a, b snapshot) int { return strings.Compare(a.stream.key, b.stream.key) })
	return out
}

func matchesAll(ms []*matcher, ls []Label) bool {
	for _, m := range ms {
		v := ""
		for _, l := range ls {
			if l.Name == m.name {
				v = l.Value
				break
			}
		}
		if !m.matches(v) {
			return false
		}
	}
	return true
}

func (s *store) size() int64 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.bytes
}

// streamsIn lists the matching streams that hold entries in [from, to).
func (s *store) streamsIn(tenantID string, ms []*matcher, from, to int64) []*stream {
	s.mu.RLock()
	defer s.mu.RUnlock()
	t := s.tenants[tenantID]
	if t == nil {
		return nil
	}
	var out []*stream
	for _, st := range t.streams {
		if !matchesAll(ms, st.labels) {
			continue
		}
		i := sort.Search(len(st.entries), func(i int) bool { return st.entries[i].ts >= from })
		if i < len(st.entries) && st.entries[i].ts < to {
			out = append(out, st)
		}
	}
	slices.SortFunc(out, func(a, b *stream) int { return strings.Compare(a.key, b.key) })
	return out
}
