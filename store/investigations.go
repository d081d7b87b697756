package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/ariadne-dev/ariadne/correlation/snapshot"
)

// Store holds the investigations queries over one pool.
type Store struct {
	pool    *pgxpool.Pool
	timeout time.Duration
}

// DefaultTimeout bounds one store call when New is given no WithTimeout.
// Every call is a few indexed statements, so a healthy Postgres answers in
// milliseconds; a hung one must fail the page in seconds, not hold it for
// the whole request timeout.
const DefaultTimeout = 3 * time.Second

// Option configures a Store.
type Option func(*Store)

// WithTimeout bounds each store call, waiting for a pooled connection
// included (DATABASE_TIMEOUT). Zero or less keeps DefaultTimeout.
func WithTimeout(d time.Duration) Option {
	return func(s *Store) {
		if d > 0 {
			s.timeout = d
		}
	}
}

// New returns a Store on pool.
func New(pool *pgxpool.Pool, opts ...Option) *Store {
	s := &Store{pool: pool, timeout: DefaultTimeout}
	for _, o := range opts {
		o(s)
	}
	return s
}

// bound gives one store call its own deadline, under the request's.
func (s *Store) bound(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, s.timeout)
}

// Ping checks that Postgres answers, within the store's deadline.
func (s *Store) Ping(ctx context.Context) error {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	return classify(s.pool.Ping(ctx))
}

// Statuses an investigation can have.
const (
	StatusOpen     = "open"
	StatusResolved = "resolved"
)

// Kinds of item.
const (
	KindGraph    = "graph"
	KindExemplar = "exemplar"
	KindTrace    = "trace"
	KindSpan     = "span"
	KindLogQuery = "log_query"
	KindLogLine  = "log_line"
	KindNote     = "note"
)

// ValidKind reports whether k is one of the item kinds.
func ValidKind(k string) bool {
	switch k {
	case KindGraph, KindExemplar, KindTrace, KindSpan, KindLogQuery, KindLogLine, KindNote:
		return true
	}
	return false
}

// MaxTitle is the longest title the schema accepts, in characters.
const MaxTitle = 200

// MaxNote bounds a note's Markdown source.
const MaxNote = 20000

// Investigation is one investigation's own fields.
type Investigation struct {
	ID        int64
	Title     string
	Status    string
	From, To  time.Time // zero when nothing was pinned yet
	Author    string
	CreatedAt time.Time
	UpdatedAt time.Time
	// Version changes on every rename, status change and reorder; an edit
	// names the version it started from.
	Version int
	Items   int // filled by List only
}

// Item is one pinned thing (or note) of an investigation.
type Item struct {
	ID              int64
	InvestigationID int64
	Kind            string
	Position        int
	Title           string
	Ref             Ref
	Snapshot        *snapshot.Snapshot // nil for notes
	Note            string             // Markdown
	Author          string
	CreatedAt       time.Time
	UpdatedAt       time.Time
	Version         int
}

// Activity is one line of the append-only log.
type Activity struct {
	Actor  string
	Action string // created, pinned, noted, edited, renamed, status, moved, deleted, shared, revoked
	Detail map[string]any
	At     time.Time
}

// ConflictError is an edit made from a stale version. It carries what is
// stored now, so the user can see both versions.
type ConflictError struct {
	Investigation *Investigation // set for investigation-level edits
	Item          *Item          // set for item edits
}

func (e *ConflictError) Error() string {
	if e.Item != nil {
		return fmt.Sprintf("item %d was changed by someone else (now version %d)", e.Item.ID, e.Item.Version)
	}
	return fmt.Sprintf("investigation %d was changed by someone else (now version %d)", e.Investigation.ID, e.Investigation.Version)
}

// NewInvestigation is what creating one needs.
type NewInvestigation struct {
	Title  string
	Author string
	// IdempotencyKey makes a double-submitted create land once ("" = none).
	IdempotencyKey string
}

// Create makes an investigation, or returns the one its key already made.
func (s *Store) Create(ctx context.Context, n NewInvestigation) (Investigation, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	var inv Investigation
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var created bool
		var err error
		inv, created, err = createInTx(ctx, tx, n)
		if err != nil || !created {
			return err
		}
		return logActivity(ctx, tx, inv.ID, n.Author, "created", map[string]any{"title": inv.Title})
	})
	return inv, classifyWrite(err)
}

