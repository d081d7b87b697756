-- Pins and shares in practice: a pin may create its investigation in the
-- same step, so the investigation carries the pin's idempotency key too;
-- a pin's key is unique across investigations, so a form submitted twice
-- lands once even when its target changed between the two submissions;
-- and the activity log refuses edits at the database level.

-- +goose Up
ALTER TABLE investigations ADD COLUMN idempotency_key text UNIQUE;
CREATE INDEX investigations_status_created ON investigations (status, created_at DESC);

ALTER TABLE investigation_items DROP CONSTRAINT investigation_items_investigation_id_idempotency_key_key;
CREATE UNIQUE INDEX investigation_items_idempotency ON investigation_items (idempotency_key);

CREATE INDEX share_links_investigation ON share_links (investigation_id, created_at);

-- +goose StatementBegin
CREATE FUNCTION activity_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- A cascade from deleting the investigation runs inside the foreign
    -- key's own trigger (depth 2); a direct UPDATE or DELETE is depth 1.
    IF TG_OP = 'UPDATE' OR pg_trigger_depth() < 2 THEN
        RAISE EXCEPTION 'activity is append-only';
    END IF;
    RETURN OLD;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER activity_append_only BEFORE UPDATE OR DELETE ON activity
    FOR EACH ROW EXECUTE FUNCTION activity_append_only();

-- +goose Down
DROP TRIGGER activity_append_only ON activity;
DROP FUNCTION activity_append_only();
DROP INDEX share_links_investigation;
DROP INDEX investigation_items_idempotency;
ALTER TABLE investigation_items ADD CONSTRAINT investigation_items_investigation_id_idempotency_key_key UNIQUE (investigation_id, idempotency_key);
DROP INDEX investigations_status_created;
ALTER TABLE investigations DROP COLUMN idempotency_key;
