package tempotest_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/datasources/tempotest"
)

// Run with -race: pushes, evictions and queries interleave freely.
func TestConcurrentIngestAndQuery(t *testing.T) {
	srv := tempotest.NewTestServer(t, tempotest.WithMaxTraces(20))
	c := client(t, srv.URL, "")
	var wg sync.WaitGroup
	ids := make(chan string, 100)
	for w := 0; w < 3; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < 15; i++ {
				td := tempotest.GenerateTrace(30, int64(w*100+i))
				srv.Ingest(td)
				ids <- hexOf(td.ResourceSpans[0].ScopeSpans[0].Spans[0].TraceId)
			}
		}(w)
	}
	var qwg sync.WaitGroup
	errs := make(chan error, 200)
	for r := 0; r < 3; r++ {
		qwg.Add(1)
		go func() {
			defer qwg.Done()
			for id := range ids {
				_, err := c.Trace(context.Background(), id, time.Time{}, time.Time{})
				// Evicted by the 20-trace bound is fine; anything else is not.
				if err != nil && datasources.ErrorKindOf(err) != datasources.ErrorNotFound {
					errs <- err
				}
				if _, err := c.Search(context.Background(), `{ status = error }`, time.Time{}, time.Time{}, 5, 0); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(ids)
	qwg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := srv.Len(tempotest.SingleTenant); n != 20 {
		t.Errorf("%d traces kept, want the bound of 20", n)
	}
}

func hexOf(b []byte) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 0, 2*len(b))
	for _, x := range b {
		out = append(out, digits[x>>4], digits[x&15])
	}
	return string(out)
}