func createInTx(ctx context.Context, tx pgx.Tx, n NewInvestigation) (Investigation, bool, error) {
	if err := checkTitle(n.Title); err != nil {
		return Investigation{}, false, err
	}
	inv, err := scanInvestigation(tx.QueryRow(ctx, qInvestigationCreate, n.Title, n.Author, nil, nil, n.IdempotencyKey))
	if errors.Is(err, pgx.ErrNoRows) {
		// The key landed before (or concurrently, and ON CONFLICT waited
		// for that transaction to commit).
		inv, err = scanInvestigation(tx.QueryRow(ctx, qInvestigationByKey, n.IdempotencyKey))
		return inv, false, err
	}
	return inv, err == nil, err
}

// Get returns one investigation.
func (s *Store) Get(ctx context.Context, id int64) (Investigation, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	inv, err := scanInvestigation(s.pool.QueryRow(ctx, qInvestigationGet, id))
	return inv, classify(notFound(err))
}

// Filter narrows List.
type Filter struct {
	Title  string // case-insensitive substring
	Status string // "" for any
	Limit  int    // default 100
}

// List returns investigations, newest first.
func (s *Store) List(ctx context.Context, f Filter) ([]Investigation, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	if f.Limit <= 0 {
		f.Limit = 100
	}
	pattern := ""
	if t := strings.TrimSpace(f.Title); t != "" {
		pattern = "%" + likeEscaper.Replace(t) + "%"
	}
	rows, err := s.pool.Query(ctx, qInvestigationList, pattern, f.Status, f.Limit)
	if err != nil {
		return nil, classify(err)
	}
	return checked(pgx.CollectRows(rows, func(r pgx.CollectableRow) (Investigation, error) {
		var inv Investigation
		var from, to *time.Time
		err := r.Scan(&inv.ID, &inv.Title, &inv.Status, &from, &to, &inv.Author, &inv.CreatedAt, &inv.UpdatedAt, &inv.Version, &inv.Items)
		inv.From, inv.To = deref(from), deref(to)
		return inv, err
	}))
}

// A user searching for "50%" means the characters, not a pattern.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// Items returns an investigation's items in timeline order.
func (s *Store) Items(ctx context.Context, id int64) ([]Item, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	rows, err := s.pool.Query(ctx, qItemsList, id)
	if err != nil {
		return nil, classify(err)
	}
	return checked(pgx.CollectRows(rows, func(r pgx.CollectableRow) (Item, error) { return scanItem(r) }))
}

// Activity returns the newest limit entries of the log, newest first.
func (s *Store) Activity(ctx context.Context, id int64, limit int) ([]Activity, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	rows, err := s.pool.Query(ctx, qActivityList, id, limit)
	if err != nil {
		return nil, classify(err)
	}
	return checked(pgx.CollectRows(rows, func(r pgx.CollectableRow) (Activity, error) {
		var a Activity
		err := r.Scan(&a.Actor, &a.Action, &a.Detail, &a.At)
		return a, err
	}))
}

// Update renames an investigation and/or changes its status, from the
// version the user saw. A stale version returns *ConflictError.
func (s *Store) Update(ctx context.Context, id int64, version int, title, status, actor string) (Investigation, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	if err := checkTitle(title); err != nil {
		return Investigation{}, err
	}
	if status != StatusOpen && status != StatusResolved {
		return Investigation{}, fmt.Errorf("%w: status must be open or resolved", ErrInvalid)
	}
	var inv Investigation
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		before, err := scanInvestigation(tx.QueryRow(ctx, qInvestigationLock, id))
		if err != nil {
			return notFound(err)
		}
		if before.Version != version {
			return &ConflictError{Investigation: &before}
		}
		inv, err = scanInvestigation(tx.QueryRow(ctx, qInvestigationUpdate, id, version, title, status))
		if err != nil {
			return err
		}
		if before.Title != title {
			if err := logActivity(ctx, tx, id, actor, "renamed", map[string]any{"from": before.Title, "to": title}); err != nil {
				return err
			}
		}
		if before.Status != status {
			return logActivity(ctx, tx, id, actor, "status", map[string]any{"from": before.Status, "to": status})
		}
		return nil
	})
	return inv, classifyWrite(err)
}

