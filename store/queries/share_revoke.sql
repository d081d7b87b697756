UPDATE share_links SET revoked_at = now(), revoked_by = $3
WHERE id = $1 AND investigation_id = $2 AND revoked_at IS NULL
RETURNING id
