package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
)

// ShareLink is a read-only capability to one investigation. Only the
// token's SHA-256 is stored: the token itself is shown once.
type ShareLink struct {
	ID        int64
	Author    string
	CreatedAt time.Time
	RevokedAt time.Time // zero while the link works
	RevokedBy string
}

// tokenBytes is the token's entropy: 256 bits.
const tokenBytes = 32

// Share creates a link and returns its token (URL-safe, 43 characters).
func (s *Store) Share(ctx context.Context, id int64, actor string) (string, ShareLink, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	raw := make([]byte, tokenBytes)
	rand.Read(raw) // never fails (crypto/rand since Go 1.24)
	token := base64.RawURLEncoding.EncodeToString(raw)
	hash := sha256.Sum256([]byte(token))
	var l ShareLink
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := scanInvestigation(tx.QueryRow(ctx, qInvestigationGet, id)); err != nil {
			return notFound(err)
		}
		var revokedAt *time.Time
		var revokedBy *string
		if err := tx.QueryRow(ctx, qShareInsert, id, hash[:], actor).Scan(&l.ID, &l.Author, &l.CreatedAt, &revokedAt, &revokedBy); err != nil {
			return err
		}
		return logActivity(ctx, tx, id, actor, "shared", map[string]any{"link": l.ID})
	})
	return token, l, classifyWrite(err)
}

// ShareLinks lists an investigation's links, newest first.
func (s *Store) ShareLinks(ctx context.Context, id int64) ([]ShareLink, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	rows, err := s.pool.Query(ctx, qShareList, id)
	if err != nil {
		return nil, classify(err)
	}
	return checked(pgx.CollectRows(rows, func(r pgx.CollectableRow) (ShareLink, error) {
		var l ShareLink
		var revokedAt *time.Time
		var revokedBy *string
		err := r.Scan(&l.ID, &l.Author, &l.CreatedAt, &revokedAt, &revokedBy)
		l.RevokedAt = deref(revokedAt)
		if revokedBy != nil {
			l.RevokedBy = *revokedBy
		}
		return l, err
	}))
}

// Revoke ends a link. Revoking an already revoked or unknown link is
// ErrNotFound.
func (s *Store) Revoke(ctx context.Context, id, linkID int64, actor string) error {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	return classifyWrite(pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var got int64
		if err := tx.QueryRow(ctx, qShareRevoke, linkID, id, actor).Scan(&got); err != nil {
			return notFound(err)
		}
		return logActivity(ctx, tx, id, actor, "revoked", map[string]any{"link": linkID})
	}))
}

// Shared resolves a token to its investigation and items. Unknown and
// revoked tokens take the same path (one indexed lookup that finds no
// row) and return ErrNotFound.
func (s *Store) Shared(ctx context.Context, token string) (Investigation, []Item, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	inv, _, err := s.ShareTarget(ctx, token)
	if err != nil {
		return Investigation{}, nil, classify(err)
	}
	items, err := s.Items(ctx, inv.ID)
	return inv, items, classify(err)
}

// ShareTarget resolves a token to its investigation and a fingerprint
// that changes whenever the investigation or any of its items changes, so
// the caller may reuse what it rendered for the same fingerprint.
func (s *Store) ShareTarget(ctx context.Context, token string) (Investigation, string, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	want := sha256.Sum256([]byte(token))
	var got []byte
	var inv Investigation
	var from, to *time.Time
	var fingerprint string
	err := s.pool.QueryRow(ctx, qShareLookup, want[:]).Scan(&got,
		&inv.ID, &inv.Title, &inv.Status, &from, &to, &inv.Author, &inv.CreatedAt, &inv.UpdatedAt, &inv.Version, &fingerprint)
	if errors.Is(err, pgx.ErrNoRows) {
		got = make([]byte, sha256.Size)
	} else if err != nil {
		return Investigation{}, "", classify(err)
	}
	// The lookup is by hash, so a timing difference in it reveals at most
	// a hash prefix; the compare itself is constant-time anyway.
	if subtle.ConstantTimeCompare(got, want[:]) != 1 {
		return Investigation{}, "", ErrNotFound
	}
	inv.From, inv.To = deref(from), deref(to)
	return inv, fingerprint, nil
}
