package views

import "strconv"

// serviceColours is how many service colour classes the CSS has
// (svc-0 … svc-11).
const serviceColours = 12

// ServiceClasses gives each service of a page its colour class, in the
// order given (a trace's services in order of appearance), so the first
// twelve services of a page never share a colour.
func ServiceClasses(services []string) map[string]string {
	out := make(map[string]string, len(services))
	for _, s := range services {
		if _, ok := out[s]; !ok {
			out[s] = ServiceClass(len(out))
		}
	}
	return out
}

// ServiceClass is the colour class of the i-th service of a page.
func ServiceClass(i int) string { return "svc-" + strconv.Itoa(i%serviceColours) }
