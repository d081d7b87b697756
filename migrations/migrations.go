// Package migrations holds Ariadne's Postgres schema as numbered goose SQL
// files, embedded so the binary migrates itself (`ariadne migrate`).
package migrations

import "embed"

// FS holds the *.sql files, one migration each.
//
//go:embed *.sql
var FS embed.FS
