package zipkintest

import (
	"slices"
	"sync"
	"time"
)

// Defaults mirror Zipkin where Zipkin has one.
const (
	// DefaultRetention matches Zipkin's default query lookback
	// (QUERY_LOOKBACK, one day): anything older is out of a default
	// search anyway.
	DefaultRetention = 24 * time.Hour
	// DefaultMaxSpans is Zipkin's in-memory bound (MEM_MAX_SPANS).
	DefaultMaxSpans = 500_000
	// DefaultLookback is Zipkin's QUERY_LOOKBACK, in milliseconds as the
	// API counts it.
	DefaultLookback = int64(24 * time.Hour / time.Millisecond)
)

type options struct {
	retention        time.Duration
	maxSpans         int
	lenient          bool
	autocompleteKeys []string
	now              func() time.Time
}

// Option configures a Store or Server.
type Option func(*options)

// WithClock replaces time.Now: the default endTs of searches and
// retention are judged against it.
func WithClock(now func() time.Time) Option { return func(o *options) { o.now = now } }

// WithRetention drops traces whose newest span timestamp is more than d
// before the clock's now (0: never). A trace with no timestamps at all is
// dated by when it arrived.
func WithRetention(d time.Duration) Option { return func(o *options) { o.retention = d } }

// WithMaxSpans bounds the spans kept; the traces with the oldest
// timestamps go first, as in Zipkin's in-memory storage.
func WithMaxSpans(n int) Option { return func(o *options) { o.maxSpans = n } }

// WithLenientTraceIDs is Zipkin's STRICT_TRACE_ID=false: a trace is known
// by the low 64 bits of its ID, so a 64-bit lookup finds a 128-bit trace
// (and spans of both lengths come back as one trace).
func WithLenientTraceIDs() Option { return func(o *options) { o.lenient = true } }

// WithAutocompleteKeys is Zipkin's AUTOCOMPLETE_KEYS: the tag keys whose
// values /api/v2/autocompleteValues lists. Zipkin configures none by
// default, and neither does this server.
func WithAutocompleteKeys(keys ...string) Option {
	return func(o *options) { o.autocompleteKeys = append([]string(nil), keys...) }
}

// Store holds spans grouped by trace and serves them over HTTP via
// Handler. It is safe for concurrent ingest and queries.
type Store struct {
	opts   options
	mu     sync.Mutex
	traces map[string]*storedTrace // by low 64 bits of the trace ID
	spans  int
	down   string // why /health says DOWN; "" when UP
}

// storedTrace holds every span with one low trace ID, in arrival order.
// Spans are never modified once stored; queries copy the slice header.
type storedTrace struct {
	spans     []Span
	firstSeen time.Time
	newest    int64 // latest span timestamp, µs; 0 when none has one
}

// New returns an empty store.
func New(opts ...Option) *Store {
	o := options{retention: DefaultRetention, maxSpans: DefaultMaxSpans, now: time.Now}
	for _, opt := range opts {
		opt(&o)
	}
	return &Store{opts: o, traces: map[string]*storedTrace{}}
}

// Ingest stores spans as a POST to /api/v2/spans would: normalised the way
// Zipkin normalises them, and all or none (the first invalid span's error
// is returned and nothing is stored).
func (s *Store) Ingest(spans ...Span) error {
	clean := make([]Span, 0, len(spans))
	for _, sp := range spans {
		n, err := normalize(sp)
		if err != nil {
			return err
		}
		clean = append(clean, n)
	}
	s.ingest(clean)
	return nil
}

func (s *Store) ingest(spans []Span) {
	if len(spans) == 0 {
		return
	}
	now := s.opts.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, sp := range spans {
		key := lowID(sp.TraceID)
		st := s.traces[key]
		if st == nil {
			st = &storedTrace{firstSeen: now}
			s.traces[key] = st
		}
		st.spans = append(st.spans, sp)
		st.newest = max(st.newest, sp.Timestamp)
		s.spans++
	}
	s.expireLocked(now)
	s.evictLocked()
}

// expireLocked drops traces past retention.
func (s *Store) expireLocked(now time.Time) {
	if s.opts.retention <= 0 {
		return
	}
	cutoff := now.Add(-s.opts.retention)
	for key, st := range s.traces {
		if st.age().Before(cutoff) {
			s.spans -= len(st.spans)
			delete(s.traces, key)
		}
	}
}

// age is when a trace last happened: its newest span timestamp, or its
// arrival when no span carries one (Zipkin could not date it either).
func (st *storedTrace) age() time.Time {
	if st.newest > 0 {
		return time.UnixMicro(st.newest)
	}
	return st.firstSeen
}

// evictLocked drops the oldest traces until the span bound holds.
func (s *Store) evictLocked() {
	if s.opts.maxSpans <= 0 || s.spans <= s.opts.maxSpans {
		return
	}
	keys := make([]string, 0, len(s.traces))
	for k := range s.traces {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int { return s.traces[a].age().Compare(s.traces[b].age()) })
	for _, k := range keys {
		if s.spans <= s.opts.maxSpans {
			return
		}
		s.spans -= len(s.traces[k].spans)
		delete(s.traces, k)
	}
}

// snapshot applies retention and returns the stored traces' span lists.
// The lists are shared, not copied: stored spans are never modified and
// appends under the lock never touch what a snapshot holds.
func (s *Store) snapshot() [][]Span {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.expireLocked(s.opts.now())
	out := make([][]Span, 0, len(s.traces))
	for _, st := range s.traces {
		out = append(out, st.spans[:len(st.spans):len(st.spans)])
	}
	return out
}

// lookup returns the spans stored under id's low 64 bits.
func (s *Store) lookup(id string) []Span {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.expireLocked(s.opts.now())
	st := s.traces[lowID(id)]
	if st == nil {
		return nil
	}
	return st.spans[:len(st.spans):len(st.spans)]
}

// Trace returns the spans of one trace as /api/v2/trace/{id} would, nil
// when there are none or id is not a trace ID. The spans are the stored
// ones: read them, do not modify them.
func (s *Store) Trace(id string) []Span {
	id, err := NormalizeTraceID(id)
	if err != nil {
		return nil
	}
	return s.trace(id)
}

func (s *Store) trace(id string) []Span {
	spans := s.lookup(id)
	if s.opts.lenient {
		return spans
	}
	var out []Span
	for _, sp := range spans {
		if sp.TraceID == id {
			out = append(out, sp)
		}
	}
	return out
}

// Len reports how many spans are stored, after retention.
func (s *Store) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.expireLocked(s.opts.now())
	return s.spans
}

// SetDown makes /health answer 503 DOWN with reason, as Zipkin does when
// its storage fails; "" makes it UP again.
func (s *Store) SetDown(reason string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.down = reason
}

func (s *Store) downReason() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.down
}

// groups splits a stored trace into the traces a query answers: by full
// trace ID when strict, as one when lenient.
func (s *Store) groups(spans []Span) [][]Span {
	if s.opts.lenient || len(spans) == 0 {
		return [][]Span{spans}
	}
	var out [][]Span
	index := map[string]int{}
	for _, sp := range spans {
		i, ok := index[sp.TraceID]
		if !ok {
			i = len(out)
			index[sp.TraceID] = i
			out = append(out, nil)
		}
		out[i] = append(out[i], sp)
	}
	return out
}
