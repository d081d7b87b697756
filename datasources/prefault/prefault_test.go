package prefault

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"testing/iotest"
)

// pattern is n bytes no two neighbouring pages of which are alike, so a
// page zeroed or moved by the helper shows.
func pattern(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7 + i>>12)
	}
	return b
}

// The helper runs beside the read (the buffers, but one, are over
// MinBytes), and whatever it populates, the bytes read are the bytes
// sent, as with io.ReadFull: in one read, in reads of an odd size, a
// small buffer byte by byte, and when the body ends early or fails.
func TestReadIsReadFull(t *testing.T) {
	n := MinBytes + 3*chunk + 12345
	src := pattern(n)
	boom := errors.New("connection reset")
	for _, tc := range []struct {
		name    string
		r       func() io.Reader
		size    int
		wantN   int
		wantErr error
	}{
		{"whole", func() io.Reader { return bytes.NewReader(src) }, n, n, nil},
		{"small, byte by byte", func() io.Reader { return iotest.OneByteReader(bytes.NewReader(src[:MinBytes/64])) }, MinBytes / 64, MinBytes / 64, nil},
		{"odd reads", func() io.Reader { return &stepReader{src: src, step: 4093} }, n, n, nil},
		{"more than asked", func() io.Reader { return bytes.NewReader(src) }, n - 5000, n - 5000, nil},
		{"ends early", func() io.Reader { return bytes.NewReader(src[:n-chunk]) }, n, n - chunk, io.ErrUnexpectedEOF},
		{"empty", func() io.Reader { return bytes.NewReader(nil) }, n, 0, io.EOF},
		{"fails", func() io.Reader { return io.MultiReader(bytes.NewReader(src[:chunk]), iotest.ErrReader(boom)) }, n, chunk, boom},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := make([]byte, tc.size)
			m, err := Read(tc.r(), got)
			wantBuf := make([]byte, tc.size)
			wantN, wantErr := io.ReadFull(tc.r(), wantBuf)
			if m != tc.wantN || err != tc.wantErr || wantN != tc.wantN || wantErr != tc.wantErr {
				t.Fatalf("Read = %d, %v; want %d, %v (io.ReadFull: %d, %v)", m, err, tc.wantN, tc.wantErr, wantN, wantErr)
			}
			if !bytes.Equal(got[:m], src[:m]) {
				t.Fatalf("the bytes read differ from those sent (first at %d)", firstDiff(got[:m], src[:m]))
			}
		})
	}
}

// Populating a slice's pages leaves what it holds as it was, written
// before or while the helper runs.
func TestSliceKeepsContents(t *testing.T) {
	type node struct {
		a, b int64
		p    *int
	}
	x := 42
	s := make([]node, 0, MinBytes/24*3)
	s = append(s, node{1, 2, &x})
	stop := Slice(s)
	for i := 1; i < cap(s); i++ {
		s = append(s, node{int64(i), int64(-i), nil})
	}
	stop()
	if s[0] != (node{1, 2, &x}) {
		t.Fatalf("first node %+v", s[0])
	}
	for i := 1; i < len(s); i++ {
		if s[i].a != int64(i) || s[i].b != int64(-i) || s[i].p != nil {
			t.Fatalf("node %d: %+v", i, s[i])
		}
	}
	Slice([]node(nil))() // nothing to populate
}

type stepReader struct {
	src  []byte
	step int
}

func (r *stepReader) Read(p []byte) (int, error) {
	if len(r.src) == 0 {
		return 0, io.EOF
	}
	n := copy(p[:min(len(p), r.step)], r.src)
	r.src = r.src[n:]
	return n, nil
}

func firstDiff(a, b []byte) int {
	for i := range a {
		if a[i] != b[i] {
			return i
		}
	}
	return -1
}
