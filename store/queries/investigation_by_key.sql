SELECT id, title, status, range_from, range_to, author, created_at, updated_at, version FROM investigations WHERE idempotency_key = $1 FOR UPDATE
