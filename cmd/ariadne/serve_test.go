package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/ariadne-dev/ariadne/store/storetest"
)

// syncBuffer collects a server's output while it runs.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startServe runs `ariadne serve` in-process and returns its base URL.
func startServe(t *testing.T, env map[string]string) (url string, stop func() error, logs *syncBuffer) {
	t.Helper()
	env["ARIADNE_ADDR"] = "127.0.0.1:0"
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	logs = &syncBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve"}, envOf(env), pw, logs)
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		cancel()
		t.Fatalf("serve did not start: %v; logs:\n%s; err: %v", err, logs, <-done)
	}
	go io.Copy(io.Discard, pr)
	url = strings.TrimSuffix(regexp.MustCompile(`http://\S+`).FindString(line), "/")
	var once sync.Once
	var stopErr error
	stop = func() error {
		once.Do(func() {
			cancel()
			select {
			case stopErr = <-done:
			case <-time.After(30 * time.Second):
				stopErr = fmt.Errorf("serve did not stop")
			}
		})
		return stopErr
	}
	t.Cleanup(func() { stop() })
	return url, stop, logs
}

func TestServeBadDatabaseURL(t *testing.T) {
	for _, db := range []string{"postgres://ariadne:pw@127.0.0.1:1/ariadne", "postgres://x@h:notaport/db"} {
		err := run(context.Background(), []string{"serve"}, envOf(map[string]string{"DATABASE_URL": db}), io.Discard, io.Discard)
		if err == nil {
			t.Fatalf("%s: serve started", db)
		}
		msg := err.Error()
		if strings.Contains(msg, "\n") || !strings.HasPrefix(msg, "DATABASE_URL: ") {
			t.Errorf("%s: error %q is not one clear line", db, msg)
		}
		if strings.Contains(msg, ":pw@") {
			t.Errorf("%s: error shows the password: %q", db, msg)
		}
	}
}

// TestGracefulShutdown stops the server while a page is waiting on a slow
// backend: the page still arrives whole, and run returns cleanly.
func TestGracefulShutdown(t *testing.T) {
	arrived := make(chan struct{}, 1)
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case arrived <- struct{}{}: // the page's request is in flight
		default:
		}
		time.Sleep(800 * time.Millisecond) // and stays so while the server stops
		fmt.Fprintln(w, "Prometheus Server is Ready.")
	}))
	defer slow.Close()
	url, stop, _ := startServe(t, map[string]string{"DATABASE_URL": storetest.NewDatabase(t), "PROMETHEUS_URL": slow.URL})

	type result struct {
		status int
		body   string
		err    error
	}
	res := make(chan result, 1)
	go func() {
		resp, err := http.Get(url + "/")
		if err != nil {
			res <- result{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		res <- result{resp.StatusCode, string(b), err}
	}()
	select {
	case <-arrived:
	case r := <-res:
		t.Fatalf("the page answered before asking Prometheus: %d %v", r.status, r.err)
	}
	stopped := make(chan error, 1)
	go func() { stopped <- stop() }()

	r := <-res
	if r.err != nil || r.status != 200 {
		t.Fatalf("in-flight request: %d %v", r.status, r.err)
	}
	if !strings.Contains(r.body, `data-panel="Prometheus"><h2>Prometheus <span class="state status-ok">up`) || !strings.HasSuffix(strings.TrimSpace(r.body), "</html>") {
		t.Errorf("in-flight page incomplete:\n%s", r.body)
	}
	if err := <-stopped; err != nil {
		t.Errorf("serve returned %v", err)
	}
	if _, err := http.Get(url + "/healthz"); err == nil {
		t.Error("server still accepts connections after shutdown")
	}
}

// TestPostgresLostAfterStart: /readyz turns 503 and says why, pages still
// render with a banner.
func TestPostgresLostAfterStart(t *testing.T) {
	dbURL := storetest.NewDatabase(t)
	url, _, _ := startServe(t, map[string]string{"DATABASE_URL": dbURL})
	if resp, err := http.Get(url + "/readyz"); err != nil || resp.StatusCode != 200 {
		t.Fatalf("readyz before: %v %v", resp, err)
	}

	// Take the database away under the running server.
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, storetest.AdminURL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	name := dbURL[strings.LastIndex(dbURL, "/")+1:]
	name, _, _ = strings.Cut(name, "?")
	if _, err := admin.Exec(ctx, "DROP DATABASE "+name+" WITH (FORCE)"); err != nil {
		t.Fatal(err)
	}

	resp, err := http.Get(url + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	var body struct {
		Status string
		Checks map[string]struct {
			Up    bool
			Error string
		}
	}
	json.NewDecoder(resp.Body).Decode(&body)
	resp.Body.Close()
	if resp.StatusCode != 503 || body.Status != "down" || body.Checks["postgres"].Up || body.Checks["postgres"].Error == "" {
		t.Errorf("readyz after losing Postgres: %d %+v", resp.StatusCode, body)
	}

	// The banner comes from the background monitor: wait for its next tick.
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := http.Get(url + "/")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("page status %d without Postgres", resp.StatusCode)
		}
		if strings.Contains(string(b), "Postgres is unreachable") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no banner after losing Postgres:\n%s", b)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
