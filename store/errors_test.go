package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/puddle/v2"

	"github.com/ariadne-dev/ariadne/datasources"
)

// The mapping alone, on errors as the driver wraps them. Reproductions on
// a real connection are in unavailable_test.go.
func TestClassify(t *testing.T) {
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connect: connection refused")}
	tests := []struct {
		name        string
		err         error
		unavailable bool
	}{
		{"starting up (57P03)", &pgconn.PgError{Severity: "FATAL", Code: "57P03", Message: "the database system is starting up"}, true},
		{"admin shutdown (57P01)", &pgconn.PgError{Severity: "FATAL", Code: "57P01"}, true},
		{"crash shutdown (57P02)", fmt.Errorf("query: %w", &pgconn.PgError{Severity: "FATAL", Code: "57P02"}), true},
		{"connection failure (08006)", &pgconn.PgError{Code: "08006"}, true},
		{"too many connections (53300)", &pgconn.PgError{Code: "53300"}, true},
		{"deadline", fmt.Errorf("timeout: %w", context.DeadlineExceeded), true},
		{"cancelled", context.Canceled, true},
		{"network", refused, true},
		{"unexpected EOF", fmt.Errorf("failed to receive message: %w", io.ErrUnexpectedEOF), true},
		{"conn closed", fmt.Errorf("query: %w", pgconn.ErrConnClosed), true},
		{"closed pool", puddle.ErrClosedPool, true},

		{"unique violation (23505): a bug", &pgconn.PgError{Code: "23505"}, false},
		{"undefined column (42703): a schema problem", &pgconn.PgError{Code: "42703"}, false},
		{"not found", ErrNotFound, false},
		{"invalid", fmt.Errorf("%w: a title needs 1 to 200 characters", ErrInvalid), false},
		{"conflict", &ConflictError{Investigation: &Investigation{ID: 1, Version: 2}}, false},
		{"other Go error", errors.New("item 3: snapshot: unexpected end of JSON input"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := classify(tt.err)
			var de *datasources.Error
			isUnavailable := errors.As(got, &de) && de.Kind == datasources.ErrorUnavailable && de.Backend == Backend
			if isUnavailable != tt.unavailable {
				t.Fatalf("classify(%v) = %v; unavailable %v, want %v", tt.err, got, isUnavailable, tt.unavailable)
			}
			if !tt.unavailable && got != tt.err {
				t.Errorf("classify changed %v into %v", tt.err, got)
			}
			if tt.unavailable && (!errors.Is(got, tt.err) || de.Message != unavailableRead) {
				t.Errorf("%v: cause kept %v, message %q", got, errors.Is(got, tt.err), de.Message)
			}
			if again := classify(got); again != got {
				t.Errorf("classify is not idempotent: %v, then %v", got, again)
			}
		})
	}
	if classify(nil) != nil {
		t.Error("classify(nil) is not nil")
	}
}
