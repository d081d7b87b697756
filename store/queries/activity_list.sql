SELECT actor, action, detail, at FROM activity
WHERE investigation_id = $1
ORDER BY at DESC, id DESC
LIMIT $2
