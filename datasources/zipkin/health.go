package zipkin

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"

	"github.com/ariadne-dev/ariadne/correlation/text"
	"github.com/ariadne-dev/ariadne/datasources"
)

// health is Zipkin's /health document: an overall status and, per
// component, a status and when DOWN an error.
type health struct {
	Status string `json:"status"`
	Zipkin struct {
		Details map[string]struct {
			Status  string `json:"status"`
			Details struct {
				Error string `json:"error"`
			} `json:"details"`
		} `json:"details"`
	} `json:"zipkin"`
}

// Ready asks Zipkin's /health. UP is ready. DOWN (Zipkin answers 503) is
// ErrorUnavailable with the failing components' own errors, typically the
// storage's. A 200 that is not Zipkin's health document means the URL
// reaches something else: ErrorUnavailable wrapping ErrNotAnAPI.
func (c *Client) Ready(ctx context.Context) error {
	r, err := c.get(ctx, "/health", nil)
	if err != nil {
		return err
	}
	var h health
	isHealth := json.Unmarshal(r.body, &h) == nil && h.Status != ""
	switch {
	case r.status == http.StatusOK && !isHealth:
		return &datasources.Error{Kind: datasources.ErrorUnavailable, Backend: Backend, Status: r.status, Err: datasources.ErrNotAnAPI,
			Message: "Zipkin's URL answers, but not as Zipkin: check that it is the server's base URL."}
	case isHealth && h.Status == "UP" && r.status == http.StatusOK:
		return nil
	case isHealth:
		return &datasources.Error{Kind: datasources.ErrorUnavailable, Backend: Backend, Status: r.status,
			Message: "Zipkin reports its health as " + h.Status + h.reasons() + "."}
	}
	return statusError(r, "")
}

// reasons lists the failing components and their errors, in name order.
func (h *health) reasons() string {
	var parts []string
	for name, d := range h.Zipkin.Details {
		if d.Status == "UP" {
			continue
		}
		p := strings.TrimSuffix(name, "{}")
		if d.Details.Error != "" {
			p += ": " + text.Shorten(d.Details.Error, 300)
		}
		parts = append(parts, p)
	}
	if len(parts) == 0 {
		return ""
	}
	slices.Sort(parts)
	return " (" + strings.Join(parts, "; ") + ")"
}
