package telemetry

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	semconv "go.opentelemetry.io/otel/semconv/v1.26.0"
	"go.opentelemetry.io/otel/trace"
)

// BackendPostgres is Postgres' name in the backend metrics.
const BackendPostgres = "postgres"

// QueryTracer is a pgx v5 tracer (pgxpool.Config.ConnConfig.Tracer): each
// Query, QueryRow and Exec is timed into the backend metrics and, within a
// request's span, is a client span of its own with the semantic
// conventions' database attributes and the SQL (truncated; arguments are
// never recorded, they may be user data). Statements outside a request
// (migrations at start) make no span: they would be roots nobody asked for.
// names, when set, gives a statement's name (the store's query file),
// which then names the span.
func (t *Telemetry) QueryTracer(names func(sql string) string) pgx.QueryTracer {
	if t == nil {
		return nil
	}
	return &queryTracer{t: t, names: names}
}

type queryTracer struct {
	t     *Telemetry
	names func(string) string
}

type queryStartKey struct{}

type queryStart struct {
	at   time.Time
	span trace.Span // nil when the statement made none
}

func (q *queryTracer) TraceQueryStart(ctx context.Context, conn *pgx.Conn, data pgx.TraceQueryStartData) context.Context {
	st := &queryStart{at: time.Now()}
	if q.t.Exporting && trace.SpanContextFromContext(ctx).IsValid() {
		op := operation(data.SQL)
		name := op
		if q.names != nil {
			if n := q.names(data.SQL); n != "" {
				name = strings.TrimSpace(op + " " + n)
			}
		}
		if name == "" {
			name = "postgresql"
		}
		attrs := []attribute.KeyValue{
			attribute.String("db.system.name", "postgresql"),
			attribute.String("db.query.text", queryText(data.SQL)),
			semconv.PeerService("postgresql"),
		}
		if op != "" {
			attrs = append(attrs, attribute.String("db.operation.name", op))
		}
		if conn != nil {
			if cc := conn.Config(); cc != nil {
				attrs = append(attrs, attribute.String("db.namespace", cc.Database),
					semconv.ServerAddress(cc.Host), semconv.ServerPort(int(cc.Port)))
			}
		}
		ctx, st.span = q.t.tracer().Start(ctx, name, trace.WithSpanKind(trace.SpanKindClient), trace.WithAttributes(attrs...))
	}
	return context.WithValue(ctx, queryStartKey{}, st)
}

func (q *queryTracer) TraceQueryEnd(ctx context.Context, conn *pgx.Conn, data pgx.TraceQueryEndData) {
	st, ok := ctx.Value(queryStartKey{}).(*queryStart)
	if !ok {
		return
	}
	if span := st.span; span != nil {
		if data.Err != nil && !errors.Is(data.Err, pgx.ErrNoRows) {
			span.RecordError(data.Err)
			span.SetStatus(codes.Error, "query failed")
		}
		span.End()
	}
	// A Postgres error (a constraint, a serialization failure) is an
	// answer; only no answer (a connection lost, a timeout) is Postgres
	// failing.
	var failed error
	var pgErr *pgconn.PgError
	if data.Err != nil && !errors.Is(data.Err, pgx.ErrNoRows) && !errors.As(data.Err, &pgErr) {
		failed = data.Err
	}
	q.t.Metrics.ObserveBackend(ctx, BackendPostgres, 0, failed, time.Since(st.at))
}

// operation is a statement's first keyword (SELECT, INSERT…), after its
// leading comments: the store's files begin with one saying what the
// statement does.
func operation(sql string) string {
	s := sql
	for {
		s = strings.TrimSpace(s)
		if strings.HasPrefix(s, "--") {
			if i := strings.IndexByte(s, '\n'); i >= 0 {
				s = s[i+1:]
				continue
			}
			return ""
		}
		break
	}
	end := strings.IndexFunc(s, func(r rune) bool { return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z') })
	if end < 0 {
		end = len(s)
	}
	if end == 0 || end > 16 {
		return ""
	}
	return strings.ToUpper(s[:end])
}
