package zipkin

// Zipkin's JSON v2 span (zipkin2-api.yaml, the Span, Endpoint and Annotation
// definitions). The client keeps its own copy of the shape rather than
// zipkintest's, so that production code never depends on test code.
// Timestamp and Duration are epoch microseconds; Zipkin writes neither when
// it does not know it, and reads 0 as absent, as this decoder does.
type wireSpan struct {
	TraceID        string            `json:"traceId"`
	ID             string            `json:"id"`
	ParentID       string            `json:"parentId"`
	Name           string            `json:"name"`
	Kind           string            `json:"kind"`
	Timestamp      int64             `json:"timestamp"`
	Duration       int64             `json:"duration"`
	Debug          bool              `json:"debug"`
	Shared         bool              `json:"shared"`
	LocalEndpoint  *wireEndpoint     `json:"localEndpoint"`
	RemoteEndpoint *wireEndpoint     `json:"remoteEndpoint"`
	Annotations    []wireAnnotation  `json:"annotations"`
	Tags           map[string]string `json:"tags"`
}

type wireEndpoint struct {
	ServiceName string `json:"serviceName"`
	IPv4        string `json:"ipv4"`
	IPv6        string `json:"ipv6"`
	Port        int    `json:"port"`
}

type wireAnnotation struct {
	Timestamp int64  `json:"timestamp"`
	Value     string `json:"value"`
}

func (s *wireSpan) localService() string {
	if s.LocalEndpoint == nil {
		return ""
	}
	return s.LocalEndpoint.ServiceName
}

// wireDependency is one /api/v2/dependencies link.
type wireDependency struct {
	Parent     string `json:"parent"`
	Child      string `json:"child"`
	CallCount  int64  `json:"callCount"`
	ErrorCount int64  `json:"errorCount"`
}
