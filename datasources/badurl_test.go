package datasources_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/datasources/loki"
	"github.com/ariadne-dev/ariadne/datasources/prometheus"
	"github.com/ariadne-dev/ariadne/datasources/tempo"
)

// clients are the three constructors, by backend name.
var clients = []struct {
	backend, display string
	build            func(datasources.Config) error
}{
	{prometheus.Backend, "Prometheus", func(c datasources.Config) error { _, err := prometheus.New(c); return err }},
	{loki.Backend, "Loki", func(c datasources.Config) error { _, err := loki.New(c); return err }},
	{tempo.Backend, "Tempo", func(c datasources.Config) error { _, err := tempo.New(c); return err }},
}

// TestBadURLIsOneErrorForEveryClient: each client refuses a URL that no
// request could be sent to when it is built, with the same kind and the
// same message, and keeps the reason for the log.
func TestBadURLIsOneErrorForEveryClient(t *testing.T) {
	tests := []struct {
		name, url string
		reason    string // in the logged cause; "" for a URL the clients accept
	}{
		{"unset: not configured, not an error", "", ""},
		{"http", "http://127.0.0.1:3100", ""},
		{"https with a path prefix", "https://loki.example/prefix/", ""},
		{"without scheme", "htp//x", `parse "htp//x": missing scheme`},
		{"host and port only", "localhost:3100", `parse "localhost:3100": scheme must be http or https`},
		{"another scheme", "ftp://loki:3100", `parse "ftp://loki:3100": scheme must be http or https`},
		{"without host", "http://", `parse "http://": missing host`},
		{"unparseable", "http://[::1", `missing ']' in host`},
		{"control character", "http://loki\n:3100", "invalid control character in URL"},
	}
	for _, tt := range tests {
		for _, c := range clients {
			t.Run(tt.name+"/"+c.backend, func(t *testing.T) {
				err := c.build(datasources.Config{URL: tt.url})
				if tt.reason == "" {
					if err != nil {
						t.Fatalf("New(%q): %v", tt.url, err)
					}
					return
				}
				var e *datasources.Error
				if !errors.As(err, &e) {
					t.Fatalf("New(%q) = %T %v, want a *datasources.Error", tt.url, err, err)
				}
				if e.Kind != datasources.ErrorNotConfigured || e.Backend != c.backend {
					t.Errorf("kind %v, backend %q; want %v, %q", e.Kind, e.Backend, datasources.ErrorNotConfigured, c.backend)
				}
				if want := "The " + c.display + " URL is not a valid URL."; e.Message != want {
					t.Errorf("message %q, want %q", e.Message, want)
				}
				if e.Err == nil || !strings.Contains(e.Err.Error(), tt.reason) {
					t.Errorf("cause %v, want it to hold %q", e.Err, tt.reason)
				}
			})
		}
	}
}
