// Package servicemap owns the on-call home's service map in pure code: the
// model (services and uninstrumented peers as nodes, calls as edges, RED
// per node and edge), building it from each source Ariadne reads — span
// and service-graph metrics in Prometheus (Tempo metrics-generator's and
// the OpenTelemetry spanmetrics connector's names, configurable), Jaeger's
// dependency links, or a bounded sample of traces — each node's health
// against its own recent level, the hidden dependencies (new edges and
// peers that emit nothing), and the map's geometry, laid out by
// correlation/chart's service-graph layout.
package servicemap
