package datasources

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

// A long backend message is cut for the page without splitting a
// character: Loki and Tempo quote user queries, which may be any script.
func TestFromStatusCutsOnARuneBoundary(t *testing.T) {
	body := strings.Repeat("a", 1999) + strings.Repeat("é", 50) // byte 2000 is inside an é
	var e *Error
	if !errors.As(FromStatus("loki", 400, []byte(body)), &e) {
		t.Fatal("not an *Error")
	}
	if !utf8.ValidString(e.Message) {
		t.Fatalf("message is not valid UTF-8: ...%q", e.Message[len(e.Message)-8:])
	}
	if want := strings.Repeat("a", 1997) + "…"; e.Message != want {
		t.Errorf("message ends %q, want %q", e.Message[len(e.Message)-8:], want[len(want)-8:])
	}
	if len(e.Message) > 2000 {
		t.Errorf("message is %d bytes, over 2000", len(e.Message))
	}
}
