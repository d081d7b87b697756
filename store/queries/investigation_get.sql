SELECT id, title, status, range_from, range_to, author, created_at, updated_at, version FROM investigations WHERE id = $1
