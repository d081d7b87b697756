package query

import (
	"strings"

	"github.com/ariadne-dev/ariadne/correlation/text"
	"github.com/ariadne-dev/ariadne/datasources"
)

// Params is the form as a parameter-searched backend (Jaeger, Zipkin)
// takes it, as Build is for Tempo. Attributes are exact matches, one
// key=value a line: those backends compare tags for equality only, so
// any other operator is refused with the line quoted. Those backends
// cannot ask for a root: RootService and RootName are searched as the
// service and operation (when those are unset), which any span of the
// trace may match; Matches tells the root apart once traces are fetched.
func (f TraceFilter) Params() (datasources.TraceQuery, error) {
	q := datasources.TraceQuery{Service: f.Service, Operation: f.SpanName, ErrorsOnly: f.ErrorsOnly,
		MinDuration: f.MinDuration, MaxDuration: f.MaxDuration}
	if q.Service == "" && q.Operation == "" {
		q.Service, q.Operation = f.RootService, f.RootName
	}
	for _, line := range f.Attributes {
		k, val, ok := strings.Cut(line, "=")
		k, val = strings.TrimSpace(k), strings.Trim(strings.TrimSpace(val), `"`)
		if !ok || k == "" || strings.ContainsAny(k, "<>!~ ") {
			return q, &attrError{line}
		}
		q.Attributes = append(q.Attributes, datasources.Attribute{Key: k, Value: val})
	}
	return q, nil
}

type attrError struct{ line string }

func (e *attrError) Error() string {
	return `Attribute "` + text.Visible(text.Shorten(e.line, 80)) + `" is not key=value: this backend matches attributes exactly.`
}
