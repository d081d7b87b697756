-- A pin widens the investigation's window to cover what was pinned
-- (LEAST and GREATEST ignore NULLs).
UPDATE investigations
SET updated_at = now(), range_from = LEAST(range_from, $2), range_to = GREATEST(range_to, $3)
WHERE id = $1
