package store_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/store"
	"github.com/ariadne-dev/ariadne/store/storetest"
)

// wantUnavailable fails unless err is Postgres unavailable in the error
// vocabulary handlers map to 503.
func wantUnavailable(t *testing.T, what string, err error) {
	t.Helper()
	var de *datasources.Error
	if !errors.As(err, &de) || de.Kind != datasources.ErrorUnavailable || de.Backend != store.Backend {
		t.Errorf("%s: %v (%T), want postgres unavailable", what, err, err)
	}
}

// every calls each exported Store method once, so a test can check that
// all of them go through the store's error edge.
func every(ctx context.Context, s *store.Store) map[string]error {
	out := map[string]error{}
	_, out["Create"] = s.Create(ctx, store.NewInvestigation{Title: "t", Author: "a"})
	_, out["Get"] = s.Get(ctx, 1)
	_, out["List"] = s.List(ctx, store.Filter{})
	_, out["Items"] = s.Items(ctx, 1)
	_, out["Activity"] = s.Activity(ctx, 1, 10)
	_, out["Update"] = s.Update(ctx, 1, 1, "t", store.StatusOpen, "a")
	_, out["Move"] = s.Move(ctx, 1, 1, 1, 1, "a")
	_, out["EditItem"] = s.EditItem(ctx, 1, 1, 1, "t", "", "a")
	_, out["DeleteItem"] = s.DeleteItem(ctx, 1, 1, 1, "a")
	_, out["Pinned"] = s.Pinned(ctx, "key")
	_, out["Pin"] = s.Pin(ctx, store.Pin{InvestigationID: 1, Kind: store.KindNote, Note: "n", Author: "a"})
	_, _, out["Share"] = s.Share(ctx, 1, "a", 0)
	_, out["ShareLinks"] = s.ShareLinks(ctx, 1)
	out["Revoke"] = s.Revoke(ctx, 1, 1, "a")
	_, _, out["Shared"] = s.Shared(ctx, "token")
	_, out["ShareTarget"] = s.ShareTarget(ctx, "token")
	return out
}

// Each transient state of Postgres, reproduced on a real connection,
// reaches the caller as "unavailable", from every method.
func TestUnavailableFromEveryMethod(t *testing.T) {
	closed := storetest.BrokenPool(t, storetest.Crashed)
	closed.Close()
	refused := func() *pgxpool.Pool {
		// A port that was just free: nothing listens, so the dial is refused.
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := l.Addr().String()
		l.Close()
		p, err := pgxpool.New(context.Background(), "postgres://ariadne@"+addr+"/ariadne?sslmode=disable&connect_timeout=5")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(p.Close)
		return p
	}()
	for _, tt := range []struct {
		name string
		pool *pgxpool.Pool
	}{
		{"closed pool", closed},
		{"unreachable address", refused},
		{"starting up (57P03)", storetest.BrokenPool(t, storetest.StartingUp)},
		{"shut down mid-session (57P01)", storetest.BrokenPool(t, storetest.ShuttingDown)},
		{"crashed mid-statement (unexpected EOF)", storetest.BrokenPool(t, storetest.Crashed)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			for method, err := range every(ctx, store.New(tt.pool)) {
				wantUnavailable(t, method, err)
			}
		})
	}
}

// A cancelled request, and a statement that outlives its deadline, on a
// real Postgres.
func TestUnavailableWhenTooSlow(t *testing.T) {
	pool := storetest.NewPool(t)
	s := store.New(pool)
	inv := mustCreate(t, s, "Locked")

	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	for method, err := range every(cancelled, s) {
		wantUnavailable(t, "cancelled context: "+method, err)
	}

	// Someone holds the investigation's row lock, so the rename waits
	// for it until its deadline.
	tx, err := pool.Begin(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(context.Background())
	if _, err := tx.Exec(context.Background(), "SELECT 1 FROM investigations WHERE id = $1 FOR UPDATE", inv.ID); err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer stop()
	_, err = s.Update(ctx, inv.ID, inv.Version, "Renamed", store.StatusOpen, "bob")
	wantUnavailable(t, "deadline while waiting for a lock", err)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("the cause is lost: %v", err)
	}
	tx.Rollback(context.Background())
	if got, err := s.Get(context.Background(), inv.ID); err != nil || got.Title != "Locked" {
		t.Errorf("after the timeout: %+v, %v; want nothing saved", got, err)
	}
}

// A statement Postgres refuses is a bug or a schema problem, not an
// outage: it passes through for the handlers to log as one.
func TestStatementErrorsStayErrors(t *testing.T) {
	pool := storetest.NewPool(t)
	if _, err := pool.Exec(context.Background(), "ALTER TABLE activity RENAME COLUMN actor TO who"); err != nil {
		t.Fatal(err)
	}
	_, err := store.New(pool).Activity(context.Background(), 1, 10)
	var de *datasources.Error
	if err == nil || errors.As(err, &de) || errors.Is(err, pgx.ErrNoRows) {
		t.Errorf("err %v, want the driver's error as it was", err)
	}
}

// A hung Postgres (accepting connections, never answering) fails every
// call within the store's own deadline, even when the caller set none,
// and the message says the database is not answering; reads do not claim
// that nothing was saved.
func TestHungPostgresFailsWithinTheStoreDeadline(t *testing.T) {
	const timeout = 300 * time.Millisecond
	s := store.New(storetest.BrokenPool(t, storetest.Hung), store.WithTimeout(timeout))
	reads := map[string]bool{"Get": true, "List": true, "Items": true, "Activity": true, "Pinned": true,
		"ShareLinks": true, "Shared": true, "ShareTarget": true}
	start := time.Now()
	got := every(context.Background(), s)
	// 16 calls in a row, each bounded by its own deadline.
	if took := time.Since(start); took > time.Duration(len(got))*(timeout+200*time.Millisecond) {
		t.Errorf("16 calls took %v: a call waited past its %v deadline", took, timeout)
	}
	for method, err := range got {
		wantUnavailable(t, method, err)
		msg := datasources.UserMessage(err)
		if !strings.Contains(msg, "not answering") {
			t.Errorf("%s: %q does not say the database is not answering", method, msg)
		}
		if saved := strings.Contains(msg, "nothing was saved"); saved == reads[method] {
			t.Errorf("%s (read %v): %q", method, reads[method], msg)
		}
	}
	start = time.Now()
	if err := s.Ping(context.Background()); err == nil || time.Since(start) > timeout+200*time.Millisecond {
		t.Errorf("Ping: %v after %v", err, time.Since(start))
	}
}
