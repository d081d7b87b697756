package quality

// deprecated maps attribute names the OpenTelemetry semantic conventions
// have renamed to their current names (the attribute registry's
// "deprecated" section: HTTP and networking as of the stable HTTP
// conventions, database as of the stable database conventions, code as
// of 1.30). Span attributes only.
var deprecated = map[string]string{
	"http.method":          "http.request.method",
	"http.status_code":     "http.response.status_code",
	"http.url":             "url.full",
	"http.target":          "url.path and url.query",
	"http.scheme":          "url.scheme",
	"http.host":            "server.address and server.port",
	"http.client_ip":       "client.address",
	"http.user_agent":      "user_agent.original",
	"http.flavor":          "network.protocol.name and network.protocol.version",
	"http.server_name":     "server.address",
	"net.peer.name":        "server.address",
	"net.peer.port":        "server.port",
	"net.host.name":        "server.address",
	"net.host.port":        "server.port",
	"net.sock.peer.addr":   "network.peer.address",
	"net.sock.peer.port":   "network.peer.port",
	"net.sock.host.addr":   "network.local.address",
	"net.transport":        "network.transport",
	"net.protocol.name":    "network.protocol.name",
	"net.protocol.version": "network.protocol.version",
	"db.system":            "db.system.name",
	"db.statement":         "db.query.text",
	"db.operation":         "db.operation.name",
	"db.name":              "db.namespace",
	"db.sql.table":         "db.collection.name",
	"code.function":        "code.function.name",
	"code.filepath":        "code.file.path",
	"code.lineno":          "code.line.number",
	"code.column":          "code.column.number",
}
