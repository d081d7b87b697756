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
	ExpiresAt time.Time // zero for a link that never expires
	// Expired is set once ExpiresAt has passed by the database's clock,
	// the one that decides whether the link still opens.
	Expired bool
}

// ShareLifetimes are the lifetimes a share link may be given, by the
// name forms use; 0 is "never expires".
var ShareLifetimes = map[string]time.Duration{"1d": 24 * time.Hour, "7d": 7 * 24 * time.Hour, "30d": 30 * 24 * time.Hour, "never": 0}

// DefaultShareLifetime is what a link gets when the form names none: a
// capability should end by itself unless someone asks it not to.
const DefaultShareLifetime = "7d"

// scanShare reads a share_links row as the queries return it.
func scanShare(r pgx.Row) (ShareLink, error) {
	var l ShareLink
	var revokedAt, expiresAt *time.Time
	var revokedBy *string
	err := r.Scan(&l.ID, &l.Author, &l.CreatedAt, &revokedAt, &revokedBy, &expiresAt, &l.Expired)
	l.RevokedAt, l.ExpiresAt = deref(revokedAt), deref(expiresAt)
	if revokedBy != nil {
		l.RevokedBy = *revokedBy
	}
	return l, err
}

// tokenBytes is the token's entropy: 256 bits.
const tokenBytes = 32

// Share creates a link that expires after lifetime (0: never) and
// returns its token (URL-safe, 43 characters).
func (s *Store) Share(ctx context.Context, id int64, actor string, lifetime time.Duration) (string, ShareLink, error) {
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
		var secs *int64
		if lifetime > 0 {
			n := int64(lifetime / time.Second)
			secs = &n
		}
		var err error
		if l, err = scanShare(tx.QueryRow(ctx, qShareInsert, id, hash[:], actor, secs)); err != nil {
			return err
		}
		detail := map[string]any{"link": l.ID}
		if !l.ExpiresAt.IsZero() {
			detail["expires"] = l.ExpiresAt.UTC().Format(time.RFC3339)
		}
		return logActivity(ctx, tx, id, actor, "shared", detail)
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
	return checked(pgx.CollectRows(rows, func(r pgx.CollectableRow) (ShareLink, error) { return scanShare(r) }))
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
	t, err := s.ShareTarget(ctx, token)
	if err != nil {
		return Investigation{}, nil, classify(err)
	}
	items, err := s.Items(ctx, t.Investigation.ID)
	return t.Investigation, items, classify(err)
}

// ShareTarget is what a live share token opens.
type ShareTarget struct {
	Investigation Investigation
	// Fingerprint changes whenever the investigation or any of its items
	// changes, so a caller may reuse what it rendered for the same one.
	Fingerprint string
	ExpiresAt   time.Time // zero: the link never expires
}

// ShareTarget resolves a token to what it opens. Unknown, revoked and
// expired tokens are ErrNotFound alike.
func (s *Store) ShareTarget(ctx context.Context, token string) (ShareTarget, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	want := sha256.Sum256([]byte(token))
	var got []byte
	var t ShareTarget
	inv := &t.Investigation
	var from, to, expires *time.Time
	err := s.pool.QueryRow(ctx, qShareLookup, want[:]).Scan(&got, &expires,
		&inv.ID, &inv.Title, &inv.Status, &from, &to, &inv.Author, &inv.CreatedAt, &inv.UpdatedAt, &inv.Version, &t.Fingerprint)
	if errors.Is(err, pgx.ErrNoRows) {
		got = make([]byte, sha256.Size)
	} else if err != nil {
		return ShareTarget{}, classify(err)
	}
	// The lookup is by hash, so a timing difference in it reveals at most
	// a hash prefix; the compare itself is constant-time anyway.
	if subtle.ConstantTimeCompare(got, want[:]) != 1 {
		return ShareTarget{}, ErrNotFound
	}
	inv.From, inv.To, t.ExpiresAt = deref(from), deref(to), deref(expires)
	return t, nil
}
