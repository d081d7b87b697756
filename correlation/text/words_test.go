package text

import (
	"encoding/binary"
	"testing"
)

// Word and Word32 read as encoding/binary does, and HasZero never misses a zero
// byte, and reports none in a word without one below its high byte.
func FuzzWordHasZero(f *testing.F) {
	f.Add("abcdefgh", 0)
	f.Add("\x00\x01\x01\x01\x01\x01\x01\x01x", 1)
	f.Add("\x01\x00\x80\xff\x7f\x00\x01\x02", 0)
	f.Fuzz(func(t *testing.T, s string, i int) {
		if len(s) < 8 {
			return
		}
		i = (i%(len(s)-7) + len(s) - 7) % (len(s) - 7)
		w := Word(s, i)
		if want := binary.LittleEndian.Uint64([]byte(s[i : i+8])); w != want {
			t.Fatalf("Word(%q, %d) = %#x, want %#x", s, i, w, want)
		}
		if w32, want := Word32(s, i), binary.LittleEndian.Uint32([]byte(s[i:i+4])); w32 != want {
			t.Fatalf("Word32(%q, %d) = %#x, want %#x", s, i, w32, want)
		}
		z := HasZero(w)
		lowest := -1
		for k := range 8 {
			if s[i+k] == 0 {
				if z>>(8*k+7)&1 == 0 {
					t.Fatalf("%q: the zero byte %d is missed (%#x)", s[i:i+8], k, z)
				}
				if lowest < 0 {
					lowest = k
				}
			}
		}
		if lowest < 0 && z != 0 {
			t.Fatalf("%q has no zero byte, HasZero says %#x", s[i:i+8], z)
		}
		if lowest >= 0 && z&(1<<(8*lowest+7)-1) != 0 {
			t.Fatalf("%q: HasZero %#x reports a byte below the lowest zero %d", s[i:i+8], z, lowest)
		}
	})
}
