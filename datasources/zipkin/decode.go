package zipkin

import (
	"cmp"
	"encoding/json"
	"slices"
	"strconv"

	"github.com/ariadne-dev/ariadne/datasources"
)

// DecodeTrace decodes a /api/v2/trace/{id} body, a JSON list of v2 spans,
// into the model. An empty list decodes to a Trace with no spans. A body
// that is not Zipkin's JSON is ErrorUnavailable.
func DecodeTrace(body []byte) (*datasources.Trace, error) {
	var ws []wireSpan
	if err := json.Unmarshal(body, &ws); err != nil {
		return nil, unreadable(body, err)
	}
	tr, err := buildTrace(ws)
	if err != nil {
		return nil, unreadable(body, err)
	}
	return tr, nil
}

// buildTrace runs the adjusting passes (adjust.go) over one trace's spans
// and converts the result.
func buildTrace(ws []wireSpan) (*datasources.Trace, error) {
	if len(ws) == 0 {
		return &datasources.Trace{}, nil
	}
	spans, traceID, err := normalizeIDs(ws)
	if err != nil {
		return nil, err
	}
	spans = mergePieces(spans)
	separateSharedIDs(spans, traceID)
	inferTimes(spans)
	return &datasources.Trace{ID: traceID, Spans: convert(spans)}, nil
}

// Attribute keys of the Zipkin fields that have no OpenTelemetry name.
const (
	AttrSpanID           = "zipkin.span_id" // Zipkin's ID of a span given a derived one
	AttrShared           = "zipkin.shared"
	AttrDebug            = "zipkin.debug"
	AttrTimestampMissing = "zipkin.timestamp_missing"
	AttrDurationMissing  = "zipkin.duration_missing"
	AttrLocalIPv6        = "zipkin.local_endpoint.ipv6"
	AttrRemoteIPv6       = "zipkin.remote_endpoint.ipv6"
)

// converter carves every span's attributes and events out of two shared
// slabs, as the Tempo decoder does: traces run to 100,000 spans and
// thousands of small slices cost more than the decode.
type converter struct {
	attrs     []datasources.Attribute
	events    []datasources.SpanEvent
	resources map[wireEndpoint]*datasources.Resource
	keys      []string // reused to sort each span's tag keys
}

func convert(spans []span) []datasources.Span {
	var nAttrs, nEvents int
	for i := range spans {
		nAttrs += len(spans[i].Tags) + 9 // remote endpoint (4) and markers (5) at most
		nEvents += len(spans[i].Annotations)
	}
	c := converter{
		attrs:     make([]datasources.Attribute, 0, nAttrs),
		events:    make([]datasources.SpanEvent, 0, nEvents),
		resources: map[wireEndpoint]*datasources.Resource{},
	}
	out := make([]datasources.Span, len(spans))
	for i := range spans {
		c.span(&spans[i], &out[i])
	}
	return out
}

func (c *converter) span(s *span, d *datasources.Span) {
	start := s.Timestamp * 1000
	*d = datasources.Span{
		TraceID:      s.TraceID,
		SpanID:       s.ID,
		ParentSpanID: s.ParentID,
		Name:         s.Name,
		Kind:         spanKind(s.Kind),
		StartNs:      start,
		EndNs:        start + s.Duration*1000,
		Resource:     c.resource(s.LocalEndpoint),
	}
	var more datasources.SpanDetails
	if msg, failed := s.Tags["error"]; failed {
		d.Status, more.StatusMsg = datasources.StatusError, msg
	} else {
		switch s.Tags["otel.status_code"] {
		case "OK":
			d.Status = datasources.StatusOK
		case "ERROR":
			d.Status, more.StatusMsg = datasources.StatusError, s.Tags["otel.status_description"]
		}
	}
	more.TraceState = s.Tags[datasources.TraceStateTag]
	if scope, ok := s.Tags["otel.scope.name"]; ok {
		d.Scope = scope
	} else {
		d.Scope = s.Tags["otel.library.name"]
	}
	d.Attrs = c.attributes(s)
	more.Events = c.spanEvents(s.Annotations)
	d.Details = datasources.NewSpanDetails(more)
}

func spanKind(k string) datasources.SpanKind {
	switch k {
	case "CLIENT":
		return datasources.KindClient
	case "SERVER":
		return datasources.KindServer
	case "PRODUCER":
		return datasources.KindProducer
	case "CONSUMER":
		return datasources.KindConsumer
	}
	// Zipkin: "When absent, the span is local or incomplete"; OpenTelemetry's
	// Zipkin exporter writes INTERNAL spans without a kind.
	return datasources.KindInternal
}

