package text

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCut(t *testing.T) {
	tests := []struct {
		s       string
		n       int
		want    string
		wantCut bool
	}{
		{"abc", 5, "abc", false},
		{"abc", 3, "abc", false},
		{"abcd", 3, "abc", true},
		{"añb", 2, "a", true}, // ñ is two bytes: not split
		{"añb", 3, "añ", true},
		{"日本", 4, "日", true}, // three-byte runes
		{"日本", 2, "", true},
		{"abc", 0, "", true},
		{"abc", -1, "", true},
	}
	for _, tt := range tests {
		got, cut := Cut(tt.s, tt.n)
		if got != tt.want || cut != tt.wantCut {
			t.Errorf("Cut(%q, %d) = %q, %v; want %q, %v", tt.s, tt.n, got, cut, tt.want, tt.wantCut)
		}
	}
}

func TestShorten(t *testing.T) {
	tests := []struct {
		s    string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"exactly10!", 10, "exactly10!"},
		{"a longer message", 10, "a longe…"},
		{"ééééé", 7, "éé…"}, // 2+2+3 bytes
		{"abc", 1, "…"},
		{"abcdefghij", 6, "abc…"},
		{"ééééé", 6, "é…"}, // never splits a rune
	}
	for _, tt := range tests {
		got := Shorten(tt.s, tt.n)
		if got != tt.want {
			t.Errorf("Shorten(%q, %d) = %q, want %q", tt.s, tt.n, got, tt.want)
		}
		if len(tt.s) > tt.n && len(got) > max(tt.n, len(Ellipsis)) {
			t.Errorf("Shorten(%q, %d) is %d bytes", tt.s, tt.n, len(got))
		}
	}
}

// Whatever the input, a cut is valid UTF-8 when the input is.
func FuzzCut(f *testing.F) {
	f.Add("añb日本", 3)
	f.Fuzz(func(t *testing.T, s string, n int) {
		if !utf8.ValidString(s) || n > 1<<20 {
			return
		}
		got, cut := Cut(s, n)
		if !utf8.ValidString(got) || !strings.HasPrefix(s, got) || len(got) > max(n, 0) && cut || cut != (len(s) > n) {
			t.Fatalf("Cut(%q, %d) = %q, %v", s, n, got, cut)
		}
		if sh := Shorten(s, n); !utf8.ValidString(sh) {
			t.Fatalf("Shorten(%q, %d) = %q", s, n, sh)
		}
	})
}
