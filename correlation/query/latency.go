package query

import (
	"errors"
	"strconv"
	"strings"
)

// The latency graph: a quantile of the HTTP request-duration histogram,
// the demo's and OpenTelemetry's usual name. The graph page's example and
// its service + route builder are both written by LatencyQuery.
const (
	// LatencyHistogram is the request-duration histogram's metric name.
	LatencyHistogram = "http_server_request_duration_seconds"
	// LatencyRateWindow is the rate window of the latency graphs.
	LatencyRateWindow = "1m"
)

// Quantiles are the quantiles the builder offers, most used first.
var Quantiles = []string{"0.99", "0.95", "0.9", "0.5", "0.999"}

// Latency is what the builder chose. Empty Service or Route means every
// one; the series are then split by what is not chosen (by route for one
// service, by service for all), so one line never hides the others.
type Latency struct {
	Quantile string // "0.99"; empty means 0.99
	Service  string
	Route    string
}

// LatencyQuery writes l as PromQL, e.g. for orders' /checkout:
//
//	histogram_quantile(0.99, sum by (le) (rate(http_server_request_duration_seconds_bucket{service="orders", route="/checkout"}[1m])))
func LatencyQuery(l Latency) string {
	q := l.Quantile
	if q == "" {
		q = "0.99"
	}
	by := "le"
	switch {
	case l.Service == "" && l.Route == "":
		by += ", service"
	case l.Route == "":
		by += ", route"
	}
	sel := LatencyHistogram + "_bucket"
	var ms []string
	if l.Service != "" {
		ms = append(ms, promMatcher("service", l.Service))
	}
	if l.Route != "" {
		ms = append(ms, promMatcher("route", l.Route))
	}
	if len(ms) > 0 {
		sel += "{" + strings.Join(ms, ", ") + "}"
	}
	return "histogram_quantile(" + q + ", sum by (" + by + ") (rate(" + sel + "[" + LatencyRateWindow + "])))"
}

// ParseQuantile reads a quantile from a form: a number in (0, 1], written
// back in its shortest form ("0.990" is "0.99"). Empty is 0.99.
func ParseQuantile(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "0.99", nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || !(f > 0 && f <= 1) {
		return "", errors.New("a quantile is a number above 0 and at most 1, e.g. 0.99")
	}
	return strconv.FormatFloat(f, 'f', -1, 64), nil
}
