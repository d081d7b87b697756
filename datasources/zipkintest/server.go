package zipkintest

import (
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"time"
)

// Handler serves Zipkin's collector and query API on one mux, as the
// Zipkin server does on port 9411.
func (s *Store) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/v2/spans", s.handleIngest)
	mux.HandleFunc("GET /api/v2/trace/{traceId}", s.handleTrace)
	mux.HandleFunc("GET /api/v2/traces", s.handleTraces)
	mux.HandleFunc("GET /api/v2/services", s.handleServices)
	mux.HandleFunc("GET /api/v2/spans", s.handleSpanNames)
	mux.HandleFunc("GET /api/v2/remoteServices", s.handleRemoteServices)
	mux.HandleFunc("GET /api/v2/dependencies", s.handleDependencies)
	mux.HandleFunc("GET /api/v2/autocompleteKeys", s.handleAutocompleteKeys)
	mux.HandleFunc("GET /api/v2/autocompleteValues", s.handleAutocompleteValues)
	mux.HandleFunc("GET /health", s.handleHealth)
	return mux
}

// textError answers as Zipkin's BodyIsExceptionMessage does: the status
// and the exception's message as plain text.
func textError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	w.Write([]byte(msg))
}

// writeJSON sends v with Zipkin's content type. Encoding cannot fail for
// the types served here.
func writeJSON(w http.ResponseWriter, v any) {
	b, _ := json.Marshal(v)
	w.Header().Set("Content-Type", "application/json")
	w.Write(b)
}

// handleHealth answers like Zipkin's /health: overall and component status,
// 200 when UP and 503 when DOWN.
func (s *Store) handleHealth(w http.ResponseWriter, r *http.Request) {
	type component struct {
		Status  string            `json:"status"`
		Details map[string]string `json:"details,omitempty"`
	}
	status, code := "UP", http.StatusOK
	storage := component{Status: "UP"}
	if reason := s.downReason(); reason != "" {
		status, code = "DOWN", http.StatusServiceUnavailable
		storage = component{Status: "DOWN", Details: map[string]string{"error": reason}}
	}
	body := map[string]any{
		"status": status,
		"zipkin": map[string]any{
			"status":  status,
			"details": map[string]component{"InMemoryStorage{}": storage},
		},
	}
	b, _ := json.Marshal(body)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	w.Write(b)
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
	// and pushes (URL + "/api/v2/spans").
	URL string
	srv *http.Server
}

// NewServer starts a Store on 127.0.0.1 with a free port.
func NewServer(opts ...Option) *Server {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic("zipkintest: listening on 127.0.0.1:0: " + err.Error())
	}
	st := New(opts...)
	s := &Server{Store: st, URL: "http://" + l.Addr().String(),
		srv: &http.Server{Handler: st.Handler(), ReadHeaderTimeout: 10 * time.Second}}
	go s.srv.Serve(l)
	return s
}

// TB is the part of testing.TB NewTestServer needs; *testing.T and
// *testing.B fit.
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
