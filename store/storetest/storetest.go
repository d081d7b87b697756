// Package storetest gives each test package a database of its own, cloned
// from a migrated template, on the Postgres cluster that `make test` starts
// (scripts/pg.sh). The admin URL comes from ARIADNE_TEST_DATABASE_URL.
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/ariadne-dev/ariadne/store"
)

// EnvAdminURL names the variable holding a superuser URL of the test cluster.
const EnvAdminURL = "ARIADNE_TEST_DATABASE_URL"

const template = "ariadne_template"

// AdminURL returns the test cluster's admin URL. Without one, the test
// fails under CI=true (make test always provides it) and skips elsewhere.
func AdminURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv(EnvAdminURL)
	if u == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not set: run the tests with `make test`, which starts Postgres", EnvAdminURL)
		}
		t.Skipf("%s is not set: skipping a test that needs Postgres (`make test` starts one)", EnvAdminURL)
	}
	return u
}

// NewDatabase creates a fresh database cloned from the migrated template and
// drops it when the test ends. It returns the new database's URL.
func NewDatabase(t testing.TB) string {
	t.Helper()
	url, drop, err := Create(AdminURL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := drop(); err != nil {
			t.Log(err)
		}
	})
	return url
}

// Create is NewDatabase for callers without a testing.TB (a TestMain):
// it returns the database's URL and a func that drops it.
func Create(admin string) (url string, drop func() error, err error) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		return "", nil, fmt.Errorf("connecting to the test cluster: %w", err)
	}
	defer conn.Close(ctx)

	// Test packages run as parallel processes: one at a time migrates the
	// template, and nobody may be connected to it while it is cloned.
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock(424242)"); err != nil {
		return "", nil, fmt.Errorf("locking the template: %w", err)
	}
	defer conn.Exec(context.Background(), "SELECT pg_advisory_unlock(424242)")

	if err := migrateTemplate(ctx, conn, admin); err != nil {
		return "", nil, fmt.Errorf("preparing %s: %w", template, err)
	}
	name := "ariadne_test_" + randomSuffix()
	if _, err := conn.Exec(ctx, fmt.Sprintf("CREATE DATABASE %s TEMPLATE %s", name, template)); err != nil {
		return "", nil, fmt.Errorf("creating test database: %w", err)
	}
	drop = func() error {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		c, err := pgx.Connect(ctx, admin)
		if err != nil {
			return fmt.Errorf("dropping %s: %w", name, err)
		}
		defer c.Close(ctx)
		if _, err := c.Exec(ctx, fmt.Sprintf("DROP DATABASE IF EXISTS %s WITH (FORCE)", name)); err != nil {
			return fmt.Errorf("dropping %s: %w", name, err)
		}
		return nil
	}
	return withDatabase(admin, name), drop, nil
}

// NewPool is NewDatabase plus a pool closed when the test ends.
func NewPool(t testing.TB) *pgxpool.Pool {
	t.Helper()
	url := NewDatabase(t)
	pool, err := store.Open(context.Background(), url)
	if err != nil {
		t.Fatalf("opening test database: %v", err)
	}
	t.Cleanup(pool.Close)
	return pool
}

func migrateTemplate(ctx context.Context, conn *pgx.Conn, admin string) error {
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", template).Scan(&exists); err != nil {
		return err
	}
	if !exists {
		if _, err := conn.Exec(ctx, "CREATE DATABASE "+template); err != nil {
			return err
		}
	}
	// Always run Up: a template made by an older checkout gets the new
	// migrations, and an up-to-date one costs a single query.
	pool, err := store.Open(ctx, withDatabase(admin, template))
	if err != nil {
		return err
	}
	defer pool.Close()
	m, err := store.NewMigrator(pool)
	if err != nil {
		return err
	}
	defer m.Close()
	_, err = m.Up(ctx)
	return err
}

// withDatabase swaps the database name in a postgres:// URL.
func withDatabase(url, name string) string {
	rest, query, _ := strings.Cut(url, "?")
	if i := strings.LastIndex(rest, "/"); i > len("postgres://") {
		rest = rest[:i]
	}
	out := rest + "/" + name
	if query != "" {
		out += "?" + query
	}
	return out
}

func randomSuffix() string {
	b := make([]byte, 6)
	rand.Read(b)
	return hex.EncodeToString(b)
}
