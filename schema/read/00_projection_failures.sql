-- Poison events: events a read model could not apply. Recorded, shown by
-- `ticketflower projections status` and /healthz, and skipped so the worker goes on.
CREATE TABLE IF NOT EXISTS projection_failures (
    projection          text        NOT NULL,
    notification_id     bigint      NOT NULL,
    originator_id       text        NOT NULL,
    originator_version  bigint      NOT NULL,
    topic               text        NOT NULL,
    error               text        NOT NULL,
    recorded_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (projection, notification_id)
);

-- The schema each read model's tables were built from (a hash of its SQL file). When the
-- file changes, the next start rebuilds that read model from the event log.
CREATE TABLE IF NOT EXISTS read_model_schemas (
    projection  text PRIMARY KEY,
    schema_hash text NOT NULL
);
