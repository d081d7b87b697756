-- Unknown, revoked and expired tokens are the same query returning no row. The
-- fingerprint changes whenever the investigation or any item changes
-- (pin: count and max id; edit: versions; move: updated_at; delete:
-- count), so a rendered page can be reused until then.
SELECT s.token_hash, s.expires_at, i.id, i.title, i.status, i.range_from, i.range_to, i.author, i.created_at, i.updated_at, i.version,
       concat_ws(':', i.version, i.updated_at, agg.n, agg.max_id, agg.versions, agg.changed) AS fingerprint
FROM share_links s
JOIN investigations i ON i.id = s.investigation_id
CROSS JOIN LATERAL (
    SELECT count(*) AS n, coalesce(max(it.id), 0) AS max_id, coalesce(sum(it.version), 0) AS versions,
           coalesce(max(it.updated_at)::text, '') AS changed
    FROM investigation_items it WHERE it.investigation_id = i.id
) agg
WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND (s.expires_at IS NULL OR s.expires_at > now())
