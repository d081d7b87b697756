package handlers

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ariadne-dev/ariadne/datasources"
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
	Configured bool `json:"configured"`
	Up         bool `json:"up"`
	// Status is one word for operators and probes: up, down, slow (no
	// answer within the backend's timeout), "not an API" (the URL answers,
	// but not as the backend), or "not configured".
	Status    string `json:"status"`
	LatencyMs int64  `json:"latency_ms,omitempty"`
	// Error is a short sentence without connection details (users,
	// databases, addresses): those go to the log.
	Error string `json:"error,omitempty"`
}

type readyBody struct {
	Status string                `json:"status"` // ok, degraded, down
	Checks map[string]readyCheck `json:"checks"`
}

// readyz checks Postgres and every configured backend in parallel, right
// now, each within its own timeout. Only Postgres decides the status code:
// without it Ariadne cannot save anything, while a backend down only
// degrades its own panels.
func (h *Handler) readyz(c echo.Context) error {
	ctx := c.Request().Context()
	log := requestLogger(c)
	body := readyBody{Status: "ok", Checks: map[string]readyCheck{}}
	var mu sync.Mutex
	var wg sync.WaitGroup
	run := func(name string, configured bool, timeout time.Duration, f func(context.Context) error) {
		if !configured {
			body.Checks[name] = readyCheck{Status: "not configured"}
			return
		}
		wg.Go(func() {
			ctx := ctx
			if timeout > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, timeout)
				defer cancel()
			}
			start := time.Now()
			err := f(ctx)
			rc := readyCheck{Configured: true, Up: err == nil, Status: "up", LatencyMs: time.Since(start).Milliseconds()}
			if err != nil {
				rc.Status, rc.Error = readiness(name, err)
				log.Warn("readiness check failed", "check", name, "status", rc.Status, "err", err)
			}
			mu.Lock()
			body.Checks[name] = rc
			mu.Unlock()
		})
	}
	mu.Lock()
	// The store bounds its own ping by DATABASE_TIMEOUT.
	run("postgres", h.opt.DB != nil, 0, func(ctx context.Context) error { return h.opt.DB.Ping(ctx) })
	for _, b := range h.opt.Backends {
		run(lower(b.Name), b.URL != "" && b.Ready != nil, b.Timeout, b.Ready)
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

// readiness words a failed check: slow when it ran out of time, "not an
// API" when something else answered, down otherwise; and a sentence from
// the error vocabulary, never a driver's or the network's own text.
func readiness(name string, err error) (status, message string) {
	display := datasources.DisplayName(name)
	switch {
	case errors.Is(err, datasources.ErrNotAnAPI):
		status = "not an API"
	case errors.Is(err, context.DeadlineExceeded) || isTimeout(err):
		return "slow", display + " did not answer in time."
	default:
		status = "down"
	}
	var de *datasources.Error
	if errors.As(err, &de) && de.Message != "" {
		return status, de.Message
	}
	return status, display + " is unreachable."
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
