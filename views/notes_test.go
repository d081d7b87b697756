package views

import (
	"strings"
	"testing"
)

func TestNoteHTML(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"*hi*", "<p><em>hi</em></p>\n"},
		{"<b>x</b>", "<p>x</p>\n"}, // raw HTML dropped, text kept
		{"[a](javascript:alert(1))", "<p>a</p>\n"},
		{"`<script>`", "<p><code>&lt;script&gt;</code></p>\n"},
	}
	for _, tt := range tests {
		if got := NoteHTML(tt.in); got != tt.want {
			t.Errorf("NoteHTML(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestNoteHTMLShowsInvisibleCharacters(t *testing.T) {
	got := NoteHTML("run [this \u202Eexe.txt](https://example.com/\u202Egpj.exe) now\u200B")
	if !strings.Contains(got, "this ⟨U+202E⟩exe.txt") || !strings.Contains(got, "now⟨U+200B⟩") ||
		strings.Contains(got, "\u202E") || strings.Contains(got, "\u200B") {
		t.Errorf("NoteHTML = %q, want the override and the zero-width space shown", got)
	}
}
