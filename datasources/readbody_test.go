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
