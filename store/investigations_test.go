package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ariadne-dev/ariadne/correlation/snapshot"
	"github.com/ariadne-dev/ariadne/store"
	"github.com/ariadne-dev/ariadne/store/storetest"
)

func newStore(t *testing.T) *store.Store {
	t.Helper()
	return store.New(storetest.NewPool(t))
}

func mustCreate(t *testing.T, s *store.Store, title string) store.Investigation {
	t.Helper()
	inv, err := s.Create(context.Background(), store.NewInvestigation{Title: title, Author: "alice"})
	if err != nil {
		t.Fatalf("create %q: %v", title, err)
	}
	return inv
}

func mustPin(t *testing.T, s *store.Store, p store.Pin) store.Pinned {
	t.Helper()
	if p.Author == "" {
		p.Author = "alice"
	}
	if p.Snapshot == nil && p.Kind != store.KindNote {
		p.Snapshot = &snapshot.Snapshot{TakenAt: time.Now()}
	}
	got, err := s.Pin(context.Background(), p)
	if err != nil {
		t.Fatalf("pin %+v: %v", p, err)
	}
	return got
}

func titles(items []store.Item) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.Title
	}
	return out
}

func TestCreateListSearchFilter(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	a := mustCreate(t, s, "Checkout 502s after deploy")
	b := mustCreate(t, s, "Payments 50% slower")
	mustCreate(t, s, "Inventory lag")
	if _, err := s.Update(ctx, b.ID, b.Version, b.Title, store.StatusResolved, "bob"); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		f    store.Filter
		want []string
	}{
		{"all, newest first", store.Filter{}, []string{"Inventory lag", "Payments 50% slower", "Checkout 502s after deploy"}},
		{"title search ignores case", store.Filter{Title: "CHECKOUT"}, []string{"Checkout 502s after deploy"}},
		{"percent is literal", store.Filter{Title: "50%"}, []string{"Payments 50% slower"}},
		{"underscore is literal", store.Filter{Title: "_"}, nil},
		{"open only", store.Filter{Status: store.StatusOpen}, []string{"Inventory lag", "Checkout 502s after deploy"}},
		{"resolved only", store.Filter{Status: store.StatusResolved}, []string{"Payments 50% slower"}},
		{"limit", store.Filter{Limit: 1}, []string{"Inventory lag"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.List(ctx, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, inv := range got {
				names = append(names, inv.Title)
			}
			if !equal(names, tt.want) {
				t.Errorf("got %q, want %q", names, tt.want)
			}
		})
	}
	if a.Status != store.StatusOpen || a.Version != 1 || a.Author != "alice" {
		t.Errorf("new investigation = %+v", a)
	}
}

func TestCreateValidatesTitleAndIsIdempotent(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	for _, title := range []string{"", "   ", string(make([]rune, 201))} {
		if _, err := s.Create(ctx, store.NewInvestigation{Title: title, Author: "a"}); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("title of %d runes: err %v, want ErrInvalid", len([]rune(title)), err)
		}
	}
	n := store.NewInvestigation{Title: "Once", Author: "a", IdempotencyKey: "k1"}
	first, err := s.Create(ctx, n)
	if err != nil {
		t.Fatal(err)
	}
	again, err := s.Create(ctx, n)
	if err != nil || again.ID != first.ID {
		t.Fatalf("second create with the same key: id %d err %v, want id %d", again.ID, err, first.ID)
	}
	all, _ := s.List(ctx, store.Filter{})
	if len(all) != 1 {
		t.Errorf("%d investigations, want 1", len(all))
	}
}

func TestUpdateRejectsStaleVersion(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	inv := mustCreate(t, s, "Slow checkout")
	renamed, err := s.Update(ctx, inv.ID, 1, "Slow checkout (payments)", store.StatusOpen, "alice")
	if err != nil {
		t.Fatal(err)
	}
	if renamed.Version != 2 || renamed.Title != "Slow checkout (payments)" {
		t.Fatalf("after rename: %+v", renamed)
	}
	// Bob still has version 1 on screen and resolves it.
	_, err = s.Update(ctx, inv.ID, 1, "Slow checkout", store.StatusResolved, "bob")
	var ce *store.ConflictError
	if !errors.As(err, &ce) || ce.Investigation == nil {
		t.Fatalf("stale update: err %v, want *ConflictError", err)
	}
	if ce.Investigation.Title != "Slow checkout (payments)" || ce.Investigation.Version != 2 || ce.Investigation.Status != store.StatusOpen {
		t.Errorf("conflict shows %+v, want alice's version 2", ce.Investigation)
	}
	got, _ := s.Get(ctx, inv.ID)
	if got.Status != store.StatusOpen || got.Title != "Slow checkout (payments)" {
		t.Errorf("stale update changed the row: %+v", got)
	}
	if _, err := s.Update(ctx, inv.ID, 2, "x", "closed", "bob"); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("bad status: err %v", err)
	}
	if _, err := s.Update(ctx, 999999, 1, "x", store.StatusOpen, "bob"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown id: err %v", err)
	}
}

