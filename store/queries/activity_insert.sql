INSERT INTO activity (investigation_id, actor, action, detail) VALUES ($1, $2, $3, $4)
