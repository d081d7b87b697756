package grafana

import (
	"fmt"
	"strings"
)

// Lookup is what a provisioning value's variables are read from: the
// environment, and the files $__file{…} names (already bounded in size).
type Lookup struct {
	Env      func(name string) string
	ReadFile func(path string) ([]byte, error)
}

// Expand replaces the variables of one provisioning value as Grafana's
// provisioning does: $$ is a literal $, ${NAME} and $NAME the environment
// variable (empty when unset), $__env{NAME} the same, and $__file{path}
// the file's content with surrounding whitespace trimmed.
//
// Two differences, both on purpose. A value is expanded once: what a
// variable brings in is never expanded again (Grafana's second pass turns
// a password Pa$sw0rd into Pa). And a name that begins with two
// underscores, or a braced name that is not a plain identifier, is
// Grafana's own query variable ($__tags, ${__span.traceId}): it is kept as
// written, not replaced by an empty environment variable, so a file that
// forgot to write $$ still means what its author meant.
func Expand(s string, lk Lookup) (string, error) {
	if !strings.Contains(s, "$") {
		return s, nil
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if s[i] != '$' {
			j := strings.IndexByte(s[i:], '$')
			if j < 0 {
				j = len(s) - i
			}
			b.WriteString(s[i : i+j])
			i += j
			continue
		}
		rest := s[i+1:]
		switch {
		case strings.HasPrefix(rest, "$"):
			b.WriteByte('$')
			i += 2
		case strings.HasPrefix(rest, "__file{"), strings.HasPrefix(rest, "__env{"):
			open := strings.IndexByte(rest, '{')
			end := strings.IndexByte(rest, '}')
			if end < 0 {
				return "", fmt.Errorf("%q: unclosed $%s", s, rest[:open+1])
			}
			arg := rest[open+1 : end]
			if rest[:open] == "__env" {
				b.WriteString(env(lk, arg))
			} else {
				if lk.ReadFile == nil {
					return "", fmt.Errorf("$__file{%s}: files cannot be read here", arg)
				}
				data, err := lk.ReadFile(arg)
				if err != nil {
					return "", fmt.Errorf("$__file{%s}: %w", arg, err)
				}
				b.WriteString(strings.TrimSpace(string(data)))
			}
			i += 1 + end + 1
		case strings.HasPrefix(rest, "{"):
			end := strings.IndexByte(rest, '}')
			name := ""
			if end > 0 {
				name = rest[1:end]
			}
			if !isEnvName(name) {
				b.WriteByte('$') // ${__span.traceId} and friends: Grafana's, kept
				i++
				continue
			}
			b.WriteString(env(lk, name))
			i += 1 + end + 1
		default:
			n := identLen(rest)
			name := rest[:n]
			if !isEnvName(name) {
				b.WriteByte('$')
				i++
				continue
			}
			b.WriteString(env(lk, name))
			i += 1 + n
		}
	}
	return b.String(), nil
}

func env(lk Lookup, name string) string {
	if lk.Env == nil {
		return ""
	}
	return lk.Env(name)
}

// identLen is the length of the identifier at the start of s.
func identLen(s string) int {
	n := 0
	for n < len(s) {
		c := s[n]
		if c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || n > 0 && c >= '0' && c <= '9' {
			n++
			continue
		}
		break
	}
	return n
}

// isEnvName says whether name is an environment variable Expand replaces:
// an identifier not in Grafana's own __ namespace.
func isEnvName(name string) bool {
	return name != "" && identLen(name) == len(name) && !strings.HasPrefix(name, "__")
}
