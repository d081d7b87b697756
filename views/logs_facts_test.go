package views

import (
	"errors"
	"io"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ariadne-dev/ariadne/correlation/logline"
	"github.com/ariadne-dev/ariadne/datasources"
)

// Rows of lines that PrepareLines saw as they were decoded are the rows
// of the same lines unseen, to the byte: for every shape of line, on a
// page of one share and of one per core. A row built with another
// deriver, or not lazy, does its own work.
func TestPreparedRowsAreTheRows(t *testing.T) {
	at := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC).UnixNano()
	shapes := []datasources.LogLine{
		{Line: `{"msg":"paid <b>","level":"warn","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","amount":"12 & 13","user":"'u'"}`},
		{Line: `{"message":"failed","error":"card \"declined\"","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736"} traceID=0af7651916cd43dd8448eb211c80319c`},
		{Line: `level=error msg="no stock" trace_id=0af7651916cd43dd8448eb211c80319c span_id=00f067aa0ba902b7`},
		{Line: "plain \x1b[31mred\x1b[0m text with a \x00 and \u202e in it"},
		{Line: `{"msg":"` + strings.Repeat("long ", PreviewBytes) + `"}`},
		{Line: strings.Repeat("x", 65<<10) + ` trace_id=0af7651916cd43dd8448eb211c80319c`},
		{Line: `no trace here`, StructuredMetadata: map[string]string{"level": "debug", "trace_id": "4bf92f3577b34da6a3ce929d0e0e4736", "span_id": "00f067aa0ba902b7"}},
		{Line: `{"msg":"parsed by Loki"}`, Parsed: map[string]string{"msg": "parsed by Loki", "status": "500"}},
	}
	streams := []map[string]string{{"service_name": "gateway"}, {"service_name": "payments", "level": "info"}}
	d := logline.MustDefaultDeriver()
	for _, n := range []int{len(shapes), parallelLines + 3} {
		// Each stream's lines are one batch, as the decoder hands them.
		batches := make([][]datasources.LogLine, len(streams))
		for i := range n {
			s := i % len(streams)
			l := shapes[i%len(shapes)]
			l.TimeNs = at - int64(i)*1e6
			l.Labels, l.Stream = streams[s], datasources.FormatLabels(streams[s])
			batches[s] = append(batches[s], l)
		}
		var plain, prepared []datasources.LogLine
		for _, b := range batches {
			plain = append(plain, b...)
			PrepareLines(d)(b)
			prepared = append(prepared, b...)
		}
		for _, tt := range []struct {
			name string
			in   LogRowsInput
		}{
			{"lazy", LogRowsInput{Zone: time.UTC, Query: `{service_name=~".+"} | json`, Narrow: true, Lazy: true, Deriver: d}},
			{"another deriver", LogRowsInput{Zone: time.UTC, Query: `{service_name=~".+"}`, Lazy: true, Deriver: logline.MustDefaultDeriver()}},
			{"whole", LogRowsInput{Zone: time.UTC, Query: `{service_name=~".+"} | json`, Narrow: true, Deriver: d}},
			{"pretty", LogRowsInput{Zone: time.UTC, Query: `{service_name=~".+"}`, Lazy: true, Pretty: true, Deriver: d}},
		} {
			var want, got strings.Builder
			if err := builtLogRows(plain, tt.in).Render(t.Context(), &want); err != nil {
				t.Fatal(err)
			}
			if err := builtLogRows(prepared, tt.in).Render(t.Context(), &got); err != nil {
				t.Fatal(err)
			}
			if got.String() != want.String() {
				w, g := want.String(), got.String()
				i := 0
				for i < min(len(w), len(g)) && w[i] == g[i] {
					i++
				}
				t.Fatalf("%d lines, %s: prepared rows differ at byte %d:\n got %.200q\nwant %.200q", n, tt.name, i, g[i:], w[i:])
			}
			if tt.name == "lazy" && !strings.Contains(want.String(), "&lt;b&gt;") {
				t.Fatalf("%s: the page lacks its escaped message", tt.name)
			}
		}
		// The rows kept (BuildLogRows) use the prepared lines too.
		in := LogRowsInput{Zone: time.UTC, Query: `{service_name=~".+"}`, Lazy: true, Deriver: d}
		var want, got strings.Builder
		_ = logRows(BuildLogRows(plain, in)).Render(t.Context(), &want)
		_ = logRows(BuildLogRows(prepared, in)).Render(t.Context(), &got)
		if got.String() != want.String() {
			t.Fatalf("%d lines: kept rows of prepared lines differ", n)
		}
	}
}

// A page's rows come out whole and in order whatever core wrote which
// piece, the first held up (as by a busy core) or not; a failing
// writer's error is returned.
func TestWritePiecesInOrder(t *testing.T) {
	for _, n := range []int{0, 1, pieceRows - 1, parallelLines, 5*pieceRows + 3} {
		var wrote atomic.Int32
		var got strings.Builder
		err := writePieces(&got, n, func() pieceWriter {
			return func(w io.Writer, lo, hi int) error {
				if lo == 0 && n >= parallelLines {
					time.Sleep(20 * time.Millisecond) // the first piece, held up
				}
				var b []byte
				for i := lo; i < hi; i++ {
					b = strconv.AppendInt(b, int64(i), 10)
					b = append(b, ',')
				}
				wrote.Add(int32(hi - lo))
				_, err := w.Write(b)
				return err
			}
		})
		if err != nil {
			t.Fatal(err)
		}
		var want strings.Builder
		for i := range n {
			want.WriteString(strconv.Itoa(i) + ",")
		}
		if got.String() != want.String() || int(wrote.Load()) != n {
			t.Errorf("%d rows: wrote %d, got %.80q…", n, wrote.Load(), got.String())
		}
	}
	fail := errors.New("client gone")
	err := writePieces(failingWriter{fail}, 3*pieceRows+1, func() pieceWriter {
		return func(w io.Writer, lo, hi int) error { _, err := w.Write([]byte("row")); return err }
	})
	if !errors.Is(err, fail) {
		t.Errorf("a failing writer gave %v", err)
	}
}

type failingWriter struct{ err error }

func (f failingWriter) Write([]byte) (int, error) { return 0, f.err }
