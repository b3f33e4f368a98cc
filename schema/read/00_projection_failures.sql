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
