-- Webhooks as the admin pages see them. Written only by tf_notifications.webhooks.hooks_view.
-- The signing secret is never here: it lives in the hook's events, read by the sender alone.
CREATE TABLE IF NOT EXISTS webhooks (
    id                 uuid        PRIMARY KEY,
    name               text        NOT NULL,
    url                text        NOT NULL,
    ticket_types       text[]      NOT NULL,  -- empty: every ticket type
    event_kinds        text[]      NOT NULL,
    allow_private      boolean     NOT NULL,
    enabled            boolean     NOT NULL,
    created_by         text        NOT NULL,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL,
    secret_rotated_at  timestamptz,
    version            integer     NOT NULL
);
