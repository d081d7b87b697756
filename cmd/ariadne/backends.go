package main

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/handlers"
)

// connectBackends builds the backends' status entries from the config.
func connectBackends(cfg Config) ([]handlers.Backend, error) {
	var out []handlers.Backend
	for _, b := range []struct {
		name, env, path string
		cfg             datasources.Config
	}{
		{"Prometheus", "PROMETHEUS", "/-/ready", cfg.Prometheus},
		{"Loki", "LOKI", "/ready", cfg.Loki},
		{"Tempo", "TEMPO", "/ready", cfg.Tempo},
	} {
		be := handlers.Backend{Name: b.name, Env: b.env, URL: b.cfg.URL}
		if b.cfg.Configured() {
			client, err := b.cfg.HTTPClient()
			if err != nil {
				return nil, fmt.Errorf("%s_CA_FILE: %w", b.env, err)
			}
			bc, name, path := b.cfg, b.name, b.path
			be.Ready = func(ctx context.Context) error {
				req, err := http.NewRequestWithContext(ctx, http.MethodGet, bc.BaseURL()+path, nil)
				if err != nil {
					return err
				}
				resp, err := client.Do(req)
				if err != nil {
					return datasources.FromTransport(strings.ToLower(name), err)
				}
				body, err := datasources.ReadBody(strings.ToLower(name), resp, 64<<10)
				if err != nil {
					return err
				}
				if resp.StatusCode != http.StatusOK {
					return datasources.FromStatus(strings.ToLower(name), resp.StatusCode, body)
				}
				return nil
			}
		}
		out = append(out, be)
	}
	return out, nil
}
