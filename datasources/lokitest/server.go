// Package lokitest is an in-memory server that speaks enough of Loki's HTTP
// API for Ariadne's tests and demo: push (JSON and the snappy protobuf that
// loki-client-go and promtail send), query_range and query with a LogQL
// subset, tail (the live WebSocket), labels, label values, series, detected fields and ready, in
// Loki's response shapes and error texts. It is not a Loki: no chunks, no index, no
// persistence; memory is bounded by a retention window and a size cap.
package lokitest

import (
	"errors"
	"net"
	"net/http"
	"testing"
	"time"
)

// Defaults mirror Loki's own limits, so that tests meet the same walls.
const (
	DefaultMaxEntriesLimit = 5000
	DefaultMaxSeries       = 500
	DefaultMaxQueryLength  = 30*24*time.Hour + time.Hour
	DefaultRetention       = 7 * 24 * time.Hour
	DefaultMaxBytes        = 256 << 20
	// DefaultTenant is Loki's tenant when auth is disabled.
	DefaultTenant = "fake"
)

// Server is an in-memory Loki. Start one with NewServer or NewTestServer,
// or build one with New and run it with Serve on a listener of your own.
type Server struct {
	// URL is the base URL, e.g. http://127.0.0.1:41234, once listening.
	URL string

	store          *store
	maxEntries     int
	maxSeries      int
	maxQueryLength time.Duration
	multiTenant    bool
	now            func() time.Time
	handler        http.Handler
	httpSrv        *http.Server
	retention      time.Duration
	maxBytes       int64
	noDetected     bool // answer the detected fields API with 404 (Loki < 3.1)
	tails          *tailHub
	tailBuffer     int
	maxTails       int
}

// Option configures a Server.
type Option func(*Server)

// WithRetention keeps entries for d (default 7 days); older pushes are
// refused as Loki refuses too-old samples. 0 keeps everything.
func WithRetention(d time.Duration) Option { return func(s *Server) { s.retention = d } }

// WithMaxBytes bounds the memory held by log lines (default 256 MiB); the
// oldest entries are evicted first. 0 means no bound.
func WithMaxBytes(n int64) Option { return func(s *Server) { s.maxBytes = n } }

// WithMaxEntriesLimit sets max_entries_limit_per_query (default 5000).
func WithMaxEntriesLimit(n int) Option { return func(s *Server) { s.maxEntries = n } }

// WithMaxSeries sets max_query_series for metric queries (default 500).
func WithMaxSeries(n int) Option { return func(s *Server) { s.maxSeries = n } }

// WithMaxQueryLength sets max_query_length (default 30d1h).
func WithMaxQueryLength(d time.Duration) Option { return func(s *Server) { s.maxQueryLength = d } }

// WithMultiTenant behaves like Loki with auth_enabled: every request needs
// X-Scope-OrgID (401 "no org id" otherwise) and tenants are separate.
// Without it the header is ignored and everything is tenant "fake".
func WithMultiTenant() Option { return func(s *Server) { s.multiTenant = true } }

// WithClock replaces time.Now (for the default end of queries and for
// retention).
func WithClock(now func() time.Time) Option { return func(s *Server) { s.now = now } }

// New builds a server that is not listening yet; see Handler and Serve.
func New(opts ...Option) *Server {
	s := &Server{
		maxEntries:     DefaultMaxEntriesLimit,
		maxSeries:      DefaultMaxSeries,
		maxQueryLength: DefaultMaxQueryLength,
		retention:      DefaultRetention,
		maxBytes:       DefaultMaxBytes,
		now:            time.Now,
		tails:          newTailHub(),
		tailBuffer:     DefaultTailBuffer,
		maxTails:       DefaultMaxTails,
	}
	for _, o := range opts {
		o(s)
	}
	s.store = newStore(s.maxBytes, s.retention, s.now)
	s.store.onAdd = s.tails.offer
	s.handler = s.routes()
	s.httpSrv = &http.Server{Handler: s.handler, ReadHeaderTimeout: 10 * time.Second}
	return s
}

// NewServer starts a server on 127.0.0.1 on a free port. Call Close.
func NewServer(opts ...Option) *Server {
	s := New(opts...)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic("lokitest: listening on 127.0.0.1: " + err.Error())
	}
	s.URL = "http://" + l.Addr().String()
	go s.Serve(l)
	return s
}

// NewTestServer is NewServer closed by t's cleanup.
func NewTestServer(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s := NewServer(opts...)
	t.Cleanup(s.Close)
	return s
}

// Handler is the HTTP API, to mount elsewhere.
func (s *Server) Handler() http.Handler { return s.handler }

// Serve answers on l until Close. URL is left as it is: the caller knows
// its listener's address.
func (s *Server) Serve(l net.Listener) error {
	err := s.httpSrv.Serve(l)
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// Close stops listening and closes open connections, tails included.
func (s *Server) Close() {
	s.tails.close()
	s.httpSrv.Close()
}

// Entry is a log line to push. Metadata becomes structured metadata.
type Entry struct {
	Time     time.Time
	Line     string
	Metadata map[string]string
}

// Push stores entries in the stream with these labels (tenant "fake").
func (s *Server) Push(labels map[string]string, entries ...Entry) error {
	return s.PushTenant(DefaultTenant, labels, entries...)
}

// PushTenant is Push for one tenant of a WithMultiTenant server.
func (s *Server) PushTenant(tenant string, labels map[string]string, entries ...Entry) error {
	es := make([]stored, len(entries))
	for i, e := range entries {
		es[i] = stored{ts: e.Time.UnixNano(), line: e.Line}
		if len(e.Metadata) > 0 {
			es[i].sm = sortedLabels(e.Metadata)
		}
	}
	return s.store.add(tenant, labels, es)
}

// Bytes is the memory accounted to stored entries, for tests of the bound.
func (s *Server) Bytes() int64 { return s.store.size() }
