-- Unknown and revoked tokens are the same query returning no row.
SELECT s.token_hash, i.id, i.title, i.status, i.range_from, i.range_to, i.author, i.created_at, i.updated_at, i.version
FROM share_links s JOIN investigations i ON i.id = s.investigation_id
WHERE s.token_hash = $1 AND s.revoked_at IS NULL
