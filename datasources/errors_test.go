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

// A proxy's HTML page never reaches the user as text, and refused
// credentials or rate limits are the backend's problem, not a bad query.
func TestFromStatusSummarisesPagesAndKeepsSemantics(t *testing.T) {
	nginx429 := "<html>\r\n<head><title>429 Too Many Requests</title></head>\r\n<body>\r\n<center><h1>429 Too Many Requests</h1></center>\r\n<hr><center>nginx/1.25.3</center>\r\n</body>\r\n</html>\r\n"
	login := `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Sign in</title></head><body><form>…</form></body></html>`
	tests := []struct {
		name    string
		status  int
		body    string
		kind    ErrorKind
		message string
	}{
		{"nginx 429 page", 429, nginx429, ErrorUnavailable, "Tempo is rate limiting requests (429 Too Many Requests); try again in a moment."},
		{"429 in the backend's words", 429, "ingestion rate limit exceeded", ErrorUnavailable, "ingestion rate limit exceeded"},
		{"login wall on 401", 401, login, ErrorUnavailable, "Tempo answered 401 Unauthorized: check the credentials and tenant Ariadne is configured with for Tempo."},
		{"403 in words", 403, "no org id", ErrorUnavailable, "Tempo answered 403 Forbidden (no org id): check the credentials and tenant Ariadne is configured with for Tempo."},
		{"HTML 400 from a proxy", 400, "<html><body><h1>400 Bad Request</h1></body></html>", ErrorBadQuery, "Tempo answered 400 Bad Request."},
		{"a real bad query", 400, "parse error at line 1, col 3: syntax error", ErrorBadQuery, "parse error at line 1, col 3: syntax error"},
		{"an empty 400", 400, "", ErrorBadQuery, "Tempo answered 400 Bad Request."},
		{"HTML 502", 502, "<html><body>Bad Gateway</body></html>", ErrorUnavailable, "Tempo answered 502 Bad Gateway."},
		{"a query about <html> is not a page", 400, `invalid TraceQL: unexpected "<"`, ErrorBadQuery, `invalid TraceQL: unexpected "<"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var e *Error
			if !errors.As(FromStatus("tempo", tt.status, []byte(tt.body)), &e) {
				t.Fatal("not an *Error")
			}
			if e.Kind != tt.kind || e.Message != tt.message {
				t.Errorf("got %s %q, want %s %q", e.Kind, e.Message, tt.kind, tt.message)
			}
			if IsMarkup(tt.body) && (e.Err == nil || !strings.Contains(e.Err.Error(), strings.TrimSpace(tt.body)[:20])) {
				t.Errorf("the page is not kept for the log: %v", e.Err)
			}
		})
	}
}

func TestReadyBody(t *testing.T) {
	for body, ok := range map[string]bool{
		"ready\n":                       true, // Loki, Tempo
		"Prometheus Server is Ready.\n": true,
		"":                              false,
		"<!doctype html><html><body>ready to help</body></html>": false,
		"OK":                          false,
		strings.Repeat("ready ", 100): false,
	} {
		err := ReadyBody("loki", []byte(body))
		if (err == nil) != ok {
			t.Errorf("ReadyBody(%.30q) = %v, want ok %v", body, err, ok)
		}
		if err != nil && !errors.Is(err, ErrNotAnAPI) {
			t.Errorf("ReadyBody(%.30q): %v is not ErrNotAnAPI", body, err)
		}
	}
}
