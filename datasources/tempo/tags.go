package tempo

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ariadne-dev/ariadne/datasources"
)

// TagNames lists attribute names Tempo has seen. scope is one of resource,
// span, intrinsic, event, link, instrumentation, or "" for all of them. It
// asks v2 first and falls back to v1 (Tempo before 2.2) on 404. Names are
// sorted and distinct.
func (c *Client) TagNames(ctx context.Context, scope string, start, end time.Time) ([]string, error) {
	q := timeRange(url.Values{}, start, end)
	if scope != "" {
		q.Set("scope", scope)
	}
	r, err := c.get(ctx, "/api/v2/search/tags", q, "application/json")
	if err != nil {
		return nil, err
	}
	var names []string
	if r.status == http.StatusNotFound {
		if r, err = c.get(ctx, "/api/search/tags", q, "application/json"); err != nil {
			return nil, err
		}
		if r.status != http.StatusOK {
			return nil, statusError(r, "Tempo's tag endpoint was not found; check the Tempo URL.")
		}
		var w struct {
			TagNames []string `json:"tagNames"`
		}
		if err := json.Unmarshal(r.body, &w); err != nil {
			return nil, tagDecodeError(err)
		}
		names = w.TagNames
	} else {
		if r.status != http.StatusOK {
			return nil, statusError(r, "")
		}
		var w struct {
			Scopes []struct {
				Name string   `json:"name"`
				Tags []string `json:"tags"`
			} `json:"scopes"`
		}
		if err := json.Unmarshal(r.body, &w); err != nil {
			return nil, tagDecodeError(err)
		}
		for _, s := range w.Scopes {
			if scope == "" || s.Name == scope {
				names = append(names, s.Tags...)
			}
		}
	}
	slices.Sort(names)
	return slices.Compact(names), nil
}

// TagValues lists the values of one attribute. tag is a TraceQL identifier
// (resource.service.name, span.http.route, .service.name, status); a bare
// name such as service.name is taken as unscoped. v1 (on a v2 404) gets
// the name without its scope, which is all v1 understands.
func (c *Client) TagValues(ctx context.Context, tag string, start, end time.Time) ([]string, error) {
	ident := traceQLIdent(tag)
	q := timeRange(url.Values{}, start, end)
	q.Set("limit", strconv.Itoa(MaxTagValues))
	r, err := c.get(ctx, "/api/v2/search/tag/"+url.PathEscape(ident)+"/values", q, "application/json")
	if err != nil {
		return nil, err
	}
	var values []string
	if r.status == http.StatusNotFound {
		if r, err = c.get(ctx, "/api/search/tag/"+url.PathEscape(bareName(ident))+"/values", q, "application/json"); err != nil {
			return nil, err
		}
		if r.status != http.StatusOK {
			return nil, statusError(r, "Tempo's tag endpoint was not found; check the Tempo URL.")
		}
		var w struct {
			TagValues []string `json:"tagValues"`
		}
		if err := json.Unmarshal(r.body, &w); err != nil {
			return nil, tagDecodeError(err)
		}
		values = w.TagValues
	} else {
		if r.status != http.StatusOK {
			return nil, statusError(r, "")
		}
		var w struct {
			TagValues []struct {
				Type  string `json:"type"`
				Value string `json:"value"`
			} `json:"tagValues"`
		}
		if err := json.Unmarshal(r.body, &w); err != nil {
			return nil, tagDecodeError(err)
		}
		values = make([]string, 0, len(w.TagValues))
		for _, v := range w.TagValues {
			values = append(values, v.Value)
		}
	}
	slices.Sort(values)
	values = slices.Compact(values)
	// A Tempo older than the limit parameter answers everything.
	return values[:min(len(values), MaxTagValues)], nil
}

// MaxTagValues bounds the values TagValues asks for and returns: span names
// can be unique per span (telemetrygen's okey-dokey-N), and a million of
// them would weigh on every page that lists choices.
const MaxTagValues = 1000

var scopePrefixes = []string{"resource.", "span.", "event.", "link.", "instrumentation.", "."}

// traceQLIdent makes a bare attribute name unscoped (".name"); scoped names
// and intrinsics (status, span:name, rootServiceName, …) pass unchanged.
func traceQLIdent(tag string) string {
	tag = strings.TrimSpace(tag)
	for _, p := range scopePrefixes {
		if strings.HasPrefix(tag, p) {
			return tag
		}
	}
	if strings.Contains(tag, ":") || !strings.Contains(tag, ".") {
		return tag // intrinsic, or a one-word name v2 also accepts bare
	}
	return "." + tag
}

func bareName(ident string) string {
	for _, p := range scopePrefixes {
		if strings.HasPrefix(ident, p) {
			return ident[len(p):]
		}
	}
	return ident
}

func tagDecodeError(err error) error {
	return &datasources.Error{Kind: datasources.ErrorUnavailable, Backend: Backend,
		Message: "Tempo sent tags that could not be read.", Err: err}
}
