UPDATE investigations SET version = version + 1, updated_at = now()
WHERE id = $1
RETURNING id, title, status, range_from, range_to, author, created_at, updated_at, version