func TestPinEditReorderDelete(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	from := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	first := mustPin(t, s, store.Pin{NewTitle: "502 on checkout", Kind: store.KindSpan, Title: "payments charge",
		Ref:            store.Ref{TraceID: "4bf92f3577b34da6a3ce929d0e0e4736", SpanID: "00f067aa0ba902b7", From: from, To: from.Add(time.Hour)},
		Snapshot:       &snapshot.Snapshot{TakenAt: from, Trace: &snapshot.Trace{ID: "4bf92f3577b34da6a3ce929d0e0e4736", Spans: []snapshot.Span{{ID: "00f067aa0ba902b7", Name: "charge", Error: true, StatusMsg: "card declined"}}}},
		IdempotencyKey: "pin-1"})
	if !first.Created || first.Investigation.Title != "502 on checkout" || first.Item.Position != 1 {
		t.Fatalf("first pin: %+v", first)
	}
	id := first.Investigation.ID
	mustPin(t, s, store.Pin{InvestigationID: id, Kind: store.KindLogLine, Title: "error line",
		Ref: store.Ref{TimeNs: from.Add(2 * time.Hour).UnixNano(), From: from.Add(90 * time.Minute), To: from.Add(3 * time.Hour)}})
	mustPin(t, s, store.Pin{InvestigationID: id, Kind: store.KindNote, Title: "", Note: "Card provider **timed out**"})

	inv, _ := s.Get(ctx, id)
	if !inv.From.Equal(from) || !inv.To.Equal(from.Add(3*time.Hour)) {
		t.Errorf("range %s..%s, want it widened to %s..%s", inv.From, inv.To, from, from.Add(3*time.Hour))
	}
	items, err := s.Items(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if got := titles(items); !equal(got, []string{"payments charge", "error line", ""}) {
		t.Fatalf("items %q", got)
	}
	if sp := items[0].Snapshot.Trace.Spans[0]; sp.StatusMsg != "card declined" || !sp.Error {
		t.Errorf("snapshot round trip lost the span: %+v", sp)
	}
	if items[2].Snapshot != nil || items[2].Note != "Card provider **timed out**" {
		t.Errorf("note item = %+v", items[2])
	}

	// Edit the note, then a stale edit of it.
	note := items[2]
	edited, err := s.EditItem(ctx, id, note.ID, note.Version, "Provider", "Card provider timed out after 3s", "alice")
	if err != nil || edited.Version != 2 {
		t.Fatalf("edit: %+v %v", edited, err)
	}
	_, err = s.EditItem(ctx, id, note.ID, note.Version, "Provider", "bob's text", "bob")
	var ce *store.ConflictError
	if !errors.As(err, &ce) || ce.Item == nil || ce.Item.Note != "Card provider timed out after 3s" {
		t.Fatalf("stale edit: err %v, conflict %+v", err, ce)
	}

	// Move the note to the top: two moves up.
	v := inv.Version
	for range 2 {
		moved, err := s.Move(ctx, id, v, note.ID, -1, "alice")
		if err != nil {
			t.Fatal(err)
		}
		v = moved.Version
	}
	if _, err := s.Move(ctx, id, v, note.ID, -1, "alice"); err != nil {
		t.Errorf("moving the first item up: %v, want a no-op", err)
	}
	items, _ = s.Items(ctx, id)
	if got := titles(items); !equal(got, []string{"Provider", "payments charge", "error line"}) {
		t.Errorf("after moves: %q", got)
	}
	if _, err := s.Move(ctx, id, inv.Version, note.ID, 1, "bob"); !errors.As(err, &ce) {
		t.Errorf("stale move: err %v, want conflict", err)
	}

	// Delete: stale version refused, right version removes, then gone.
	line := items[2]
	if _, err := s.DeleteItem(ctx, id, line.ID, line.Version+1, "bob"); !errors.As(err, &ce) {
		t.Errorf("stale delete: err %v", err)
	}
	if gone, err := s.DeleteItem(ctx, id, line.ID, line.Version, "bob"); err != nil || gone.Title != line.Title || gone.Kind != line.Kind {
		t.Fatalf("delete: %+v, %v", gone, err)
	}
	if _, err := s.DeleteItem(ctx, id, line.ID, line.Version, "bob"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("second delete: err %v, want ErrNotFound", err)
	}
	items, _ = s.Items(ctx, id)
	if got := titles(items); !equal(got, []string{"Provider", "payments charge"}) {
		t.Errorf("after delete: %q", got)
	}

	acts, err := s.Activity(ctx, id, 50)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for i := len(acts) - 1; i >= 0; i-- {
		actions = append(actions, acts[i].Actor+" "+acts[i].Action)
	}
	want := []string{"alice created", "alice pinned", "alice pinned", "alice noted", "alice edited", "alice moved", "alice moved", "bob deleted"}
	if !equal(actions, want) {
		t.Errorf("activity %q, want %q", actions, want)
	}
}

func TestPinRetryLandsOnce(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	p := store.Pin{NewTitle: "Retry", Kind: store.KindTrace, Title: "trace", IdempotencyKey: "same", Author: "alice",
		Snapshot: &snapshot.Snapshot{}}
	a, err := s.Pin(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	// The retry chose another target meanwhile: it still lands once.
	p.InvestigationID = mustCreate(t, s, "Other").ID
	b, err := s.Pin(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	if b.Created || b.Item.ID != a.Item.ID || b.Investigation.ID != a.Investigation.ID {
		t.Errorf("retry = %+v, want the first pin %d back", b, a.Item.ID)
	}
	got, err := s.Pinned(ctx, "same")
	if err != nil || got.Item.ID != a.Item.ID {
		t.Errorf("Pinned(same) = %+v, %v", got, err)
	}
	if _, err := s.Pinned(ctx, "never"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Pinned(never): %v", err)
	}
	for _, bad := range []store.Pin{
		{InvestigationID: a.Investigation.ID, Kind: "video", Snapshot: &snapshot.Snapshot{}},
		{InvestigationID: a.Investigation.ID, Kind: store.KindTrace},
		{NewTitle: "", Kind: store.KindNote},
	} {
		if _, err := s.Pin(ctx, bad); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("pin %+v: err %v, want ErrInvalid", bad, err)
		}
	}
	if _, err := s.Pin(ctx, store.Pin{InvestigationID: 987654, Kind: store.KindNote}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("pin into unknown investigation: %v", err)
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
