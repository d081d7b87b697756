package views

import "testing"

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
