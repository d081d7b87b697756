package store_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/ariadne-dev/ariadne/correlation/snapshot"
	"github.com/ariadne-dev/ariadne/store"
	"github.com/ariadne-dev/ariadne/store/storetest"
)

func TestShareAndRevoke(t *testing.T) {
	pool := storetest.NewPool(t)
	s := store.New(pool)
	ctx := context.Background()
	p := mustPin(t, s, store.Pin{NewTitle: "Shared incident", Kind: store.KindLogLine, Title: "the line",
		Snapshot: &snapshot.Snapshot{Lines: []snapshot.Line{{TimeNs: 1, Line: `{"level":"error","msg":"card declined"}`}}}})
	id := p.Investigation.ID

	token, link, err := s.Share(ctx, id, "alice", 0)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(raw)*8 < 128 {
		t.Fatalf("token %q: %d bits, err %v; want ≥128 random bits, URL-safe", token, len(raw)*8, err)
	}
	other, _, _ := s.Share(ctx, id, "alice", 0)
	if other == token {
		t.Fatal("two shares got the same token")
	}
	if stored := tokenHashes(t, pool); len(stored) != 2 || string(stored[0]) == token || !hasHash(stored, token) {
		t.Errorf("stored hashes %x: want the SHA-256 of each token, never the token", stored)
	}

	inv, items, err := s.Shared(ctx, token)
	if err != nil || inv.Title != "Shared incident" || len(items) != 1 || items[0].Snapshot.Lines[0].Line != `{"level":"error","msg":"card declined"}` {
		t.Fatalf("Shared = %+v %+v %v", inv, items, err)
	}

	if err := s.Revoke(ctx, id, link.ID, "bob"); err != nil {
		t.Fatal(err)
	}
	for name, tok := range map[string]string{"revoked": token, "unknown": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "empty": ""} {
		if _, _, err := s.Shared(ctx, tok); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("%s token: err %v, want ErrNotFound", name, err)
		}
	}
	if _, _, err := s.Shared(ctx, other); err != nil {
		t.Errorf("revoking one link broke the other: %v", err)
	}
	if err := s.Revoke(ctx, id, link.ID, "bob"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("second revoke: %v, want ErrNotFound", err)
	}
	links, _ := s.ShareLinks(ctx, id)
	if len(links) != 2 || links[1].RevokedBy != "bob" || links[1].RevokedAt.IsZero() || !links[0].RevokedAt.IsZero() {
		t.Errorf("links %+v: want the older revoked by bob, the newer live", links)
	}
	if _, _, err := s.Share(ctx, 424242, "alice", 0); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("share of unknown investigation: %v", err)
	}
	acts, _ := s.Activity(ctx, id, 1)
	if len(acts) != 1 || acts[0].Action != "revoked" || acts[0].Actor != "bob" {
		t.Errorf("last activity %+v, want bob revoked", acts)
	}
}

// TestShareExpiry: a link given a lifetime stops working when it ends,
// by the database's clock, as a revoked one does; a link without one
// never expires.
func TestShareExpiry(t *testing.T) {
	pool := storetest.NewPool(t)
	s := store.New(pool)
	ctx := context.Background()
	id := mustCreate(t, s, "Expiring").ID
	week := store.ShareLifetimes["7d"]
	token, link, err := s.Share(ctx, id, "alice", week)
	if err != nil {
		t.Fatal(err)
	}
	if got := link.ExpiresAt.Sub(link.CreatedAt); got < week-time.Second || got > week+time.Second {
		t.Errorf("a 7-day link expires %v after its creation", got)
	}
	target, err := s.ShareTarget(ctx, token)
	if err != nil || !target.ExpiresAt.Equal(link.ExpiresAt) || target.Investigation.Title != "Expiring" {
		t.Fatalf("ShareTarget = %+v, %v", target, err)
	}
	forever, never, _ := s.Share(ctx, id, "alice", 0)
	if !never.ExpiresAt.IsZero() || never.Expired {
		t.Errorf("a never-expiring link has expiry %v", never.ExpiresAt)
	}
	// Time passes (moved in the database, whose clock decides).
	if _, err := pool.Exec(ctx, "UPDATE share_links SET expires_at = now() - interval '1 second' WHERE id = $1", link.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Shared(ctx, token); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("expired link: %v, want ErrNotFound", err)
	}
	if _, _, err := s.Shared(ctx, forever); err != nil {
		t.Errorf("the link that never expires: %v", err)
	}
	list, _ := s.ShareLinks(ctx, id)
	if len(list) != 2 || !list[1].Expired || list[0].Expired {
		t.Errorf("links %+v: want the older expired, the newer live", list)
	}
}

func TestActivityIsAppendOnly(t *testing.T) {
	pool := storetest.NewPool(t)
	s := store.New(pool)
	inv := mustCreate(t, s, "Audit me")
	ctx := context.Background()
	for _, sql := range []string{"UPDATE activity SET actor = 'mallory'", "DELETE FROM activity"} {
		if _, err := pool.Exec(ctx, sql); err == nil {
			t.Errorf("%s succeeded on the append-only log", sql)
		}
	}
	// Deleting the investigation itself still cascades.
	if _, err := pool.Exec(ctx, "DELETE FROM investigations WHERE id = $1", inv.ID); err != nil {
		t.Errorf("cascade delete: %v", err)
	}
}

func tokenHashes(t *testing.T, pool *pgxpool.Pool) [][]byte {
	t.Helper()
	rows, err := pool.Query(context.Background(), "SELECT token_hash FROM share_links ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out [][]byte
	for rows.Next() {
		var b []byte
		rows.Scan(&b)
		out = append(out, b)
	}
	return out
}

func hasHash(hashes [][]byte, token string) bool {
	h := sha256.Sum256([]byte(token))
	for _, x := range hashes {
		if string(x) == string(h[:]) {
			return true
		}
	}
	return false
}
