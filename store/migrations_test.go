package store_test

import (
	"context"
	"io/fs"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/ariadne-dev/ariadne/migrations"
	"github.com/ariadne-dev/ariadne/store"
	"github.com/ariadne-dev/ariadne/store/storetest"
)

// Every migration's Down undoes its Up: all the way down leaves no table
// behind, and up again rebuilds a schema the store works on.
func TestMigrationsUpDownUp(t *testing.T) {
	pool := storetest.NewPool(t) // already migrated up (cloned from the template)
	ctx := context.Background()
	files, _ := fs.Glob(migrations.FS, "*.sql")
	m, err := store.NewMigrator(pool)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()

	for range files {
		if err := m.Down(ctx); err != nil {
			t.Fatalf("down: %v", err)
		}
	}
	if n := tables(t, pool); n != 0 {
		t.Fatalf("%d Ariadne tables left after migrating all the way down", n)
	}
	n, err := m.Up(ctx)
	if err != nil || n != len(files) {
		t.Fatalf("up ran %d of %d migrations: %v", n, len(files), err)
	}
	if n := tables(t, pool); n != 4 {
		t.Fatalf("%d tables after up, want 4", n)
	}
	// The rebuilt schema serves a pin with its idempotency guarantee.
	s := store.New(pool)
	p := store.Pin{NewTitle: "After up-down-up", Kind: store.KindNote, Author: "a", IdempotencyKey: "k"}
	a, err := s.Pin(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	if b, err := s.Pin(ctx, p); err != nil || b.Created || b.Item.ID != a.Item.ID {
		t.Errorf("retry after up-down-up: %+v %v", b, err)
	}
}

func tables(t *testing.T, pool *pgxpool.Pool) int {
	t.Helper()
	var n int
	err := pool.QueryRow(context.Background(), `SELECT count(*) FROM information_schema.tables
		WHERE table_schema = 'public' AND table_name IN ('investigations', 'investigation_items', 'share_links', 'activity')`).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
