package tempotest

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"time"
)

// Handler serves Tempo's query API and the OTLP/HTTP receiver on one mux
// (Tempo uses ports 3200 and 4318; one port is simpler for tests).
func (s *Store) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/traces", s.handleIngest)
	mux.HandleFunc("GET /api/traces/{id}", s.withTenant(s.handleTraceV1))
	mux.HandleFunc("GET /api/search", s.withTenant(s.handleSearch))
	mux.HandleFunc("GET /api/search/tags", s.withTenant(s.handleTagsV1))
	mux.HandleFunc("GET /api/search/tag/{tag}/values", s.withTenant(s.handleTagValuesV1))
	mux.HandleFunc("GET /ready", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ready\n")) })
	mux.HandleFunc("GET /api/echo", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("echo\n")) })
	mux.HandleFunc("GET /api/status/buildinfo", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"version":"tempotest","revision":"","branch":"","buildDate":"","buildUser":"","goVersion":""}`))
	})
	if s.opts.graphs != nil {
		mux.Handle("GET /metrics", s.opts.graphs.Handler())
	}
	if !s.opts.noV2 {
		mux.HandleFunc("GET /api/v2/traces/{id}", s.withTenant(s.handleTraceV2))
		mux.HandleFunc("GET /api/v2/search/tags", s.withTenant(s.handleTagsV2))
		mux.HandleFunc("GET /api/v2/search/tag/{ident}/values", s.withTenant(s.handleTagValuesV2))
	}
	return mux
}

type tenantKey struct{}

// withTenant resolves X-Scope-OrgID like Tempo: required under
// multitenancy (401 "no org id"), ignored otherwise.
func (s *Store) withTenant(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, ok := s.tenantOf(r)
		if !ok {
			http.Error(w, "no org id", http.StatusUnauthorized)
			return
		}
		h(w, r.WithContext(context.WithValue(r.Context(), tenantKey{}, id)))
	}
}

func (s *Store) tenantOf(r *http.Request) (string, bool) {
	if !s.opts.multitenant {
		return SingleTenant, true
	}
	id := strings.TrimSpace(r.Header.Get("X-Scope-OrgID"))
	return id, id != ""
}

func tenantFrom(r *http.Request) string {
	id, _ := r.Context().Value(tenantKey{}).(string)
	return id
}

// textError writes a plain-text error body with no Content-Type, as Tempo does.
func textError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	w.Write([]byte(msg))
}

// Serve answers on l until it fails or is closed.
func (s *Store) Serve(l net.Listener) error {
	srv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second}
	err := srv.Serve(l)
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// Server is a Store listening on a loopback port, like httptest.Server.
type Server struct {
	*Store
	// URL is the base URL, http://127.0.0.1:port, for both the query API
	// and OTLP/HTTP pushes (URL + "/v1/traces").
	URL string
	srv *http.Server
	l   net.Listener
}

// NewServer starts a Store on 127.0.0.1 with a free port.
func NewServer(opts ...Option) *Server {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic("tempotest: listening on 127.0.0.1:0: " + err.Error())
	}
	st := New(opts...)
	s := &Server{Store: st, URL: "http://" + l.Addr().String(), l: l,
		srv: &http.Server{Handler: st.Handler(), ReadHeaderTimeout: 10 * time.Second}}
	go s.srv.Serve(l)
	return s
}

// TB is the part of testing.TB NewTestServer needs; *testing.T and *testing.B fit.
type TB interface {
	Helper()
	Cleanup(func())
}

// NewTestServer is NewServer closed by t.Cleanup.
func NewTestServer(t TB, opts ...Option) *Server {
	t.Helper()
	s := NewServer(opts...)
	t.Cleanup(s.Close)
	return s
}

// Close stops the server and closes its connections.
func (s *Server) Close() { s.srv.Close() }
