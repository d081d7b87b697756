package tempotest

import (
	"container/list"
	"sync"
	"time"

	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	resourcepb "go.opentelemetry.io/proto/otlp/resource/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/proto"
)

// SingleTenant is where everything goes when multitenancy is off, as in Tempo.
const SingleTenant = "single-tenant"

// Defaults mirror Tempo where Tempo has one.
const (
	DefaultMaxBytesPerTrace = 5_000_000 // Tempo's max_bytes_per_trace
	DefaultRetention        = 24 * time.Hour
	DefaultMaxTraces        = 100_000
	DefaultMaxBytes         = 512 << 20
)

type options struct {
	retention        time.Duration
	maxTraces        int
	maxBytes         int64
	maxBytesPerTrace int64
	noV2             bool
	multitenant      bool
	now              func() time.Time
	graphs           *ServiceGraphs // metrics-generator's service graphs, when set
}

// Option configures a Store or Server.
type Option func(*options)

// WithRetention drops traces first received longer than d ago (0: never).
func WithRetention(d time.Duration) Option { return func(o *options) { o.retention = d } }

// WithMaxTraces bounds the number of traces kept per tenant; the oldest go first.
func WithMaxTraces(n int) Option { return func(o *options) { o.maxTraces = n } }

// WithMaxBytes bounds the protobuf size of traces kept per tenant; the oldest go first.
func WithMaxBytes(n int64) Option { return func(o *options) { o.maxBytes = n } }

// WithMaxBytesPerTrace sets Tempo's max_bytes_per_trace: over it v1 answers
// 422 and v2 a PARTIAL trace.
func WithMaxBytesPerTrace(n int64) Option { return func(o *options) { o.maxBytesPerTrace = n } }

// WithoutV2 makes every /api/v2/ endpoint answer 404, like Tempo before 2.6,
// so clients' v1 fallbacks can be tested.
func WithoutV2() Option { return func(o *options) { o.noV2 = true } }

// WithMultitenancy requires X-Scope-OrgID on queries and pushes (401 "no org
// id" otherwise) and keeps each tenant's traces apart.
func WithMultitenancy() Option { return func(o *options) { o.multitenant = true } }

// WithClock replaces time.Now, for retention tests.
func WithClock(now func() time.Time) Option { return func(o *options) { o.now = now } }

// Store holds traces per tenant and serves them over HTTP via Handler.
// It is safe for concurrent ingest and queries.
type Store struct {
	opts    options
	mu      sync.RWMutex
	tenants map[string]*tenant
	// encoded keeps the last protobuf answers of large traces (see
	// encodedV2): a test asking for a 100,000-span trace again must not
	// wait for it to be encoded again.
	encodedMu sync.Mutex
	encoded   map[encodedKey][]byte
}

// encodedKey names one protobuf answer: the tenant, the trace, and how
// many batches it had (batches only grow, so a new one is a new key).
type encodedKey struct {
	tenant  string
	id      [16]byte
	batches int
}

type tenant struct {
	traces map[[16]byte]*storedTrace
	order  *list.List // *storedTrace, oldest first
	bytes  int64
}

// storedTrace is immutable once a query sees it, except under Store.mu:
// batches only grow, and the summary fields are recomputed on ingest.
type storedTrace struct {
	id        [16]byte
	batches   []*tracepb.ResourceSpans
	size      int64
	firstSeen time.Time
	elem      *list.Element
	// Summary for search, kept current on every ingest.
	startNs, endNs uint64
	rootService    string
	rootName       string
	hasRoot        bool
}

// New returns an empty store.
func New(opts ...Option) *Store {
	o := options{
		retention:        DefaultRetention,
		maxTraces:        DefaultMaxTraces,
		maxBytes:         DefaultMaxBytes,
		maxBytesPerTrace: DefaultMaxBytesPerTrace,
		now:              time.Now,
	}
	for _, opt := range opts {
		opt(&o)
	}
	return &Store{opts: o, tenants: map[string]*tenant{}}
}

// Ingest stores a copy of td for the single tenant (or SingleTenant's
// namesake under multitenancy), as a push to /v1/traces would.
func (s *Store) Ingest(td *tracepb.TracesData) {
	s.IngestTenant(SingleTenant, td)
}

// IngestTenant stores a copy of td for tenant.
func (s *Store) IngestTenant(tenantID string, td *tracepb.TracesData) {
	s.ingest(tenantID, proto.Clone(td).(*tracepb.TracesData).ResourceSpans)
}

