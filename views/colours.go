package views

import (
	"hash/fnv"
	"strconv"
)

// serviceColours is how many service colour classes the CSS has
// (svc-0 … svc-11).
const serviceColours = 12

// ServiceClass is a service's colour class, derived from its name alone,
// so a service has the same colour on every page (trace, logs, log
// context, search, investigations, share): it was its index on the page,
// and payments was pink on one page and orange on the next. With twelve
// colours two services can share one; the name is always written beside
// the colour, so colour is never the only cue.
func ServiceClass(service string) string {
	h := fnv.New32a()
	h.Write([]byte(service))
	return "svc-" + strconv.Itoa(int(h.Sum32()%serviceColours))
}

// ServiceClasses is ServiceClass for each of services.
func ServiceClasses(services []string) map[string]string {
	out := make(map[string]string, len(services))
	for _, s := range services {
		out[s] = ServiceClass(s)
	}
	return out
}
