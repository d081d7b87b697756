package store_test

import (
	"context"
	"encoding/json"
	"os"
	"reflect"
	"testing"

	"github.com/ariadne-dev/ariadne/correlation/snapshot"
	"github.com/ariadne-dev/ariadne/store"
	"github.com/ariadne-dev/ariadne/store/storetest"
)

// A snapshot stored before the builders left store/ (the fixture is what
// they wrote) still loads from Postgres, whole: jsonb reorders its keys,
// the types must still find every field.
func TestStoredSnapshotFromBeforeTheMoveLoads(t *testing.T) {
	old, err := os.ReadFile("../correlation/snapshot/testdata/snapshot-v1.json")
	if err != nil {
		t.Fatal(err)
	}
	var want snapshot.Snapshot
	if err := json.Unmarshal(old, &want); err != nil {
		t.Fatal(err)
	}
	pool := storetest.NewPool(t)
	s := store.New(pool)
	ctx := context.Background()
	p := mustPin(t, s, store.Pin{NewTitle: "Checkout 504s", Kind: store.KindSpan, Title: "POST /charge"})
	if _, err := pool.Exec(ctx, "UPDATE investigation_items SET snapshot = $1::jsonb WHERE id = $2", string(old), p.Item.ID); err != nil {
		t.Fatal(err)
	}
	items, err := s.Items(ctx, p.Investigation.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 1 || items[0].Snapshot == nil || !reflect.DeepEqual(*items[0].Snapshot, want) {
		t.Errorf("loaded %+v\nwant %+v", items[0].Snapshot, want)
	}
}
