// Package loki is Ariadne's read-only client for Loki's HTTP query API:
// log and metric queries (query_range, query), label and series discovery,
// readiness, and paging both ways through more log lines than one
// request's limit. It decodes Loki's wire shapes (both the
// categorize-labels encoding of Loki ≥ 3.0 and the older folded one) into
// the datasources model and maps every failure to a *datasources.Error,
// naming the Loki limit behind a message where it can.
package loki
