-- Share links may expire: a link handed to a vendor or pasted in a
-- ticket should not stay a capability forever. NULL never expires (the
-- links made before this migration keep working as they did).

-- +goose Up
ALTER TABLE share_links ADD COLUMN expires_at timestamptz;

-- +goose Down
ALTER TABLE share_links DROP COLUMN expires_at;
