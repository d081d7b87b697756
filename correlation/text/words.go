package text

// Scanning a string eight bytes a word (SWAR) is how the loops that run
// over every byte of a page's lines and spans skip the bytes that need no
// work: these are the pieces such loops share.

// Ones is 0x01 in each byte of a word: c*Ones is c in each byte.
const Ones = 0x0101010101010101

// Word is s[i:i+8] as a little-endian word. Slicing first leaves one
// bounds check and eight constant indexes, which the compiler makes one
// load; indexing s[i+1] … s[i+7] in place costs a check and a load each.
func Word(s string, i int) uint64 {
	s = s[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// Word32 is s[i:i+4] as a little-endian word, as Word: for a string of
// four to seven bytes, Word32(s, 0) | Word32(s, len(s)-4)<<32 holds all of
// its bytes (some twice) in one word.
func Word32(s string, i int) uint32 {
	s = s[i : i+4]
	return uint32(s[0]) | uint32(s[1])<<8 | uint32(s[2])<<16 | uint32(s[3])<<24
}

// HasZero has the high bit of a byte set where x has a zero byte, and may
// have it in a byte above one (a borrow): a test that never misses, for a
// loop that then looks at the word's bytes one at a time. HasZero(w ^
// c*Ones) finds the bytes c in w.
func HasZero(x uint64) uint64 {
	const highs = 0x80 * Ones
	return (x - Ones) &^ x & highs
}
