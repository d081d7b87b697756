// Package chart holds the geometry of every chart Ariadne draws as SVG:
// the time-series graph with its exemplar markers and shaded spikes, time
// and value axes, the query step a graph asks for, decimation to the
// pixels available, and spike detection. Callers pass data in and get
// coordinates and labels out; templates only place them.
package chart
