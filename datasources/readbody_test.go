package datasources

import (
	"bytes"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
)

// TestReadBody: a body is read whole, of known length or chunked, in one
// block or many; one over the limit is "too large" either way (never
// silently cut); an answer cut short is a transport failure.
func TestReadBody(t *testing.T) {
	big := make([]byte, 5<<20+123) // several blocks when chunked
	for i := range big {
		big[i] = byte(rand.N(256))
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.URL.Query().Get("n"))
		body := big[:n]
		switch r.URL.Query().Get("how") {
		case "length":
			w.Header().Set("Content-Length", strconv.Itoa(n))
			w.Write(body)
		case "chunked":
			for len(body) > 0 {
				k := min(len(body), 10_000)
				w.Write(body[:k])
				w.(http.Flusher).Flush()
				body = body[k:]
			}
		case "short":
			w.Header().Set("Content-Length", strconv.Itoa(n+10))
			w.Write(body)
		}
	}))
	defer srv.Close()
	for _, tt := range []struct {
		how      string
		n        int
		limit    int64
		wantKind ErrorKind // 0: read whole
	}{
		{"length", 0, 100, 0},
		{"length", 1000, 1000, 0},
		{"length", len(big), int64(len(big)), 0},
		{"length", 1001, 1000, ErrorTooLarge},
		{"chunked", 0, 100, 0},
		{"chunked", 70_000, 1 << 20, 0},
		{"chunked", len(big), int64(len(big)), 0},
		{"chunked", len(big), int64(len(big)) - 1, ErrorTooLarge},
		{"chunked", 200_000, 100_000, ErrorTooLarge},
		{"short", 1000, 1 << 20, ErrorUnavailable},
	} {
		resp, err := http.Get(srv.URL + "?how=" + tt.how + "&n=" + strconv.Itoa(tt.n))
		if err != nil {
			t.Fatal(err)
		}
		got, err := ReadBody("test", resp, tt.limit)
		switch {
		case tt.wantKind == 0 && err != nil:
			t.Errorf("%s %d (limit %d): %v", tt.how, tt.n, tt.limit, err)
		case tt.wantKind == 0 && !bytes.Equal(got, big[:tt.n]):
			t.Errorf("%s %d: read %d bytes, not the body", tt.how, tt.n, len(got))
		case tt.wantKind != 0 && ErrorKindOf(err) != tt.wantKind:
			t.Errorf("%s %d (limit %d): %v (%v), want %v", tt.how, tt.n, tt.limit, err, ErrorKindOf(err), tt.wantKind)
		}
	}
}

// TestReadBodySized: a chunked body whose first bytes say how long it is
// is read into one allocation of that size and some room, not blocks
// joined at the end; a size that is wrong either way still reads the body
// as it is; one over the limit is "too large" before the rest is read, and
// a body at the limit is read whatever the room.
func TestReadBodySized(t *testing.T) {
	body := make([]byte, 3<<20+77)
	for i := range body {
		body[i] = byte(rand.N(256))
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/protobuf")
		for b := body; len(b) > 0; b = b[min(len(b), 10_000):] {
			w.Write(b[:min(len(b), 10_000)])
			w.(http.Flusher).Flush()
		}
	}))
	defer srv.Close()
	n := int64(len(body))
	for _, tt := range []struct {
		name     string
		said     int64 // what the size function reads
		limit    int64
		wantCap  int64 // the one allocation's size; 0: not checked
		wantKind ErrorKind
	}{
		{"exact", n, 1 << 30, n + sizeRoom, 0},
		{"short of what follows by less than the room", n - 300, 1 << 30, n - 300 + sizeRoom, 0},
		{"at the limit", n, n, n + 1, 0}, // the room never passes the limit
		{"one byte over the limit", n, n - 1, 0, ErrorTooLarge},
		{"shorter than the body", n - 200_000, 1 << 30, 0, 0},
		{"longer than the body", n + 5<<20, 1 << 30, 0, 0},
		{"silent", -1, 1 << 30, 0, 0},
		{"over the limit", 2 << 30, 1 << 30, 0, ErrorTooLarge},
		{"body over the limit, said short", 1 << 20, n - 1, 0, ErrorTooLarge},
	} {
		resp, err := http.Get(srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		var sawType string
		got, err := ReadBodySized("test", resp, tt.limit, func(ct string, head []byte) int64 {
			if !bytes.Equal(head, body[:len(head)]) {
				t.Errorf("%s: the size function was not given the body's first bytes", tt.name)
			}
			sawType = ct
			return tt.said
		})
		switch {
		case tt.wantKind != 0:
			if ErrorKindOf(err) != tt.wantKind {
				t.Errorf("%s: %v, want %v", tt.name, err, tt.wantKind)
			}
			continue
		case err != nil:
			t.Errorf("%s: %v", tt.name, err)
			continue
		case !bytes.Equal(got, body):
			t.Errorf("%s: read %d bytes, not the body", tt.name, len(got))
		case tt.wantCap != 0 && int64(cap(got)) != tt.wantCap:
			t.Errorf("%s: read into %d bytes of memory, want one allocation of %d", tt.name, cap(got), tt.wantCap)
		}
		if sawType != "application/protobuf" {
			t.Errorf("%s: the size function saw Content-Type %q", tt.name, sawType)
		}
	}
}
