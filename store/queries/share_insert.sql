-- $4 is the link's lifetime in seconds, NULL for a link that never
-- expires; the database's clock decides, as it does for revocation.
INSERT INTO share_links (investigation_id, token_hash, author, expires_at)
VALUES ($1, $2, $3, now() + make_interval(secs => $4::bigint))
RETURNING id, author, created_at, revoked_at, revoked_by, expires_at, false AS expired
