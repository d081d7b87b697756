package handlers

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ariadne-dev/ariadne/store"
	"github.com/ariadne-dev/ariadne/store/storetest"
)

// flapFor is how long Postgres flaps under pin load: the fault drill's 60 s.
const flapFor = 60 * time.Second

// The fault drill: Postgres crashes (an immediate stop) and restarts every
// few seconds for a minute while users pin log lines, each retrying the
// same form (the same idempotency key) until it lands. No request may
// answer 500, and every pin lands exactly once.
func TestPinsThroughPostgresFlaps(t *testing.T) {
	cluster := storetest.NewCluster(t)
	dbURL, drop, err := storetest.Create(cluster.AdminURL)
	if err != nil {
		t.Fatal(err)
	}
	defer drop()
	pool, err := store.Open(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	st := store.New(pool, store.WithTimeout(time.Second))
	a := newApp(t, Options{Store: st, DB: st, DefaultUser: "drill"})
	inv, err := st.Create(context.Background(), store.NewInvestigation{Title: "flap drill", Author: "drill"})
	if err != nil {
		t.Fatal(err)
	}

	stop := time.Now().Add(flapFor)
	var flaps int
	flapDone := make(chan error, 1)
	go func() {
		for time.Now().Before(stop) {
			time.Sleep(jitter(1500*time.Millisecond, 3*time.Second))
			if err := cluster.Stop("immediate"); err != nil {
				flapDone <- err
				return
			}
			flaps++
			time.Sleep(jitter(300*time.Millisecond, 1500*time.Millisecond))
			if err := cluster.Start(); err != nil {
				flapDone <- err
				return
			}
		}
		flapDone <- nil
	}()

	var (
		mu       sync.Mutex
		statuses = map[int]int{}
		landed   []string
	)
	pin := func(key string) int {
		form := url.Values{"kind": {"log_line"}, "idempotency_key": {key}, "investigation_id": {fmt.Sprint(inv.ID)},
			"time_ns": {fmt.Sprint(time.Now().UnixNano())}, "labels": {`{service_name="drill"}`}, "line": {"pin " + key}}
		r := httptest.NewRequest(http.MethodPost, "/pins", strings.NewReader(form.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header.Set("Sec-Fetch-Site", "same-origin")
		w := a.do(t, r)
		mu.Lock()
		statuses[w.Code]++
		mu.Unlock()
		if w.Code != http.StatusSeeOther && w.Code != http.StatusServiceUnavailable {
			t.Errorf("pin %s: status %d: %.300s", key, w.Code, w.Body.String())
		}
		return w.Code
	}
	var wg sync.WaitGroup
	for range 6 {
		wg.Go(func() {
			for time.Now().Before(stop) {
				key := randomKey()
				// Retry the same form until it lands, as a user would;
				// past the drill's end Postgres stays up, so it does.
				for deadline := time.Now().Add(flapFor + 30*time.Second); ; {
					if pin(key) == http.StatusSeeOther {
						mu.Lock()
						landed = append(landed, key)
						mu.Unlock()
						time.Sleep(50 * time.Millisecond) // users, not a benchmark
						break
					}
					if time.Now().After(deadline) {
						t.Errorf("pin %s never landed", key)
						return
					}
					time.Sleep(100 * time.Millisecond)
				}
			}
		})
	}
	wg.Wait()
	if err := <-flapDone; err != nil {
		t.Fatal(err)
	}

	// The last restart may still be recovering: read when it answers.
	var items []store.Item
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		if items, err = st.Items(context.Background(), inv.ID); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal(err)
		}
	}
	count := map[string]int{}
	for _, it := range items {
		if s := it.Snapshot; s != nil && len(s.Lines) == 1 {
			count[strings.TrimPrefix(s.Lines[0].Line, "pin ")]++
		}
	}
	for _, k := range landed {
		if count[k] != 1 {
			t.Errorf("pin %s landed %d times", k, count[k])
		}
	}
	if len(items) != len(landed) {
		t.Errorf("%d items for %d pins", len(items), len(landed))
	}
	if statuses[http.StatusInternalServerError] > 0 {
		t.Errorf("%d answers were 500", statuses[http.StatusInternalServerError])
	}
	if flaps < 10 || statuses[http.StatusServiceUnavailable] == 0 {
		t.Errorf("the drill did not exercise outages: %d flaps, statuses %v", flaps, statuses)
	}
	t.Logf("%d Postgres crashes in %v; %d pins landed once each; answers %v", flaps, flapFor, len(landed), statuses)
}

func jitter(lo, hi time.Duration) time.Duration {
	n, _ := rand.Int(rand.Reader, big.NewInt(int64(hi-lo)))
	return lo + time.Duration(n.Int64())
}

func randomKey() string {
	b := make([]byte, 12)
	rand.Read(b)
	return hex.EncodeToString(b)
}
