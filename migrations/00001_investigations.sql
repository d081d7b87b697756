-- Investigations: what an on-call engineer pins while following a request,
-- kept so it can be shared and reopened after the backends forget the data.

-- +goose Up
CREATE TABLE investigations (
    id          bigserial PRIMARY KEY,
    title       text        NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    status      text        NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
    -- The window under investigation, always absolute UTC.
    range_from  timestamptz,
    range_to    timestamptz,
    author      text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    -- Optimistic concurrency: every edit names the version it started from.
    version     integer     NOT NULL DEFAULT 1
);
CREATE INDEX investigations_created_at ON investigations (created_at DESC);

CREATE TABLE investigation_items (
    id               bigserial PRIMARY KEY,
    investigation_id bigint      NOT NULL REFERENCES investigations (id) ON DELETE CASCADE,
    kind             text        NOT NULL CHECK (kind IN ('graph', 'exemplar', 'trace', 'span', 'log_query', 'log_line', 'note')),
    position         integer     NOT NULL,
    title            text        NOT NULL DEFAULT '',
    -- What reopens the live view: query, IDs, time range.
    ref              jsonb       NOT NULL DEFAULT '{}',
    -- What was seen at pin time, so shared pages outlive backend retention.
    snapshot         jsonb,
    note             text        NOT NULL DEFAULT '',
    author           text        NOT NULL,
    -- A retried or double-clicked pin carries the same key and lands once.
    idempotency_key  text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    version          integer     NOT NULL DEFAULT 1,
    UNIQUE (investigation_id, idempotency_key)
);
CREATE INDEX investigation_items_position ON investigation_items (investigation_id, position);

CREATE TABLE share_links (
    id               bigserial PRIMARY KEY,
    investigation_id bigint      NOT NULL REFERENCES investigations (id) ON DELETE CASCADE,
    -- SHA-256 of the token: a leaked database does not leak live links.
    token_hash       bytea       NOT NULL UNIQUE,
    author           text        NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    revoked_at       timestamptz,
    revoked_by       text
);

-- Append-only: rows are inserted, never updated or deleted by Ariadne.
CREATE TABLE activity (
    id               bigserial PRIMARY KEY,
    investigation_id bigint      NOT NULL REFERENCES investigations (id) ON DELETE CASCADE,
    actor            text        NOT NULL,
    action           text        NOT NULL,
    detail           jsonb       NOT NULL DEFAULT '{}',
    at               timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX activity_investigation ON activity (investigation_id, at);

-- +goose Down
DROP TABLE activity;
DROP TABLE share_links;
DROP TABLE investigation_items;
DROP TABLE investigations;
