// Package grafana reads Grafana's datasource provisioning files and maps
// them onto Ariadne's own settings: which backends to read and how to
// reach them, the exemplar labels that hold trace IDs, the derived fields
// that find trace IDs in log lines, the trace→logs query and the RED
// queries. It also says, one line each, what it took and what it cannot
// use and what Ariadne does instead.
//
// It does no I/O: the environment and the files that $__file{…} names
// are passed in, and which files to read, how large they may be and
// which settings win is cmd/ariadne's to decide.
package grafana
