-- $1: ILIKE pattern ('' for all), $2: status ('' for any), $3: limit.
SELECT id, title, status, range_from, range_to, author, created_at, updated_at, version,
       (SELECT count(*) FROM investigation_items it WHERE it.investigation_id = i.id) AS items
FROM investigations i
WHERE ($1 = '' OR title ILIKE $1)
  AND ($2 = '' OR status = $2)
ORDER BY created_at DESC, id DESC
LIMIT $3
