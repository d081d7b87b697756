DELETE FROM investigation_items
WHERE id = $1 AND investigation_id = $2 AND version = $3
RETURNING kind, title
