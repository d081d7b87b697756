UPDATE investigation_items
SET title = $4, note = $5, version = version + 1, updated_at = now()
WHERE id = $1 AND investigation_id = $2 AND version = $3
RETURNING id, investigation_id, kind, position, title, ref, snapshot, note, author, created_at, updated_at, version
