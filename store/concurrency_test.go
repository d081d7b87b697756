package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/ariadne-dev/ariadne/correlation/snapshot"
	"github.com/ariadne-dev/ariadne/store"
)

// Twenty people (or one impatient double-clicker) pinning at once: every
// distinct pin lands exactly once with its own position, and every copy of
// one pin lands once in total.
func TestConcurrentPins(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	inv := mustCreate(t, s, "Busy incident")

	run := func(n int, pin func(i int) store.Pin) []store.Pinned {
		t.Helper()
		out := make([]store.Pinned, n)
		errs := make([]error, n)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				out[i], errs[i] = s.Pin(ctx, pin(i))
			}()
		}
		close(start)
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("pin %d: %v", i, err)
			}
		}
		return out
	}

	run(20, func(i int) store.Pin {
		return store.Pin{InvestigationID: inv.ID, Kind: store.KindNote, Title: fmt.Sprintf("note %d", i),
			Author: "alice", IdempotencyKey: fmt.Sprintf("distinct-%d", i)}
	})
	items, err := s.Items(ctx, inv.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 20 {
		t.Fatalf("%d items, want 20", len(items))
	}
	seenTitle, seenPos := map[string]bool{}, map[int]bool{}
	for _, it := range items {
		seenTitle[it.Title], seenPos[it.Position] = true, true
	}
	for i := range 20 {
		if !seenTitle[fmt.Sprintf("note %d", i)] || !seenPos[i+1] {
			t.Errorf("note %d or position %d missing: titles %v positions %v", i, i+1, seenTitle, seenPos)
		}
	}

	// The same pin, twenty times at once, into a new investigation.
	got := run(20, func(int) store.Pin {
		return store.Pin{NewTitle: "Created by a double click", Kind: store.KindTrace, Title: "trace",
			Author: "bob", IdempotencyKey: "one-click", Snapshot: &snapshot.Snapshot{}}
	})
	created := 0
	for _, p := range got {
		if p.Created {
			created++
		}
		if p.Item.ID != got[0].Item.ID || p.Investigation.ID != got[0].Investigation.ID {
			t.Errorf("pin answered item %d in %d, others %d in %d", p.Item.ID, p.Investigation.ID, got[0].Item.ID, got[0].Investigation.ID)
		}
	}
	if created != 1 {
		t.Errorf("%d pins report created, want 1", created)
	}
	list, _ := s.List(ctx, store.Filter{Title: "double click"})
	if len(list) != 1 || list[0].Items != 1 {
		t.Errorf("investigations from the double click: %+v, want one with one item", list)
	}
}
