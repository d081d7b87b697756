package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/ariadne-dev/ariadne/correlation/snapshot"
	"github.com/ariadne-dev/ariadne/correlation/text"
)

// MaxSnapshotBytes bounds one item's stored snapshot; the snapshot
// builders stay far below it, this is the last line of defence.
const MaxSnapshotBytes = 4 << 20

// Pin is one pin request: into InvestigationID, or into a new
// investigation titled NewTitle when InvestigationID is 0.
type Pin struct {
	InvestigationID int64
	NewTitle        string
	Kind            string
	Title           string
	Ref             Ref
	Snapshot        *snapshot.Snapshot // required for everything but notes
	Note            string
	Author          string
	// IdempotencyKey: a retried or double-clicked pin carrying the same key
	// lands once, and a pin that created its investigation creates it once.
	IdempotencyKey string
}

// Pinned is what a pin produced (or had produced, when Created is false).
type Pinned struct {
	Investigation Investigation
	Item          Item
	Created       bool
}

// Pinned looks up a key that already landed, so a retry can skip asking
// the backends again. ErrNotFound when it has not.
func (s *Store) Pinned(ctx context.Context, key string) (Pinned, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	if key == "" {
		return Pinned{}, ErrNotFound
	}
	it, err := scanItem(s.pool.QueryRow(ctx, qItemByKey, key))
	if err != nil {
		return Pinned{}, classify(notFound(err))
	}
	inv, err := s.Get(ctx, it.InvestigationID)
	return Pinned{Investigation: inv, Item: it}, classify(err)
}

// Pin adds an item at the end of an investigation, creating the
// investigation first when asked, all in one transaction: a failure
// leaves nothing behind.
func (s *Store) Pin(ctx context.Context, p Pin) (Pinned, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	if !ValidKind(p.Kind) {
		return Pinned{}, fmt.Errorf("%w: unknown kind %q", ErrInvalid, p.Kind)
	}
	if p.Snapshot == nil && p.Kind != KindNote {
		return Pinned{}, fmt.Errorf("%w: a %s pin needs a snapshot", ErrInvalid, p.Kind)
	}
	if len(p.Note) > MaxNote {
		return Pinned{}, fmt.Errorf("%w: a note holds at most %d bytes", ErrInvalid, MaxNote)
	}
	p.Title = text.Shorten(p.Title, MaxTitle)
	ref, err := json.Marshal(p.Ref)
	if err != nil {
		return Pinned{}, err
	}
	var snap []byte
	if p.Snapshot != nil {
		if snap, err = json.Marshal(p.Snapshot); err != nil {
			return Pinned{}, err
		}
		if len(snap) > MaxSnapshotBytes {
			return Pinned{}, fmt.Errorf("%w: the snapshot is %d bytes, over the %d-byte limit", ErrInvalid, len(snap), MaxSnapshotBytes)
		}
	}

	var out Pinned
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		out = Pinned{}
		if p.IdempotencyKey != "" {
			it, err := scanItem(tx.QueryRow(ctx, qItemByKey, p.IdempotencyKey))
			if err == nil {
				out.Item = it
				out.Investigation, err = scanInvestigation(tx.QueryRow(ctx, qInvestigationGet, it.InvestigationID))
				return err
			}
			if !errors.Is(err, pgx.ErrNoRows) {
				return err
			}
		}
		var err error
		if p.InvestigationID == 0 {
			var created bool
			out.Investigation, created, err = createInTx(ctx, tx, NewInvestigation{Title: p.NewTitle, Author: p.Author, IdempotencyKey: p.IdempotencyKey})
			if err != nil {
				return err
			}
			if created {
				if err := logActivity(ctx, tx, out.Investigation.ID, p.Author, "created", map[string]any{"title": p.NewTitle}); err != nil {
					return err
				}
			}
		} else {
			// The row lock serialises pins into one investigation, so the
			// position taken from max(position) cannot be taken twice.
			out.Investigation, err = scanInvestigation(tx.QueryRow(ctx, qInvestigationLock, p.InvestigationID))
			if err != nil {
				return notFound(err)
			}
		}
		out.Item, err = scanItem(tx.QueryRow(ctx, qItemInsert, out.Investigation.ID, p.Kind, p.Title, ref, snap, p.Note, p.Author, p.IdempotencyKey))
		if errors.Is(err, pgx.ErrNoRows) {
			// The same key committed between our check and our insert.
			out.Item, err = scanItem(tx.QueryRow(ctx, qItemByKey, p.IdempotencyKey))
			return err
		}
		if err != nil {
			return err
		}
		out.Created = true
		var from, to any
		if !p.Ref.From.IsZero() && !p.Ref.To.IsZero() {
			from, to = p.Ref.From, p.Ref.To
		}
		if _, err := tx.Exec(ctx, qInvestigationTouch, out.Investigation.ID, from, to); err != nil {
			return err
		}
		action := "pinned"
		if p.Kind == KindNote {
			action = "noted"
		}
		return logActivity(ctx, tx, out.Investigation.ID, p.Author, action, map[string]any{"item": out.Item.ID, "kind": p.Kind, "title": p.Title})
	})
	return out, classifyWrite(err)
}
