package storetest

import (
	"context"
	"io"
	"net"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Failure is how a BrokenPool's server fails: the transient states a real
// Postgres goes through, reproduced on the wire so the driver reports
// them exactly as it would in production.
type Failure int

const (
	// StartingUp refuses every connection with FATAL 57P03, "the database
	// system is starting up" (also what a server in recovery says).
	StartingUp Failure = iota
	// ShuttingDown accepts the connection, then answers the first
	// statement with FATAL 57P01 (an administrator's shutdown or a
	// restart) and hangs up.
	ShuttingDown
	// Crashed accepts the connection, then hangs up without a word at the
	// first statement: the driver reads "unexpected EOF".
	Crashed
	// Hung accepts connections and never answers, as a stopped (SIGSTOP)
	// or wedged server whose kernel still completes the handshake.
	Hung
)

// BrokenPool is a pool on a fake Postgres that fails as f. The pool
// connects lazily, so creating it succeeds; the failure comes with the
// first statement. Both are closed when the test ends. No real Postgres
// is needed.
func BrokenPool(t testing.TB, f Failure) *pgxpool.Pool {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go serveBroken(c, f)
		}
	}()
	pool, err := pgxpool.New(context.Background(), "postgres://ariadne@"+l.Addr().String()+"/ariadne?sslmode=disable&connect_timeout=5")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return pool
}

func serveBroken(c net.Conn, f Failure) {
	if f == Hung {
		io.Copy(io.Discard, c) // until the client gives up and closes
		c.Close()
		return
	}
	defer hangUp(c)
	be := pgproto3.NewBackend(c, c)
	if _, err := be.ReceiveStartupMessage(); err != nil {
		return
	}
	if f == StartingUp {
		be.Send(&pgproto3.ErrorResponse{Severity: "FATAL", SeverityUnlocalized: "FATAL", Code: "57P03", Message: "the database system is starting up"})
		be.Flush()
		return
	}
	be.Send(&pgproto3.AuthenticationOk{})
	be.Send(&pgproto3.ParameterStatus{Name: "server_version", Value: "16.0"})
	be.Send(&pgproto3.BackendKeyData{ProcessID: 1, SecretKey: []byte{0, 0, 0, 1}})
	be.Send(&pgproto3.ReadyForQuery{TxStatus: 'I'})
	if be.Flush() != nil {
		return
	}
	if _, err := be.Receive(); err != nil {
		return
	}
	if f == ShuttingDown {
		be.Send(&pgproto3.ErrorResponse{Severity: "FATAL", SeverityUnlocalized: "FATAL", Code: "57P01", Message: "terminating connection due to administrator command"})
		be.Flush()
	}
}

// hangUp closes the connection as a dying server does: its side first
// (the client reads EOF), then whatever the client still sends is read
// until it closes too. Closing with unread bytes would send a reset
// instead, and the driver would report "connection reset", not EOF.
func hangUp(c net.Conn) {
	if tc, ok := c.(*net.TCPConn); ok {
		tc.CloseWrite()
		tc.SetReadDeadline(time.Now().Add(5 * time.Second))
		io.Copy(io.Discard, tc)
	}
	c.Close()
}