// Move swaps an item with its neighbour (delta -1: up, +1: down), from the
// investigation version the user saw. Moving past either end is a no-op.
func (s *Store) Move(ctx context.Context, id int64, version int, itemID int64, delta int, actor string) (Investigation, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	var inv Investigation
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		inv, err = scanInvestigation(tx.QueryRow(ctx, qInvestigationLock, id))
		if err != nil {
			return notFound(err)
		}
		if inv.Version != version {
			return &ConflictError{Investigation: &inv}
		}
		rows, err := tx.Query(ctx, qItemsList, id)
		if err != nil {
			return err
		}
		items, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Item, error) { return scanItem(r) })
		if err != nil {
			return err
		}
		at := -1
		for i, it := range items {
			if it.ID == itemID {
				at = i
			}
		}
		if at < 0 {
			return ErrNotFound
		}
		to := at + delta
		if to < 0 || to >= len(items) {
			return nil
		}
		a, b := items[at], items[to]
		if _, err := tx.Exec(ctx, qItemSwap, id, a.ID, b.Position, b.ID, a.Position); err != nil {
			return err
		}
		if inv, err = scanInvestigation(tx.QueryRow(ctx, qInvestigationBump, id)); err != nil {
			return err
		}
		dir := "down"
		if delta < 0 {
			dir = "up"
		}
		return logActivity(ctx, tx, id, actor, "moved", map[string]any{"item": itemID, "title": a.Title, "direction": dir})
	})
	return inv, classifyWrite(err)
}

// EditItem changes an item's title and note, from the version the user saw.
func (s *Store) EditItem(ctx context.Context, id, itemID int64, version int, title, note, actor string) (Item, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	if len(title) > MaxTitle*4 || len(note) > MaxNote {
		return Item{}, fmt.Errorf("%w: the title or note is too long (a note holds at most %d bytes)", ErrInvalid, MaxNote)
	}
	var it Item
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		it, err = scanItem(tx.QueryRow(ctx, qItemUpdate, itemID, id, version, title, note))
		if errors.Is(err, pgx.ErrNoRows) {
			return staleItem(ctx, tx, id, itemID)
		}
		if err != nil {
			return err
		}
		return logActivity(ctx, tx, id, actor, "edited", map[string]any{"item": itemID, "title": title})
	})
	return it, classifyWrite(err)
}

// DeleteItem removes an item, if it is still at the version the user
// saw, and returns its kind and title (for the page that says so).
func (s *Store) DeleteItem(ctx context.Context, id, itemID int64, version int, actor string) (Item, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	gone := Item{ID: itemID, InvestigationID: id}
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, qItemDelete, itemID, id, version).Scan(&gone.Kind, &gone.Title)
		if errors.Is(err, pgx.ErrNoRows) {
			return staleItem(ctx, tx, id, itemID)
		}
		if err != nil {
			return err
		}
		return logActivity(ctx, tx, id, actor, "deleted", map[string]any{"item": itemID, "kind": gone.Kind, "title": gone.Title})
	})
	return gone, classifyWrite(err)
}

// staleItem explains why a versioned item write matched no row.
func staleItem(ctx context.Context, tx pgx.Tx, id, itemID int64) error {
	cur, err := scanItem(tx.QueryRow(ctx, qItemGet, itemID, id))
	if err != nil {
		return notFound(err)
	}
	return &ConflictError{Item: &cur}
}

func checkTitle(t string) error {
	n := len([]rune(t))
	if strings.TrimSpace(t) == "" || n > MaxTitle {
		return fmt.Errorf("%w: a title needs 1 to %d characters", ErrInvalid, MaxTitle)
	}
	return nil
}

func logActivity(ctx context.Context, tx pgx.Tx, id int64, actor, action string, detail map[string]any) error {
	if detail == nil {
		detail = map[string]any{}
	}
	_, err := tx.Exec(ctx, qActivityInsert, id, actor, action, detail)
	return err
}

func scanInvestigation(r pgx.Row) (Investigation, error) {
	var inv Investigation
	var from, to *time.Time
	err := r.Scan(&inv.ID, &inv.Title, &inv.Status, &from, &to, &inv.Author, &inv.CreatedAt, &inv.UpdatedAt, &inv.Version)
	inv.From, inv.To = deref(from), deref(to)
	return inv, err
}

func scanItem(r pgx.Row) (Item, error) {
	var it Item
	var ref, snap []byte
	err := r.Scan(&it.ID, &it.InvestigationID, &it.Kind, &it.Position, &it.Title, &ref, &snap, &it.Note, &it.Author, &it.CreatedAt, &it.UpdatedAt, &it.Version)
	if err != nil {
		return it, err
	}
	if err := json.Unmarshal(ref, &it.Ref); err != nil {
		return it, fmt.Errorf("item %d: ref: %w", it.ID, err)
	}
	if len(snap) > 0 && string(snap) != "null" {
		it.Snapshot = &snapshot.Snapshot{}
		if err := json.Unmarshal(snap, it.Snapshot); err != nil {
			return it, fmt.Errorf("item %d: snapshot: %w", it.ID, err)
		}
	}
	return it, nil
}

func deref(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}

func notFound(err error) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return ErrNotFound
	}
	return err
}
