package loki

import (
	"context"
	"encoding/json"
	"net/url"
	"strconv"
	"time"
)

// What the logs page's label picker asks Loki: stream labels scoped to a
// selector, and the fields Loki detects in the lines (Loki ≥ 3.1's
// detected_fields API). An older Loki answers 404 there, which arrives as
// datasources.ErrorNotFound for the caller to fall back on.

// LabelsOf lists the stream label names seen in the range on the streams
// of selector (every stream when it is empty).
func (c *Client) LabelsOf(ctx context.Context, selector string, start, end time.Time) ([]string, error) {
	return c.stringList(ctx, "/loki/api/v1/labels", selectorParams(selector, start, end))
}

// LabelValuesOf lists the values of label name on the streams of selector.
func (c *Client) LabelValuesOf(ctx context.Context, name, selector string, start, end time.Time) ([]string, error) {
	return c.stringList(ctx, "/loki/api/v1/label/"+url.PathEscape(name)+"/values", selectorParams(selector, start, end))
}

func selectorParams(selector string, start, end time.Time) url.Values {
	v := rangeParams(start, end)
	if selector != "" {
		v.Set("query", selector)
	}
	return v
}

// DetectedField is one field Loki found in the lines of a query: its label
// name, its type (string, int, float, boolean, duration, bytes), how many
// distinct values it had, and the parsers that find it (json, logfmt;
// none for structured metadata).
type DetectedField struct {
	Label       string   `json:"label"`
	Type        string   `json:"type"`
	Cardinality int      `json:"cardinality"`
	Parsers     []string `json:"parsers"`
	JSONPath    []string `json:"jsonPath,omitempty"`
}

// DetectedFields asks Loki which fields the lines of query hold, reading
// at most lineLimit lines (0: Loki's default, 1000).
func (c *Client) DetectedFields(ctx context.Context, query string, start, end time.Time, lineLimit int) ([]DetectedField, error) {
	body, err := c.get(ctx, "/loki/api/v1/detected_fields", detectedParams(query, start, end, lineLimit))
	if err != nil {
		return nil, err
	}
	// No envelope: {"fields":[…],"limit":1000}.
	var env struct {
		Fields []DetectedField `json:"fields"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		return nil, decodeError(err)
	}
	if env.Fields == nil {
		env.Fields = []DetectedField{}
	}
	return env.Fields, nil
}

// DetectedFieldValues lists the values Loki found for one detected field.
func (c *Client) DetectedFieldValues(ctx context.Context, name, query string, start, end time.Time, lineLimit int) ([]string, error) {
	body, err := c.get(ctx, "/loki/api/v1/detected_field/"+url.PathEscape(name)+"/values", detectedParams(query, start, end, lineLimit))
	if err != nil {
		return nil, err
	}
	var env struct {
		Values []string `json:"values"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		return nil, decodeError(err)
	}
	if env.Values == nil {
		env.Values = []string{}
	}
	return env.Values, nil
}

func detectedParams(query string, start, end time.Time, lineLimit int) url.Values {
	v := rangeParams(start, end)
	v.Set("query", query)
	if lineLimit > 0 {
		v.Set("line_limit", strconv.Itoa(lineLimit))
	}
	return v
}
