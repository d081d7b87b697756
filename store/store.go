// Package store owns Ariadne's Postgres: the connection pool, migrations,
// and the investigations queries. SQL lives in plain files. Every error a
// Store method returns has passed classify (errors.go), so callers never
// match driver types. What is stored as a snapshot is built elsewhere
// (correlation/snapshot) and persisted here as JSON.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"

	"github.com/ariadne-dev/ariadne/migrations"
	"github.com/ariadne-dev/ariadne/telemetry"
)

// Open connects a pool and checks that Postgres answers, so a bad
// DATABASE_URL fails at start with one clear line rather than on first use.
// tel, when set, traces and times every statement (telemetry.QueryTracer;
// spans named after the store's query files).
func Open(ctx context.Context, url string, tel ...*telemetry.Telemetry) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, errors.New(strings.TrimPrefix(err.Error(), "cannot parse "))
	}
	if len(tel) > 0 && tel[0] != nil {
		cfg.ConnConfig.Tracer = tel[0].QueryTracer(queryName)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, err
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("cannot connect to %s:%d: %w", cfg.ConnConfig.Host, cfg.ConnConfig.Port, unwrapConnect(err))
	}
	return pool, nil
}

// unwrapConnect keeps the last, most specific part of pgconn's long
// connect error ("dial tcp ...: connect: connection refused").
func unwrapConnect(err error) error {
	msg := err.Error()
	if i := strings.LastIndex(msg, ": "); i > 0 && strings.Contains(msg, "failed to connect") {
		return errors.New(msg[i+2:])
	}
	return err
}

// Migrator runs the embedded goose migrations on pool.
type Migrator struct {
	db *sql.DB
	p  *goose.Provider
}

// NewMigrator prepares goose over a database/sql view of pool. Close it
// when done.
func NewMigrator(pool *pgxpool.Pool) (*Migrator, error) {
	db := stdlib.OpenDBFromPool(pool)
	p, err := goose.NewProvider(goose.DialectPostgres, db, migrations.FS)
	if err != nil {
		db.Close()
		return nil, err
	}
	return &Migrator{db: db, p: p}, nil
}

func (m *Migrator) Close() error { return m.db.Close() }

// Up applies every pending migration and returns how many ran.
func (m *Migrator) Up(ctx context.Context) (int, error) {
	res, err := m.p.Up(ctx)
	return len(res), err
}

// Down rolls back the newest applied migration.
func (m *Migrator) Down(ctx context.Context) error {
	_, err := m.p.Down(ctx)
	return err
}

// Status writes one line per migration: version, state, file.
func (m *Migrator) Status(ctx context.Context, w io.Writer) error {
	st, err := m.p.Status(ctx)
	if err != nil {
		return err
	}
	for _, s := range st {
		when := "pending"
		if s.State == goose.StateApplied {
			when = "applied " + s.AppliedAt.UTC().Format("2006-01-02 15:04:05Z")
		}
		fmt.Fprintf(w, "%05d  %-28s  %s\n", s.Source.Version, when, s.Source.Path)
	}
	return nil
}
