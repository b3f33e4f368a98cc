-- The automation worker's own state (operational: never rebuilt, since a rebuild would run
-- software tasks again). One row per software task of a ticket, made exactly once from the
-- log by tf_processes.automation.follower; runners lease due rows with SKIP LOCKED.
CREATE TABLE IF NOT EXISTS automation_runs (
    ticket_id      uuid        NOT NULL,
    position       integer     NOT NULL,
    reference      text        NOT NULL,
    task_name      text        NOT NULL,
    status         text        NOT NULL,  -- waiting, queued, running, done, failed, skipped
    attempts       integer     NOT NULL DEFAULT 0,
    due_at         timestamptz,
    lease_until    timestamptz,
    runner         text,
    last_error     text,
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (ticket_id, position)
);
CREATE INDEX IF NOT EXISTS automation_runs_due ON automation_runs (due_at)
    WHERE status IN ('queued', 'running');

-- Every attempt, with what went wrong: the last traceback lines and stderr, capped.
CREATE TABLE IF NOT EXISTS automation_attempts (
    ticket_id   uuid        NOT NULL,
    position    integer     NOT NULL,
    attempt     integer     NOT NULL,
    started_at  timestamptz NOT NULL,
    seconds     double precision NOT NULL,
    outcome     text        NOT NULL,  -- done, failed, skipped
    error       text,
    detail      text,
    PRIMARY KEY (ticket_id, position, attempt)
);

CREATE TABLE IF NOT EXISTS automation_tracking (
    application_name text PRIMARY KEY,
    notification_id  bigint NOT NULL
);
