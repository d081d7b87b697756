-- Optimistic concurrency: no row when someone else saved version $2 first.
UPDATE investigations
SET title = $3, status = $4, version = version + 1, updated_at = now()
WHERE id = $1 AND version = $2
RETURNING id, title, status, range_from, range_to, author, created_at, updated_at, version
