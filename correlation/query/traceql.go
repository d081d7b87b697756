package query

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// TraceFilter is the trace search form. Build compiles it to TraceQL,
// which the page shows in an editable box.
type TraceFilter struct {
	Service     string
	SpanName    string
	MinDuration time.Duration
	MaxDuration time.Duration
	ErrorsOnly  bool
	// Attributes are "key=value" pairs; the key may carry a scope
	// (span., resource.) or not (either scope matches).
	Attributes []string
	// RootService and RootName match the trace's root span only (TraceQL's
	// rootServiceName and rootName): "traces like this one" are those
	// with the same root, not any trace passing through that operation.
	// The form has no field for them; Jaeger and Zipkin search by service
	// and operation instead (see Params).
	RootService, RootName string
}

// Empty reports whether no field of the form is set.
func (f TraceFilter) Empty() bool {
	return f.Service == "" && f.SpanName == "" && f.MinDuration == 0 && f.MaxDuration == 0 && !f.ErrorsOnly && len(f.Attributes) == 0 &&
		f.RootService == "" && f.RootName == ""
}

// Build compiles the form to one TraceQL spanset filter. Every value is
// quoted and escaped, so no input can change the query's structure.
func (f TraceFilter) Build() (string, error) {
	var conds []string
	if f.RootService != "" {
		conds = append(conds, "rootServiceName = "+QuoteTraceQL(f.RootService))
	}
	if f.RootName != "" {
		conds = append(conds, "rootName = "+QuoteTraceQL(f.RootName))
	}
	if f.Service != "" {
		conds = append(conds, "resource.service.name = "+QuoteTraceQL(f.Service))
	}
	if f.SpanName != "" {
		conds = append(conds, "name = "+QuoteTraceQL(f.SpanName))
	}
	if f.ErrorsOnly {
		conds = append(conds, "status = error")
	}
	if f.MinDuration > 0 {
		conds = append(conds, "duration >= "+traceQLDuration(f.MinDuration))
	}
	if f.MaxDuration > 0 {
		if f.MinDuration > 0 && f.MaxDuration < f.MinDuration {
			return "", fmt.Errorf("max duration %s is below min duration %s", f.MaxDuration, f.MinDuration)
		}
		conds = append(conds, "duration <= "+traceQLDuration(f.MaxDuration))
	}
	for _, kv := range f.Attributes {
		k, v, ok := strings.Cut(kv, "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if !ok || k == "" {
			return "", fmt.Errorf("attribute %q: write it as key=value", kv)
		}
		ident, err := traceQLAttribute(k)
		if err != nil {
			return "", err
		}
		conds = append(conds, ident+" = "+traceQLValue(v))
	}
	if len(conds) == 0 {
		return "{}", nil
	}
	return "{ " + strings.Join(conds, " && ") + " }", nil
}

// QuoteTraceQL writes s as a TraceQL string literal.
func QuoteTraceQL(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\t':
			b.WriteString(`\t`)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// traceQLValue keeps numbers and booleans bare (so `http.status_code=500`
// compares as an int) and quotes everything else.
func traceQLValue(v string) string {
	if v == "true" || v == "false" {
		return v
	}
	if _, err := strconv.ParseInt(v, 10, 64); err == nil {
		return v
	}
	if _, err := strconv.ParseFloat(v, 64); err == nil && !strings.ContainsAny(v, "xXnN") {
		return v
	}
	return QuoteTraceQL(strings.Trim(v, `"`))
}

// traceQLAttribute turns a key into an attribute reference: scoped keys
// stay, bare ones get the "either scope" dot; unusual characters are quoted.
func traceQLAttribute(k string) (string, error) {
	scope := "."
	for _, s := range []string{"span.", "resource."} {
		if strings.HasPrefix(k, s) {
			scope, k = s, strings.TrimPrefix(k, s)
		}
	}
	if k == "" {
		return "", fmt.Errorf("attribute name missing after %q", scope)
	}
	for _, r := range k {
		if !(r == '.' || r == '_' || r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return scope + QuoteTraceQL(k), nil
		}
	}
	return scope + k, nil
}

// traceQLDuration writes d in the largest exact unit TraceQL knows.
func traceQLDuration(d time.Duration) string {
	for _, u := range []struct {
		d    time.Duration
		name string
	}{{time.Hour, "h"}, {time.Minute, "m"}, {time.Second, "s"}, {time.Millisecond, "ms"}, {time.Microsecond, "us"}} {
		if d%u.d == 0 {
			return strconv.FormatInt(int64(d/u.d), 10) + u.name
		}
	}
	return strconv.FormatInt(int64(d), 10) + "ns"
}
