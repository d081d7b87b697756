package store

import (
	"context"
	"errors"
	"io"
	"net"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/puddle/v2"

	"github.com/ariadne-dev/ariadne/datasources"
)

// Backend names Postgres in the error vocabulary of datasources, so one
// switch can tell Ariadne's own database (its pages cannot work: 503) from
// a backend behind it (a bad gateway: 502).
const Backend = "postgres"

// ErrNotFound is returned for an investigation, item or share link that
// does not exist (or a share token that is unknown or revoked).
var ErrNotFound = errors.New("not found")

// ErrInvalid marks input the store refuses (empty title, unknown kind).
var ErrInvalid = errors.New("invalid")

// What a page says when Postgres cannot be used. A write says nothing was
// saved, which is true: each write is one transaction, so a failure leaves
// nothing half-saved, and each form carries an idempotency key, so even a
// retry after a commit whose answer was lost lands once. A read says
// nothing of saving: nothing was being saved.
const (
	unavailableRead  = "The investigations database (Postgres) is not answering. Try again in a moment."
	unavailableWrite = "The investigations database (Postgres) is not answering: nothing was saved. Try again in a moment; a retried form is not saved twice."
)

// classify is the store's edge: every exported method's error goes through
// it, so callers see the store's own errors (ErrNotFound, ErrInvalid,
// *ConflictError) or, for any failure to reach Postgres or to hear back in
// time, a *datasources.Error of kind ErrorUnavailable for Backend. No
// driver type needs to be known above the store. Anything else (a bug, a
// schema problem) passes through unchanged: it is ours to log.
func classify(err error) error { return classifyAs(err, unavailableRead) }

// classifyWrite is classify for a call that saves.
func classifyWrite(err error) error { return classifyAs(err, unavailableWrite) }

func classifyAs(err error, message string) error {
	var done *datasources.Error
	if err == nil || errors.As(err, &done) || !unavailable(err) {
		return err
	}
	return &datasources.Error{Kind: datasources.ErrorUnavailable, Backend: Backend, Message: message, Err: err}
}

// checked is classify for a call that returns a value with its error.
func checked[T any](v T, err error) (T, error) { return v, classify(err) }

// transientStates are SQLSTATEs after which the same statement may succeed
// later: the server is shutting down, crashed, or starting up, or it
// refused the connection for lack of slots. Class 08 (connection
// exception) is matched as a whole.
var transientStates = map[string]bool{
	"57P01": true, // admin_shutdown
	"57P02": true, // crash_shutdown
	"57P03": true, // cannot_connect_now: "the database system is starting up"
	"53300": true, // too_many_connections
}

// unavailable reports whether err means Postgres could not be reached or
// did not answer, rather than that it refused the statement.
func unavailable(err error) bool {
	var connect *pgconn.ConnectError
	if errors.As(err, &connect) {
		// Every failure to open a connection, including the server's
		// own refusal while starting up or a bad password: either way,
		// Postgres cannot be used right now.
		return true
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return strings.HasPrefix(pgErr.Code, "08") || transientStates[pgErr.Code]
	}
	var netErr net.Error
	return errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) ||
		errors.As(err, &netErr) || pgconn.SafeToRetry(err) || pgconn.Timeout(err) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) ||
		errors.Is(err, pgconn.ErrConnClosed) || errors.Is(err, puddle.ErrClosedPool)
}
