package quality

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"

	"github.com/ariadne-dev/ariadne/datasources"
)

// genericNames are names that name no operation, compared lower-case
// with everything but letters and digits removed (doStuff, do_stuff).
var genericNames = map[string]bool{
	"": true, "handler": true, "handle": true, "handlerequest": true, "servehttp": true, "dostuff": true,
	"do": true, "dowork": true, "work": true, "run": true, "execute": true, "exec": true, "process": true,
	"span": true, "myspan": true, "newspan": true, "operation": true, "op": true, "unknown": true,
	"function": true, "func": true, "call": true, "request": true, "main": true, "task": true,
	"method": true, "invoke": true, "test": true, "todo": true, "default": true, "anonymous": true,
}

func checkGenericName(s *datasources.Span, _ []datasources.Attribute) string {
	var b strings.Builder
	for _, r := range s.Name {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	if !genericNames[b.String()] {
		return ""
	}
	if strings.TrimSpace(s.Name) == "" {
		return "the span has no name"
	}
	return fmt.Sprintf("%q names no operation", s.Name)
}

var uuidRe = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// idKind says what kind of ID a name's token is, "" for none: all
// digits, a UUID, 8 or more hex digits with a digit among them, or a
// word with a run of 4 or more digits (ord-199603, user_12345).
func idKind(tok string) string {
	switch {
	case tok == "":
		return ""
	case uuidRe.MatchString(tok):
		return "a UUID"
	case isAll(tok, isDigit):
		return "a number"
	case len(tok) >= 8 && isAll(tok, isHex) && strings.IndexFunc(tok, isDigit) >= 0:
		return "a hex ID"
	case digitRun(tok) >= 4:
		return "an ID"
	}
	return ""
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }
func isHex(r rune) bool   { return isDigit(r) || (r >= 'a' && r <= 'f') || (r >= 'A' && r <= 'F') }

func isAll(s string, f func(rune) bool) bool {
	for _, r := range s {
		if !f(r) {
			return false
		}
	}
	return true
}

func digitRun(s string) int {
	best, cur := 0, 0
	for _, r := range s {
		if isDigit(r) {
			cur++
			best = max(best, cur)
		} else {
			cur = 0
		}
	}
	return best
}

func checkIDInName(s *datasources.Span, _ []datasources.Attribute) string {
	// Tokens are path segments and words; a port after a colon
	// (localhost:8080) and a {template} are not IDs.
	seps := func(r rune) bool { return strings.ContainsRune(" /?&=,;\t", r) }
	for _, word := range strings.FieldsFunc(s.Name, seps) {
		parts := strings.Split(word, ":")
		for i, tok := range parts {
			tok = strings.Trim(tok, "()[]'\"")
			if i > 0 && len(tok) <= 5 && isAll(tok, isDigit) {
				continue
			}
			if strings.HasPrefix(tok, "{") || strings.HasPrefix(tok, "<") {
				continue
			}
			if k := idKind(tok); k != "" {
				return fmt.Sprintf("%q holds %s (%s)", s.Name, k, tok)
			}
		}
	}
	return ""
}

// has reports whether any of keys is among attrs.
func has(attrs []datasources.Attribute, keys ...string) bool {
	for _, k := range keys {
		if _, ok := datasources.Attr(attrs, k); ok {
			return true
		}
	}
	return false
}

func hasPrefix(attrs []datasources.Attribute, prefix string) bool {
	for _, a := range attrs {
		if strings.HasPrefix(a.Key, prefix) {
			return true
		}
	}
	return false
}

// checkHTTP: a span is HTTP when it carries http.* attributes and is a
// server or client span. A deprecated name counts as present here (the
// deprecated-attribute rule reports the rename), and a missing status code
// is fine when the request failed before any response (error.type set).
func checkHTTP(s *datasources.Span, attrs []datasources.Attribute) string {
	if s.Kind != datasources.KindServer && s.Kind != datasources.KindClient || !hasPrefix(attrs, "http.") {
		return ""
	}
	var missing []string
	if !has(attrs, "http.request.method", "http.method") {
		missing = append(missing, "http.request.method")
	}
	if !has(attrs, "http.response.status_code", "http.status_code", "error.type") {
		missing = append(missing, "http.response.status_code")
	}
	if s.Kind == datasources.KindServer && !has(attrs, "http.route") {
		missing = append(missing, "http.route")
	}
	if len(missing) == 0 {
		return ""
	}
	return "no " + strings.Join(missing, ", no ")
}

// checkDBSystem: a database span is one with db.* attributes.
func checkDBSystem(s *datasources.Span, attrs []datasources.Attribute) string {
	if !hasPrefix(attrs, "db.") || has(attrs, "db.system.name", "db.system") {
		return ""
	}
	return "db.* attributes but no db.system.name"
}

func checkUnexplainedError(s *datasources.Span, _ []datasources.Attribute) string {
	if s.Status != datasources.StatusError || strings.TrimSpace(s.StatusMsg()) != "" {
		return ""
	}
	for _, e := range s.Events() {
		if e.Name == "exception" {
			return ""
		}
	}
	return "status error with no message and no exception event"
}

var (
	emailRe = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}`)
	// Card numbers: 13 to 19 digits, maybe grouped by spaces or dashes.
	cardRe   = regexp.MustCompile(`(^|[^0-9])([0-9](?:[ \-]?[0-9]){12,18})($|[^0-9])`)
	bearerRe = regexp.MustCompile(`(?i)\bbearer\s+[A-Za-z0-9\-._~+/]{16,}=*`)
	jwtRe    = regexp.MustCompile(`\beyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}`)
)

// piiKind says what personal data or secret v looks like, "" for none.
//
// Each regex runs only where what it needs is there (an @, "bearer",
// "eyJ", 13 digits in a row): the checks run over every attribute of up to 10,000
// spans before the page is done, and the regexes alone took ≈ 180 ms of
// a 10,000-span trace page.
func piiKind(v string) string {
	switch {
	case strings.IndexByte(v, '@') >= 0 && emailRe.MatchString(v):
		return "an e-mail address"
	case containsFold(v, "bearer") && bearerRe.MatchString(v), strings.Contains(v, "eyJ") && jwtRe.MatchString(v):
		return "a bearer token"
	}
	if !cardDigits(v, 13) {
		return ""
	}
	for _, m := range cardRe.FindAllStringSubmatch(v, -1) {
		if isCardNumber(m[2]) {
			return "a card number"
		}
	}
	return ""
}

// containsFold reports whether s holds the lower-case ASCII word sub in any
// case, without lowering a copy of s.
func containsFold(s, sub string) bool {
	first := string([]byte{sub[0], sub[0] - 'a' + 'A'})
	for i := 0; i+len(sub) <= len(s); i++ {
		j := strings.IndexAny(s[i:], first)
		if j < 0 || i+j+len(sub) > len(s) {
			return false
		}
		if i += j; strings.EqualFold(s[i:i+len(sub)], sub) {
			return true
		}
	}
	return false
}

// cardDigits reports whether s holds n digits in a row, each maybe parted
// from the one before by a space or a dash, as card numbers are written.
func cardDigits(s string, n int) bool {
	run := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			if run++; run >= n {
				return true
			}
		case (c == ' ' || c == '-') && run > 0 && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9':
		default:
			run = 0
		}
	}
	return false
}

// isCardNumber: 13 to 19 digits, a card network's first digit (2 to 6:
// Mastercard, Amex, Visa, Discover and the like; unix times start with
// 1), and the Luhn check.
func isCardNumber(s string) bool {
	digits := make([]int, 0, 19)
	for _, r := range s {
		if isDigit(r) {
			digits = append(digits, int(r-'0'))
		}
	}
	if len(digits) < 13 || len(digits) > 19 || digits[0] < 2 || digits[0] > 6 {
		return false
	}
	sum := 0
	for i := range digits {
		d := digits[len(digits)-1-i]
		if i%2 == 1 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}

// checkPII looks at span and resource attribute values (event attributes
// hold messages and stack traces, read by people on purpose). The detail
// names the key, never the value.
func checkPII(s *datasources.Span, attrs []datasources.Attribute) string {
	var hits []string
	look := func(attrs []datasources.Attribute, where string) {
		for _, a := range attrs {
			if k := piiKind(a.Value); k != "" {
				hits = append(hits, fmt.Sprintf("%s%s looks like %s", where, a.Key, k))
			}
		}
	}
	look(attrs, "")
	if s.Resource != nil {
		look(s.Resource.Attributes, "resource ")
	}
	return list(hits)
}

func checkLargeValue(s *datasources.Span, attrs []datasources.Attribute) string {
	var hits []string
	for _, a := range attrs {
		if len(a.Value) > LargeValueBytes {
			hits = append(hits, fmt.Sprintf("%s is %s", a.Key, bytesText(len(a.Value))))
		}
	}
	return list(hits)
}

func bytesText(n int) string {
	if n < 1<<20 {
		return fmt.Sprintf("%.1f KiB", float64(n)/1024)
	}
	return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
}

func checkAttributeCount(s *datasources.Span, attrs []datasources.Attribute) string {
	switch n := len(attrs); {
	case n > AttributeCountLimit:
		return fmt.Sprintf("%d attributes, over the default limit of %d", n, AttributeCountLimit)
	case n == AttributeCountLimit:
		return fmt.Sprintf("exactly %d attributes, the default limit: later ones were probably dropped", n)
	}
	return ""
}

func checkDeprecated(s *datasources.Span, attrs []datasources.Attribute) string {
	var hits []string
	for _, a := range attrs {
		if now, ok := deprecated[a.Key]; ok {
			note := ""
			if has(attrs, strings.Fields(now)[0]) {
				note = ", already set too"
			}
			hits = append(hits, fmt.Sprintf("%s (now %s%s)", a.Key, now, note))
		}
	}
	return list(hits)
}