// attributes appends a span's attributes to the slab and returns its own
// capped window: tags in key order (Zipkin's order), then the remote
// endpoint, then the markers of what Zipkin's data lacked or flagged.
func (c *converter) attributes(s *span) []datasources.Attribute {
	start := len(c.attrs)
	c.keys = c.keys[:0]
	for k := range s.Tags {
		c.keys = append(c.keys, k)
	}
	slices.Sort(c.keys)
	for _, k := range c.keys {
		c.add(k, s.Tags[k], datasources.TypeString)
	}
	if r := s.RemoteEndpoint; r != nil {
		if r.ServiceName != "" {
			c.add("peer.service", r.ServiceName, datasources.TypeString)
		}
		c.addresses("network.peer.address", AttrRemoteIPv6, r)
		if r.Port > 0 {
			c.add("network.peer.port", strconv.Itoa(r.Port), datasources.TypeInt)
		}
	}
	if s.zipkinID != "" {
		c.add(AttrSpanID, s.zipkinID, datasources.TypeString)
	}
	flags := []struct {
		key string
		on  bool
	}{{AttrShared, s.Shared}, {AttrDebug, s.Debug}, {AttrTimestampMissing, s.timeMissing}, {AttrDurationMissing, s.durationMissing}}
	for _, f := range flags {
		if f.on {
			c.add(f.key, "true", datasources.TypeBool)
		}
	}
	if len(c.attrs) == start {
		return nil
	}
	return c.attrs[start:len(c.attrs):len(c.attrs)]
}

func (c *converter) add(k, v string, t datasources.ValueType) {
	c.attrs = append(c.attrs, datasources.Attribute{Key: k, Value: v, Type: t})
}

// addresses maps an endpoint's IP: the IPv4 one when there is one (Zipkin:
// "prefer using the ipv4 field for mapped addresses"), and an IPv6 one
// beside it under its own key, so neither is lost.
func (c *converter) addresses(key, ipv6Key string, e *wireEndpoint) {
	switch {
	case e.IPv4 != "":
		c.add(key, e.IPv4, datasources.TypeString)
		if e.IPv6 != "" {
			c.add(ipv6Key, e.IPv6, datasources.TypeString)
		}
	case e.IPv6 != "":
		c.add(key, e.IPv6, datasources.TypeString)
	}
}

func (c *converter) spanEvents(as []wireAnnotation) []datasources.SpanEvent {
	if len(as) == 0 {
		return nil
	}
	start := len(c.events)
	for _, a := range as {
		c.events = append(c.events, datasources.SpanEvent{TimeNs: a.Timestamp * 1000, Name: a.Value})
	}
	evs := c.events[start:len(c.events):len(c.events)]
	// Merged pieces append annotations out of order.
	slices.SortStableFunc(evs, func(a, b datasources.SpanEvent) int { return cmp.Compare(a.TimeNs, b.TimeNs) })
	return evs
}

// resource is the one Resource of a local endpoint: every span of one
// process (service and address) shares the pointer. Spans without a local
// endpoint (Zipkin: "usually, absent implies late data") have none.
func (c *converter) resource(e *wireEndpoint) *datasources.Resource {
	if e == nil || *e == (wireEndpoint{}) {
		return nil
	}
	if r, ok := c.resources[*e]; ok {
		return r
	}
	r := &datasources.Resource{Service: e.ServiceName}
	if e.ServiceName != "" {
		r.Attributes = append(r.Attributes, datasources.Attribute{Key: "service.name", Value: e.ServiceName})
	}
	switch {
	case e.IPv4 != "":
		r.Attributes = append(r.Attributes, datasources.Attribute{Key: "network.local.address", Value: e.IPv4})
		if e.IPv6 != "" {
			r.Attributes = append(r.Attributes, datasources.Attribute{Key: AttrLocalIPv6, Value: e.IPv6})
		}
	case e.IPv6 != "":
		r.Attributes = append(r.Attributes, datasources.Attribute{Key: "network.local.address", Value: e.IPv6})
	}
	if e.Port > 0 {
		r.Attributes = append(r.Attributes, datasources.Attribute{Key: "network.local.port", Value: strconv.Itoa(e.Port), Type: datasources.TypeInt})
	}
	c.resources[*e] = r
	return r
}
