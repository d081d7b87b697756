package zipkin

import (
	"context"
	"net/url"
)

// The name lists Zipkin keeps for its search form. Zipkin sorts them; an
// unknown service has none (an empty list, not an error).

// Services lists the service names of stored spans' local endpoints.
func (c *Client) Services(ctx context.Context) ([]string, error) {
	return c.names(ctx, "/api/v2/services", nil)
}

// SpanNames lists the span names recorded by service.
func (c *Client) SpanNames(ctx context.Context, service string) ([]string, error) {
	return c.names(ctx, "/api/v2/spans", url.Values{"serviceName": {service}})
}

// RemoteServices lists the remote endpoints' service names of service's
// spans: what it calls, including services that are not traced.
func (c *Client) RemoteServices(ctx context.Context, service string) ([]string, error) {
	return c.names(ctx, "/api/v2/remoteServices", url.Values{"serviceName": {service}})
}

// AutocompleteKeys lists the tag keys Zipkin indexes values of (its
// AUTOCOMPLETE_KEYS setting; none by default).
func (c *Client) AutocompleteKeys(ctx context.Context) ([]string, error) {
	return c.names(ctx, "/api/v2/autocompleteKeys", nil)
}

// AutocompleteValues lists the values seen for one autocomplete key; a key
// Zipkin does not index has none.
func (c *Client) AutocompleteValues(ctx context.Context, key string) ([]string, error) {
	return c.names(ctx, "/api/v2/autocompleteValues", url.Values{"key": {key}})
}

func (c *Client) names(ctx context.Context, path string, q url.Values) ([]string, error) {
	var out []string
	if err := c.getJSON(ctx, path, q, &out); err != nil {
		return nil, err
	}
	return out, nil
}
