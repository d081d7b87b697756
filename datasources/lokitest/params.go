package lokitest

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// badRequest is a 400 with Loki's plain-text message.
type badRequest string

func (e badRequest) Error() string { return string(e) }

// parseTime reads start/end/time as Loki does: an integer of up to 10
// digits is seconds, a longer one nanoseconds, a decimal is float seconds,
// anything else must be RFC3339 with a zone.
func parseTime(r *http.Request, name string, def int64) (int64, error) {
	v := r.Form.Get(name)
	if v == "" {
		return def, nil
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		digits := len(strings.TrimPrefix(v, "-"))
		if digits <= 10 {
			return n * int64(time.Second), nil
		}
		return n, nil
	}
	if strings.Contains(v, ".") {
		if f, err := strconv.ParseFloat(v, 64); err == nil && !math.IsNaN(f) && !math.IsInf(f, 0) {
			sec, frac := math.Modf(f)
			return int64(sec)*int64(time.Second) + int64(math.Round(frac*1e9)), nil
		}
	}
	if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		return t.UnixNano(), nil
	}
	_, err := strconv.ParseInt(v, 10, 64)
	return 0, badRequest(fmt.Sprintf("could not parse '%s' parameter: %v", name, err))
}

// parseStep reads a duration (15s, 1m) or float seconds.
func parseStep(v string) (time.Duration, error) {
	if f, err := strconv.ParseFloat(v, 64); err == nil {
		return time.Duration(f * float64(time.Second)), nil
	}
	if d, err := parseDuration(v); err == nil {
		return d, nil
	}
	return 0, badRequest(fmt.Sprintf("could not parse 'step' parameter: cannot parse %q to a valid duration", v))
}

// rangeParams are the parsed parameters of query_range.
type rangeParams struct {
	query      string
	start, end int64
	limit      int
	forward    bool
	step       time.Duration
}

func (s *Server) parseRange(r *http.Request, logQuery bool) (rangeParams, error) {
	p := rangeParams{query: r.Form.Get("query"), limit: 100}
	var err error
	now := s.now().UnixNano()
	if p.end, err = parseTime(r, "end", now); err != nil {
		return p, err
	}
	since := time.Hour
	if v := r.Form.Get("since"); v != "" {
		if since, err = parseDuration(v); err != nil {
			return p, badRequest(fmt.Sprintf("could not parse 'since' parameter: %v", err))
		}
	}
	if p.start, err = parseTime(r, "start", p.end-int64(since)); err != nil {
		return p, err
	}
	if p.end < p.start {
		return p, badRequest("end timestamp must not be before or equal to start time")
	}
	if v := r.Form.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return p, badRequest(fmt.Sprintf("could not parse 'limit' parameter: %v", err))
		}
		if n <= 0 {
			return p, badRequest("limit must be a positive value")
		}
		p.limit = n
	}
	switch d := strings.ToLower(r.Form.Get("direction")); d {
	case "", "backward":
	case "forward":
		p.forward = true
	default:
		return p, badRequest(fmt.Sprintf("invalid direction '%s'", r.Form.Get("direction")))
	}
	if length := time.Duration(p.end - p.start); s.maxQueryLength > 0 && length > s.maxQueryLength {
		return p, badRequest(fmt.Sprintf("the query time range exceeds the limit (query length: %s, limit: %s)",
			length, promDuration(s.maxQueryLength)))
	}
	if logQuery {
		if p.limit > s.maxEntries {
			return p, badRequest(fmt.Sprintf("max entries limit per query exceeded, limit > max_entries_limit_per_query (%d > %d)", p.limit, s.maxEntries))
		}
		return p, nil
	}
	if v := r.Form.Get("step"); v != "" {
		if p.step, err = parseStep(v); err != nil {
			return p, err
		}
		if p.step <= 0 {
			return p, badRequest("zero or negative query resolution step widths are not accepted. Try a positive integer")
		}
	} else {
		p.step = max(time.Second, time.Duration((p.end-p.start)/250/int64(time.Second))*time.Second)
	}
	if (p.end-p.start)/int64(p.step) > 11000 {
		return p, badRequest("exceeded maximum resolution of 11,000 points per time series. Try increasing the value of the step parameter")
	}
	return p, nil
}

// promDuration formats d as Prometheus and Loki do: 30d1h, 5m, 1h30m;
// years and weeks only when they divide d exactly.
func promDuration(d time.Duration) string {
	if d < time.Millisecond {
		return "0s"
	}
	var b strings.Builder
	units := []struct {
		name  string
		d     time.Duration
		exact bool
	}{{"y", 365 * 24 * time.Hour, true}, {"w", 7 * 24 * time.Hour, true}, {"d", 24 * time.Hour, false},
		{"h", time.Hour, false}, {"m", time.Minute, false}, {"s", time.Second, false}, {"ms", time.Millisecond, false}}
	for _, u := range units {
		if u.exact && d%u.d != 0 {
			continue
		}
		if n := d / u.d; n > 0 {
			fmt.Fprintf(&b, "%d%s", n, u.name)
			d -= n * u.d
		}
	}
	return b.String()
}
