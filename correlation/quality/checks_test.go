package quality

import (
	"strings"
	"testing"
)

// piiKind's prefilters only skip what its regexes could not match.
func TestPIIPrefiltersAgreeWithTheRegexes(t *testing.T) {
	regexOnly := func(v string) string {
		switch {
		case emailRe.MatchString(v):
			return "an e-mail address"
		case bearerRe.MatchString(v) || jwtRe.MatchString(v):
			return "a bearer token"
		}
		for _, m := range cardRe.FindAllStringSubmatch(v, -1) {
			if isCardNumber(m[2]) {
				return "a card number"
			}
		}
		return ""
	}
	for _, v := range []string{"", "@", "@a a@b.co", "ann@example.com", "x@y", "BEARER abcdefghijklmnopqrstuvwxyz", "xbearer abcdefghijklmnopqrstuvwxyz",
		"auth: beArer abcdefghijklmnopqrstuvwxyz=", "b", "eyJhbGciOiJI.eyJzdWIiOiIx.SflKxwRJSMeK", "4111 1111 1111 1111", "4111-1111-1111-111", "card 5500 0000 0000 0004 ok",
		"GET /api/orders/42", "1764604258000000004", "12345 6789 0123", "4111  1111 1111 1111", "4-1-1-1-1-1-1-1-1-1-1-1-1", "ts=1764604258 id=998877665544", "okey-dokey-7", strings.Repeat("b", 300) + "bearer " + strings.Repeat("A", 20)} {
		if got, want := piiKind(v), regexOnly(v); got != want {
			t.Errorf("piiKind(%q) = %q, the regexes say %q", v, got, want)
		}
	}
}
