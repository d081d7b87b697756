package loki

import (
	"fmt"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/ariadne-dev/ariadne/datasources"
)

// A Prepare is given every line of a streams answer once, each batch of
// one stream with its labels set (even when Loki writes them after the
// values), and what it sets on a line comes out on that line, in the
// order the plain decode gives; whether Loki names the result's type
// before it (as it does) or after.
func TestPrepareSeesEveryLineOnce(t *testing.T) {
	for _, typeFirst := range []bool{true, false} {
		t.Run(fmt.Sprintf("type first %v", typeFirst), func(t *testing.T) { testPrepareSeesEveryLineOnce(t, typeFirst) })
	}
}

func testPrepareSeesEveryLineOnce(t *testing.T, typeFirst bool) {
	var b strings.Builder
	b.WriteString(`{"status":"success","data":{`)
	if typeFirst {
		b.WriteString(`"resultType":"streams",`)
	}
	b.WriteString(`"result":[`)
	const streams, perStream = 3, 2*PrepareBatch + 5 // a stream over two batches
	for s := range streams {
		if s > 0 {
			b.WriteString(",")
		}
		var vals []string
		for j := range perStream {
			vals = append(vals, fmt.Sprintf(`["%d","s%d line %d"]`, 1000+j*streams+s, s, j))
		}
		values := `"values":[` + strings.Join(vals, ",") + `]`
		stream := fmt.Sprintf(`"stream":{"pod":"p%d"}`, s)
		if s == 1 {
			fmt.Fprintf(&b, "{%s,%s}", values, stream) // labels last
		} else {
			fmt.Fprintf(&b, "{%s,%s}", stream, values)
		}
	}
	b.WriteString(`]`)
	if !typeFirst {
		b.WriteString(`,"resultType":"streams"`)
	}
	b.WriteString(`}}`)
	body := []byte(b.String())
	for _, dir := range []string{Backward, Forward} {
		plain, err := DecodeQueryResponseDir(body, dir)
		if err != nil {
			t.Fatal(err)
		}
		var mu sync.Mutex
		seen := map[string]int{}
		prepare := func(lines []datasources.LogLine) {
			if len(lines) > PrepareBatch {
				t.Errorf("a batch of %d lines", len(lines))
			}
			for i := range lines {
				l := &lines[i]
				if want := "p" + l.Line[1:2]; l.Labels["pod"] != want || l.Stream != `{pod="`+want+`"}` {
					t.Errorf("%q prepared with labels %v, stream %q", l.Line, l.Labels, l.Stream)
				}
				l.Prepared = "prepared " + l.Line
				mu.Lock()
				seen[l.Line]++
				mu.Unlock()
			}
		}
		got, err := DecodeQueryResponseWith(body, dir, prepare)
		if err != nil {
			t.Fatal(err)
		}
		if len(seen) != streams*perStream || len(got.Lines) != len(plain.Lines) {
			t.Fatalf("%s: %d lines prepared, %d decoded, want %d", dir, len(seen), len(got.Lines), streams*perStream)
		}
		for line, n := range seen {
			if n != 1 {
				t.Errorf("%s: %q prepared %d times", dir, line, n)
			}
		}
		for i := range got.Lines {
			l := got.Lines[i]
			if l.Prepared != "prepared "+l.Line {
				t.Fatalf("%s: line %d %q carries %v", dir, i, l.Line, l.Prepared)
			}
			l.Prepared = nil
			if !reflect.DeepEqual(l, plain.Lines[i]) {
				t.Fatalf("%s: line %d is %+v, the plain decode's %+v", dir, i, l, plain.Lines[i])
			}
		}
	}
}

// An answer that breaks off returns its error only once the helper is
// done with the lines it was given: nothing works on them after.
func TestPrepareDoneBeforeAnError(t *testing.T) {
	body := `{"status":"success","data":{"resultType":"streams","result":[{"stream":{"a":"b"},"values":[["1","x"],["2","y"]]},{"stream":{"a":"c"},"values":[["3","z"],["bad"`
	var running, after atomic.Int32
	returned := atomic.Bool{}
	_, err := DecodeQueryResponseWith([]byte(body+`]]}]}}`), Backward, func(lines []datasources.LogLine) {
		running.Add(1)
		for range 1000 {
			if returned.Load() {
				after.Add(1)
			}
		}
	})
	returned.Store(true)
	if err == nil {
		t.Fatal("a bad timestamp decoded")
	}
	// The first stream's one batch may be prepared (or dropped, when the
	// second's error came first); the second's never is.
	if running.Load() > 1 || after.Load() != 0 {
		t.Errorf("%d batches prepared, %d steps after the decode returned; want at most 1 and 0", running.Load(), after.Load())
	}
}

// A streams result that is not an array is an error, with a Prepare or
// without, whichever key comes first.
func TestStreamsResultNotAnArray(t *testing.T) {
	for _, body := range []string{
		`{"status":"success","data":{"resultType":"streams","result":{"stream":{}}}}`,
		`{"status":"success","data":{"result":"x","resultType":"streams"}}`,
	} {
		for _, prepare := range []Prepare{nil, func([]datasources.LogLine) {}} {
			if _, err := DecodeQueryResponseWith([]byte(body), Backward, prepare); err == nil {
				t.Errorf("%s decoded", body)
			}
		}
	}
}

// A result sent twice is read once, the last: the first's helpers stop.
func TestStreamsResultSentTwice(t *testing.T) {
	body := `{"status":"success","data":{"resultType":"streams",` +
		`"result":[{"stream":{"a":"1"},"values":[["1","first"]]}],` +
		`"result":[{"stream":{"a":"2"},"values":[["2","last"]]}]}}`
	var prepared atomic.Int32
	res, err := DecodeQueryResponseWith([]byte(body), Backward, func(lines []datasources.LogLine) {
		prepared.Add(int32(len(lines)))
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Lines) != 1 || res.Lines[0].Line != "last" {
		t.Fatalf("lines %+v, want the last result's one", res.Lines)
	}
	if n := prepared.Load(); n < 1 || n > 2 {
		t.Errorf("%d lines prepared", n)
	}
}
