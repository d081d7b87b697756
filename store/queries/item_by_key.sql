SELECT id, investigation_id, kind, position, title, ref, snapshot, note, author, created_at, updated_at, version FROM investigation_items WHERE idempotency_key = $1
