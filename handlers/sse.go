package handlers

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

// sseWriter writes server-sent events, each flushed whole.
type sseWriter struct {
	res *echo.Response
	err error // the first write error: the browser went away
}

// startSSE commits a 200 text/event-stream response. retryMs is how long
// the browser waits before reconnecting when the stream ends.
func startSSE(c echo.Context, retryMs string) *sseWriter {
	res := c.Response()
	h := res.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // proxies must not hold events back
	res.WriteHeader(http.StatusOK)
	w := &sseWriter{res: res}
	w.write("retry: " + retryMs + "\n\n")
	return w
}

// event sends one event. data may hold newlines (each becomes a data:
// line, joined again by the browser); a CR cannot travel in an event, so
// it is sent as a newline.
func (w *sseWriter) event(name, id, data string) error {
	var b strings.Builder
	b.WriteString("event: " + name + "\n")
	if id != "" {
		b.WriteString("id: " + id + "\n")
	}
	data = strings.ReplaceAll(strings.ReplaceAll(data, "\r\n", "\n"), "\r", "\n")
	for _, line := range strings.Split(data, "\n") {
		b.WriteString("data: ")
		b.WriteString(line)
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	return w.write(b.String())
}

func (w *sseWriter) write(s string) error {
	if w.err != nil {
		return w.err
	}
	if _, err := w.res.Write([]byte(s)); err != nil {
		w.err = err
		return err
	}
	w.res.Flush()
	return nil
}
