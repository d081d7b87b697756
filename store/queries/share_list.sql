SELECT id, author, created_at, revoked_at, revoked_by FROM share_links
WHERE investigation_id = $1
ORDER BY created_at DESC, id DESC