// ingest takes ownership of rss: spans are regrouped per trace, sharing the
// Resource and Scope messages, and never modified afterwards.
func (s *Store) ingest(tenantID string, rss []*tracepb.ResourceSpans) {
	if s.opts.graphs != nil {
		s.opts.graphs.consume(rss)
	}
	perTrace := map[[16]byte][]*tracepb.ResourceSpans{}
	for _, rs := range rss {
		groups := map[[16]byte]*tracepb.ResourceSpans{}
		for _, ss := range rs.GetScopeSpans() {
			scoped := map[[16]byte]*tracepb.ScopeSpans{}
			for _, sp := range ss.GetSpans() {
				if sp == nil {
					continue
				}
				id := traceKey(sp.TraceId)
				if sp.Status == nil {
					sp.Status = &tracepb.Status{} // Tempo always writes "status":{}
				}
				out, ok := scoped[id]
				if !ok {
					out = &tracepb.ScopeSpans{Scope: ss.Scope, SchemaUrl: ss.SchemaUrl}
					scoped[id] = out
					g, ok := groups[id]
					if !ok {
						g = &tracepb.ResourceSpans{Resource: rs.Resource, SchemaUrl: rs.SchemaUrl}
						groups[id] = g
						perTrace[id] = append(perTrace[id], g)
					}
					g.ScopeSpans = append(g.ScopeSpans, out)
				}
				out.Spans = append(out.Spans, sp)
			}
		}
	}
	if len(perTrace) == 0 {
		return
	}
	now := s.opts.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.tenant(tenantID)
	for id, batches := range perTrace {
		st, ok := t.traces[id]
		if !ok {
			st = &storedTrace{id: id, firstSeen: now}
			st.elem = t.order.PushBack(st)
			t.traces[id] = st
		}
		for _, b := range batches {
			n := int64(proto.Size(b))
			st.size += n
			t.bytes += n
			st.batches = append(st.batches, b)
			st.summarize(b)
		}
	}
	s.evictLocked(t, now)
}

func (s *Store) tenant(id string) *tenant {
	t, ok := s.tenants[id]
	if !ok {
		t = &tenant{traces: map[[16]byte]*storedTrace{}, order: list.New()}
		s.tenants[id] = t
	}
	return t
}

// evictLocked drops expired traces, then the oldest until under the bounds.
func (s *Store) evictLocked(t *tenant, now time.Time) {
	for e := t.order.Front(); e != nil; e = t.order.Front() {
		st := e.Value.(*storedTrace)
		expired := s.opts.retention > 0 && now.Sub(st.firstSeen) > s.opts.retention
		over := (s.opts.maxTraces > 0 && len(t.traces) > s.opts.maxTraces) ||
			(s.opts.maxBytes > 0 && t.bytes > s.opts.maxBytes && t.order.Len() > 1)
		if !expired && !over {
			return
		}
		t.order.Remove(e)
		delete(t.traces, st.id)
		t.bytes -= st.size
	}
}

// expire applies retention before a query; the write lock is taken only
// when something is due.
func (s *Store) expire(tenantID string) {
	if s.opts.retention <= 0 {
		return
	}
	now := s.opts.now()
	s.mu.RLock()
	t := s.tenants[tenantID]
	due := false
	if t != nil {
		if e := t.order.Front(); e != nil {
			due = now.Sub(e.Value.(*storedTrace).firstSeen) > s.opts.retention
		}
	}
	s.mu.RUnlock()
	if due {
		s.mu.Lock()
		s.evictLocked(t, now)
		s.mu.Unlock()
	}
}

// Len reports how many traces tenant holds (SingleTenant without multitenancy).
func (s *Store) Len(tenantID string) int {
	s.expire(tenantID)
	s.mu.RLock()
	defer s.mu.RUnlock()
	if t := s.tenants[tenantID]; t != nil {
		return len(t.traces)
	}
	return 0
}

func (st *storedTrace) summarize(rs *tracepb.ResourceSpans) {
	for _, ss := range rs.ScopeSpans {
		for _, sp := range ss.Spans {
			if st.startNs == 0 || sp.StartTimeUnixNano < st.startNs {
				st.startNs = sp.StartTimeUnixNano
			}
			if sp.EndTimeUnixNano > st.endNs {
				st.endNs = sp.EndTimeUnixNano
			}
			if !st.hasRoot && isRoot(sp) {
				st.hasRoot = true
				st.rootName = sp.Name
				st.rootService = serviceName(rs.Resource)
			}
		}
	}
}

func isRoot(sp *tracepb.Span) bool {
	for _, b := range sp.ParentSpanId {
		if b != 0 {
			return false
		}
	}
	return true
}

func serviceName(r *resourcepb.Resource) string {
	for _, kv := range r.GetAttributes() {
		if kv.GetKey() == "service.name" {
			return kv.GetValue().GetStringValue()
		}
	}
	return ""
}

// traceKey left-pads IDs shorter than 128 bits, as Tempo does for 64-bit
// Jaeger and Zipkin IDs.
func traceKey(b []byte) [16]byte {
	var k [16]byte
	if len(b) > 16 {
		b = b[len(b)-16:]
	}
	copy(k[16-len(b):], b)
	return k
}

// spanRef is one span with what a query needs around it.
type spanRef struct {
	span     *tracepb.Span
	resource *resourcepb.Resource
	scope    *commonpb.InstrumentationScope
}

// spans flattens a trace in storage order.
func (st *storedTrace) spans() []spanRef {
	var out []spanRef
	for _, rs := range st.batches {
		for _, ss := range rs.ScopeSpans {
			for _, sp := range ss.Spans {
				out = append(out, spanRef{span: sp, resource: rs.Resource, scope: ss.Scope})
			}
		}
	}
	return out
}
