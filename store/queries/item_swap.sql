UPDATE investigation_items AS t SET position = v.pos, updated_at = now()
FROM (VALUES ($2::bigint, $3::integer), ($4::bigint, $5::integer)) AS v (id, pos)
WHERE t.id = v.id AND t.investigation_id = $1
