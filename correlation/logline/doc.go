// Package logline reads log lines: cleaning them for display (control
// characters shown, not obeyed), parsing JSON and logfmt fields, reading
// levels, services and span IDs, and finding trace IDs by derived-field
// rules.
package logline
