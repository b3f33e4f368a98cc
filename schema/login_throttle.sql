-- Failed sign-ins, to slow down password guessing across every web process.
-- Operational data, not domain state: it is not event-sourced and may be truncated.
CREATE TABLE IF NOT EXISTS login_failures (
    key        text        NOT NULL,
    failed_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS login_failures_key_time ON login_failures (key, failed_at);
