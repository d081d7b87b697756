-- expired is decided by the database's clock, as the lookup decides it.
SELECT id, author, created_at, revoked_at, revoked_by, expires_at,
       expires_at IS NOT NULL AND expires_at <= now() AS expired
FROM share_links
WHERE investigation_id = $1
ORDER BY created_at DESC, id DESC
