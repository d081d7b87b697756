package handlers

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"
)

// dbMonitor pings Postgres in the background, so every page can show a
// "Postgres is unreachable" banner without paying for a ping per request.
type dbMonitor struct {
	db   Pinger
	up   atomic.Bool
	done chan struct{}
	once sync.Once
}

func startDBMonitor(db Pinger, every time.Duration, log *slog.Logger) *dbMonitor {
	m := &dbMonitor{db: db, done: make(chan struct{})}
	m.up.Store(true)
	if db == nil {
		return m
	}
	m.check(log)
	go func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-m.done:
				return
			case <-t.C:
				m.check(log)
			}
		}
	}()
	return m
}

func (m *dbMonitor) check(log *slog.Logger) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	err := m.db.Ping(ctx)
	was := m.up.Swap(err == nil)
	if err != nil {
		if was {
			log.Warn("postgres unreachable", "err", err)
		}
	} else if !was {
		log.Info("postgres reachable again")
	}
}

func (m *dbMonitor) stop() { m.once.Do(func() { close(m.done) }) }

// Up reports the last known state.
func (m *dbMonitor) Up() bool { return m.up.Load() }

// healthz says the process is alive and serving; nothing else.
func (h *Handler) healthz(c echo.Context) error {
	return c.String(http.StatusOK, "ok\n")
}

type readyCheck struct {
	Configured bool   `json:"configured"`
	Up         bool   `json:"up"`
	LatencyMs  int64  `json:"latency_ms,omitempty"`
	Error      string `json:"error,omitempty"`
}

type readyBody struct {
	Status string                `json:"status"` // ok, degraded, down
	Checks map[string]readyCheck `json:"checks"`
}

// readyz checks Postgres and every configured backend in parallel, right
// now. Only Postgres decides the status code: without it Ariadne cannot
// save anything, while a backend down only degrades its own panels.
func (h *Handler) readyz(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), 5*time.Second)
	defer cancel()
	body := readyBody{Status: "ok", Checks: map[string]readyCheck{}}
	var mu sync.Mutex
	var wg sync.WaitGroup
	run := func(name string, configured bool, f func(context.Context) error) {
		if !configured {
			body.Checks[name] = readyCheck{}
			return
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			start := time.Now()
			err := f(ctx)
			rc := readyCheck{Configured: true, Up: err == nil, LatencyMs: time.Since(start).Milliseconds()}
			if err != nil {
				// For operators: the Go text of what the vocabulary
				// does not name (a failed Ping) is what they need.
				rc.Error = err.Error()
				if r := replyTo(err); !r.Unexpected {
					rc.Error = r.Message
				}
			}
			mu.Lock()
			body.Checks[name] = rc
			mu.Unlock()
		}()
	}
	mu.Lock()
	run("postgres", h.opt.DB != nil, func(ctx context.Context) error { return h.opt.DB.Ping(ctx) })
	for _, b := range h.opt.Backends {
		run(lower(b.Name), b.URL != "" && b.Ready != nil, b.Ready)
	}
	mu.Unlock()
	wg.Wait()

	status := http.StatusOK
	for name, rc := range body.Checks {
		if rc.Configured && !rc.Up {
			if name == "postgres" {
				body.Status = "down"
				status = http.StatusServiceUnavailable
			} else if body.Status == "ok" {
				body.Status = "degraded"
			}
		}
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(status, body)
}
