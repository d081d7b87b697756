package lokitest

import (
	"fmt"
	"sync"
	"testing"
	"time"
)

func unix(sec float64) time.Time { return time.Unix(0, int64(sec*1e9)) }

func count(s *Server, tenant string) int {
	n := 0
	for _, sn := range s.store.read(tenant, nil, 0, 1<<62) {
		n += len(sn.entries)
	}
	return n
}

func TestRetentionDropsOldEntries(t *testing.T) {
	now := unix(10_000)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	s := New(WithRetention(time.Hour), WithClock(clock))
	if err := s.Push(map[string]string{"a": "b"}, Entry{Time: unix(10_000 - 7200), Line: "too old"}); err == nil {
		t.Error("an entry older than retention was accepted")
	}
	if err := s.Push(map[string]string{"a": "b"}, Entry{Time: unix(9_000), Line: "kept for now"}, Entry{Time: unix(9_990), Line: "recent"}); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	now = unix(12_700) // 9_000 is now 3_700 s old
	mu.Unlock()
	if err := s.Push(map[string]string{"a": "c"}, Entry{Time: unix(12_699), Line: "newest"}); err != nil {
		t.Fatal(err)
	}
	if n := count(s, DefaultTenant); n != 2 {
		t.Errorf("%d entries left, want 2 (recent, newest)", n)
	}
}

func TestSizeBoundEvictsOldestFirst(t *testing.T) {
	s := New(WithRetention(0), WithMaxBytes(10_000))
	line := string(make([]byte, 68)) // 68 + 32 bytes accounted = 100
	for i := range 300 {
		pod := fmt.Sprint(i % 3)
		if err := s.Push(map[string]string{"pod": pod}, Entry{Time: unix(float64(i)), Line: line}); err != nil {
			t.Fatal(err)
		}
	}
	if b := s.Bytes(); b > 10_000 {
		t.Errorf("store holds %d bytes, bound 10000", b)
	}
	snaps := s.store.read(DefaultTenant, nil, 0, 1<<62)
	oldest := int64(1 << 62)
	n := 0
	for _, sn := range snaps {
		oldest = min(oldest, sn.entries[0].ts)
		n += len(sn.entries)
	}
	if n != 100 || oldest != unix(200).UnixNano() {
		t.Errorf("kept %d entries from %d, want the newest 100 from 200s", n, oldest/1e9)
	}
}

// Run with -race: pushes and queries at once.
func TestConcurrentPushAndQuery(t *testing.T) {
	s := New(WithRetention(0), WithMaxBytes(200_000))
	lq, _, err := parseQuery(`{app="x"} |= "line" | logfmt | n > 10`)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			for i := range 300 {
				s.Push(map[string]string{"app": "x", "w": fmt.Sprint(w)}, Entry{Time: unix(float64(i)), Line: fmt.Sprintf("line n=%d", i)})
			}
		}()
		go func() {
			defer wg.Done()
			for range 50 {
				s.evalLogs(DefaultTenant, lq, 0, 1e12, 100, w%2 == 0, true)
				s.store.streamsIn(DefaultTenant, nil, 0, 1e12)
			}
		}()
	}
	wg.Wait()
	if n := count(s, DefaultTenant); n != 1200 {
		t.Errorf("%d entries, want 1200", n)
	}
}
