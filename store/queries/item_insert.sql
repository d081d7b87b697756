-- Appends at the end; the caller holds the investigation's row lock, so
-- max(position) cannot race. A key that landed meanwhile inserts nothing.
INSERT INTO investigation_items (investigation_id, kind, position, title, ref, snapshot, note, author, idempotency_key)
VALUES ($1, $2,
        (SELECT COALESCE(max(position), 0) + 1 FROM investigation_items WHERE investigation_id = $1),
        $3, $4, $5, $6, $7, NULLIF($8, ''))
ON CONFLICT (idempotency_key) DO NOTHING
RETURNING id, investigation_id, kind, position, title, ref, snapshot, note, author, created_at, updated_at, version
