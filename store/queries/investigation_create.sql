-- A retried create (same key) finds the first one instead of a second row.
INSERT INTO investigations (title, author, range_from, range_to, idempotency_key)
VALUES ($1, $2, $3, $4, NULLIF($5, ''))
ON CONFLICT (idempotency_key) DO NOTHING
RETURNING id, title, status, range_from, range_to, author, created_at, updated_at, version
