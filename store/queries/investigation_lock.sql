-- Serialises pins and reorders of one investigation (positions are
-- assigned from the current maximum).
SELECT id, title, status, range_from, range_to, author, created_at, updated_at, version FROM investigations WHERE id = $1 FOR UPDATE
