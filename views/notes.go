package views

import (
	"bytes"

	"github.com/ariadne-dev/ariadne/correlation/text"
	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// Notes are Markdown written by anyone who can reach Ariadne and read by
// anyone holding a share link, so they are rendered in two safe steps:
// goldmark without its unsafe mode (raw HTML is dropped, dangerous link
// schemes are emptied), then bluemonday's user-content policy, which
// allows only http(s)/mailto links and no scripts, styles or handlers.
var (
	markdown = goldmark.New(goldmark.WithExtensions(extension.GFM))
	sanitize = bluemonday.UGCPolicy().
			RequireNoReferrerOnLinks(true).
			AddTargetBlankToFullyQualifiedLinks(true)
)

// NoteHTML returns note as sanitized HTML ("" for an empty note), its
// invisible characters shown (text.Visible).
func NoteHTML(src string) string {
	if src == "" {
		return ""
	}
	// Invisible characters are shown before Markdown sees them, so an
	// override cannot disguise a link or a command in a note.
	src = text.Visible(src)
	var buf bytes.Buffer
	if err := markdown.Convert([]byte(src), &buf); err != nil {
		// goldmark fails only on writer errors; show the text, escaped.
		return sanitize.Sanitize("<pre>" + bluemonday.StrictPolicy().Sanitize(src) + "</pre>")
	}
	return string(sanitize.SanitizeBytes(buf.Bytes()))
}
