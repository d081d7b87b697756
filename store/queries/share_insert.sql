INSERT INTO share_links (investigation_id, token_hash, author) VALUES ($1, $2, $3)
RETURNING id, author, created_at, revoked_at, revoked_by
