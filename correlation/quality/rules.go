package quality

import (
	"fmt"
	"strings"

	"github.com/ariadne-dev/ariadne/datasources"
)

// Rule is one piece of good practice a span can break.
type Rule struct {
	ID     string // stable, for URLs and tests: "generic-name"
	Title  string // what is wrong, as a heading
	Reason string // why it matters
	Fix    string // what to change in the instrumentation
	// check returns what is wrong with s (one line, naming attributes by
	// key, never quoting a suspected secret), or "" when s passes.
	check func(s *datasources.Span, attrs []datasources.Attribute) string
}

// Limits the rules use.
const (
	// AttributeCountLimit is the OpenTelemetry SDKs' default
	// AttributeCountLimit (OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT): attributes
	// past it are dropped by the SDK, so a span at it has probably lost
	// some.
	AttributeCountLimit = 128
	// LargeValueBytes is where an attribute value is "very large": backends
	// truncate or refuse such spans, and every query pays for them.
	// Event attributes (stack traces) are not counted.
	LargeValueBytes = 4096
)

// rules is the whole table, in the order pages list them.
var rules = []Rule{
	{
		ID:     "generic-name",
		Title:  "Generic span name",
		Reason: "A name like Handler or doStuff says nothing in a waterfall or a search, and every span named so looks the same.",
		Fix:    "Name the operation: for HTTP the method and route template (GET /api/orders/{id}), for a database the operation and table (SELECT orders), otherwise what the code does (reserve stock).",
		check:  checkGenericName,
	},
	{
		ID:     "id-in-name",
		Title:  "Span name with an ID in it",
		Reason: "A name that holds an ID, a number or a UUID makes one operation into thousands: statistics, baselines and span-name indexes split by it (cardinality).",
		Fix:    "Use the template (/api/orders/{id}) or the operation alone in the name, and put the ID in an attribute (order.id).",
		check:  checkIDInName,
	},
	{
		ID:     "http-attributes",
		Title:  "HTTP span without its essential attributes",
		Reason: "Without http.request.method, http.response.status_code and, on servers, http.route, a span cannot be grouped by endpoint or judged failed or not, and RED metrics from spans break.",
		Fix:    "Use the HTTP instrumentation of your framework (otelhttp and the like) or set the attributes of the OpenTelemetry HTTP semantic conventions; http.route is the route template, not the path.",
		check:  checkHTTP,
	},
	{
		ID:     "db-system",
		Title:  "Database span without db.system.name",
		Reason: "Without the database system a client span cannot be told to be a database call, and per-database views and statement parsing do not apply.",
		Fix:    "Set db.system.name (postgresql, mysql, redis, …), or db.system in the older conventions.",
		check:  checkDBSystem,
	},
	{
		ID:     "error-unexplained",
		Title:  "Error without a message or exception",
		Reason: "A span marked failed with neither a status message nor an exception event tells the on-call engineer that something failed, but not what.",
		Fix:    "Record the error: span.RecordError(err) (an exception event) and span.SetStatus(codes.Error, err.Error()).",
		check:  checkUnexplainedError,
	},
	{
		ID:     "pii",
		Title:  "Attribute that looks like personal data or a secret",
		Reason: "Traces are kept and read widely, seldom under the rules for personal data: an e-mail address, a card number or a bearer token in an attribute is a leak.",
		Fix:    "Do not record it; use an opaque ID (user.id), or redact in the collector (the redaction or attributes processor).",
		check:  checkPII,
	},
	{
		ID:     "large-value",
		Title:  "Very large attribute value",
		Reason: fmt.Sprintf("Values over %d bytes are truncated or refused by backends and slow every search and page that reads the span.", LargeValueBytes),
		Fix:    "Record a summary, a hash or a reference instead of the payload; set an attribute value length limit (OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT).",
		check:  checkLargeValue,
	},
	{
		ID:     "too-many-attributes",
		Title:  "More attributes than the SDK limit",
		Reason: fmt.Sprintf("OpenTelemetry SDKs keep %d attributes per span by default and drop the rest silently, so a span at or over that count has probably lost some, and which ones is chance.", AttributeCountLimit),
		Fix:    "Record fewer attributes (move per-item details to events or child spans), or raise OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT knowingly.",
		check:  checkAttributeCount,
	},
	{
		ID:     "deprecated-attribute",
		Title:  "Deprecated attribute name",
		Reason: "Attributes renamed by the OpenTelemetry semantic conventions are not found by queries, dashboards and tools that use the current names.",
		Fix:    "Upgrade the instrumentation or rename the attribute (OTEL_SEMCONV_STABILITY_OPT_IN=http/dup or database/dup emits both names while consumers move).",
		check:  checkDeprecated,
	},
}

// Rules returns the table, in the order pages list it.
func Rules() []Rule { return append([]Rule(nil), rules...) }

// RuleByID returns the rule with that ID.
func RuleByID(id string) (Rule, bool) {
	for _, r := range rules {
		if r.ID == id {
			return r, true
		}
	}
	return Rule{}, false
}

// Finding is one rule a span breaks, and how.
type Finding struct {
	RuleID string
	Detail string // "http.method (now http.request.method)"
}

// Check runs every rule over s; nil when it breaks none.
func Check(s *datasources.Span) []Finding {
	var out []Finding
	attrs := s.Attributes()
	for _, r := range rules {
		if d := r.check(s, attrs); d != "" {
			out = append(out, Finding{RuleID: r.ID, Detail: d})
		}
	}
	return out
}

// list joins details: "a, b and 2 more".
func list(items []string) string {
	const show = 3
	if len(items) > show {
		return strings.Join(items[:show], ", ") + fmt.Sprintf(" and %d more", len(items)-show)
	}
	return strings.Join(items, ", ")
}
