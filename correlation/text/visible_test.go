package text

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestVisible(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain text, tabs\tand\nnewlines", "plain text, tabs\tand\nnewlines"},
		{"invoice-\u202Etxt.exe", "invoice-⟨U+202E⟩txt.exe"},
		{"admin\u200B", "admin⟨U+200B⟩"},
		{"\u2066isolate\u2069", "⟨U+2066⟩isolate⟨U+2069⟩"},
		{"\ufeffbom", "⟨U+FEFF⟩bom"},
		{"\x1b[8mhidden\x1b[0m", "␛[8mhidden␛[0m"},
		{"nul\x00 bell\x07 del\x7f", "nul␀ bell␇ del␡"},
		{"c1 \u009b31m", "c1 ⟨U+009B⟩31m"},
		{"bad \xff byte", "bad \uFFFD byte"},
		{"ünïcödé 日本 emoji 🙂 stay", "ünïcödé 日本 emoji 🙂 stay"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Visible(tt.in); got != tt.want {
			t.Errorf("Visible(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzVisible(f *testing.F) {
	for _, s := range []string{"a\u202Eb", "\x1b[31m", "\xff\xfe", "ok"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v := Visible(s)
		if !utf8.ValidString(v) {
			t.Fatalf("Visible(%q) = %q is not valid UTF-8", s, v)
		}
		if firstInvisible(v) >= 0 {
			t.Fatalf("Visible(%q) = %q still holds an invisible character", s, v)
		}
		if Visible(v) != v {
			t.Fatalf("Visible is not idempotent on %q", s)
		}
	})
}

func FuzzFirstInvisible(f *testing.F) {
	for _, s := range []string{"abc\x7f", "tab\there", "ok", "longer than eight\x01", "\u200b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := firstInvisible(s), slowFirstInvisible(s); got != want {
			t.Fatalf("firstInvisible(%q) = %d, want %d", s, got, want)
		}
	})
}

func BenchmarkVisibleClean(b *testing.B) {
	s := "GET /api/orders/{id} → 500 checkout-service charge card ünïcödé"
	b.ReportAllocs()
	for b.Loop() {
		if Visible(s) != s {
			b.Fatal("changed")
		}
	}
}

// slowFirstInvisible is firstInvisible a rune at a time.
func slowFirstInvisible(s string) int {
	for i, r := range s {
		if r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD") || r < 0x20 && r != '\t' && r != '\n' || r == 0x7f || r >= 0x80 && invisible(r) {
			return i
		}
	}
	return -1
}

// firstInvisible's eight-byte steps, and its one look at a tail or a
// short string, find what a byte-by-byte scan finds: every byte value at
// every offset of printable strings of every length up to 20.
func TestFirstInvisibleWordsAgreeWithBytes(t *testing.T) {
	slow := slowFirstInvisible
	for n := 1; n <= 20; n++ {
		base := "abcdefghijklmnopqrst"[:n]
		for c := 0; c < 256; c++ {
			for at := range len(base) {
				s := base[:at] + string([]byte{byte(c)}) + base[at+1:]
				if got, want := firstInvisible(s), slow(s); got != want {
					t.Fatalf("byte %#x at %d of %d: %d, want %d", c, at, n, got, want)
				}
			}
		}
	}
	for _, s := range []string{"", "short", "exactly8", "héllo wörld, long enough", "zero\u200bwidth after eight", "ok\tand\nnewlines are fine here"} {
		if got, want := firstInvisible(s), slow(s); got != want {
			t.Errorf("%q: %d, want %d", s, got, want)
		}
	}
}
