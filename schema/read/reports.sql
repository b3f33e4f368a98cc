-- The reports' figures. Written only by tf_projections.reports; days are UTC days.

-- One row per ticket: what the reports filter by, when it opened and closed, and the task
-- it waits on now (the backlog).
CREATE TABLE IF NOT EXISTS report_tickets (
    ticket_id            uuid        PRIMARY KEY,
    reference            text        NOT NULL,
    ticket_type_key      text        NOT NULL,
    ticket_type_name     text        NOT NULL,
    workflow_key         text        NOT NULL,
    tasks                jsonb       NOT NULL,  -- [{key, name, kind}] as pinned at submission
    created_at           timestamptz NOT NULL,
    closed_at            timestamptz,
    resolution           text,
    resolution_seconds   double precision,      -- created → closed, for tickets closed as done
    current_position     integer,               -- NULL once closed
    current_task         text,
    current_status       text,
    current_assignee     text,
    current_opened_at    timestamptz,
    current_claimed_at   timestamptz
);
-- The backlog now: the open tickets only.
CREATE INDEX IF NOT EXISTS report_tickets_open ON report_tickets (ticket_type_key)
    INCLUDE (workflow_key, current_task, current_status, current_assignee)
    WHERE closed_at IS NULL;

-- Pre-aggregated figures (tf_projections/report_grains.py): each fact is added to one row
-- per grain (1, 4, 16, 64 days; `period` is the grain's first day) and per scope (its type and
-- workflow; '' and its workflow; '' and ''), so any range and filter reads a few periods'
-- rows. Counts: 'created' and 'closed' tickets (subject ''), tasks 'completed' (subject:
-- who), software runs 'failed' (subject: the task).
CREATE TABLE IF NOT EXISTS report_tallies (
    what             text     NOT NULL,
    ticket_type_key  text     NOT NULL,
    workflow_key     text     NOT NULL,
    grain            smallint NOT NULL,
    period           date     NOT NULL,
    subject          text     NOT NULL,
    n                integer  NOT NULL,
    PRIMARY KEY (what, ticket_type_key, workflow_key, grain, period, subject) INCLUDE (n)
);

-- Duration histograms: 'resolution' (subject: the ticket type, '' for all), 'wait' and
-- 'work' (subject: the task), 'run' (a software task's runs). Log-scale buckets, a quarter
-- octave wide (-1: unknown), with their count and the sum of their seconds.
CREATE TABLE IF NOT EXISTS report_durations (
    measure          text             NOT NULL,
    ticket_type_key  text             NOT NULL,
    workflow_key     text             NOT NULL,
    grain            smallint         NOT NULL,
    period           date             NOT NULL,
    subject          text             NOT NULL,
    bucket           smallint         NOT NULL,
    n                integer          NOT NULL,
    total            double precision NOT NULL,
    PRIMARY KEY (measure, ticket_type_key, workflow_key, grain, period, subject, bucket)
        INCLUDE (n, total)
);

-- Every task completion: who, what, when, and how long it waited and took.
CREATE TABLE IF NOT EXISTS report_completions (
    ticket_id         uuid             NOT NULL,
    version           integer          NOT NULL,  -- the TaskCompleted event's
    position          integer          NOT NULL,
    completed_at      timestamptz      NOT NULL,
    reference         text             NOT NULL,
    ticket_type_key   text             NOT NULL,
    workflow_key      text             NOT NULL,
    task_key          text             NOT NULL,
    task_name         text             NOT NULL,
    kind              text             NOT NULL,
    by_id             uuid             NOT NULL,
    by_username       text             NOT NULL,
    opened_at         timestamptz,
    claimed_at        timestamptz,
    wait_seconds      double precision,  -- opened → claimed (or assigned)
    work_seconds      double precision,  -- claimed → completed
    PRIMARY KEY (ticket_id, version)
);
-- The completed actions list, newest first, paged by keyset, and its CSV export.
CREATE INDEX IF NOT EXISTS report_completions_by_time
    ON report_completions (completed_at, ticket_id, version)
    INCLUDE (ticket_type_key, workflow_key, task_name, kind, by_username, wait_seconds,
             work_seconds);

-- Each run of a software task by the automation worker: done or failed, and how long.
CREATE TABLE IF NOT EXISTS report_software_runs (
    ticket_id         uuid             NOT NULL,
    version           integer          NOT NULL,
    position          integer          NOT NULL,
    finished_at       timestamptz      NOT NULL,
    ticket_type_key   text             NOT NULL,
    workflow_key      text             NOT NULL,
    task_key          text             NOT NULL,
    task_name         text             NOT NULL,
    failed            boolean          NOT NULL,
    seconds           double precision,  -- claimed → finished
    PRIMARY KEY (ticket_id, version)
);
CREATE INDEX IF NOT EXISTS report_software_runs_by_time ON report_software_runs (finished_at)
    INCLUDE (ticket_type_key, workflow_key, task_name, failed, seconds);

-- The ticket types and workflows tickets were submitted with, by the names they had on
-- the newest ticket: the filters' choices and the tables' labels.
CREATE TABLE IF NOT EXISTS report_types (
    ticket_type_key   text NOT NULL,
    workflow_key      text NOT NULL,
    ticket_type_name  text NOT NULL,
    workflow_name     text NOT NULL,
    PRIMARY KEY (ticket_type_key, workflow_key)
);
