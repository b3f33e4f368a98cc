-- Tickets as the lists and detail pages see them. Written only by tf_projections.tickets.
CREATE TABLE IF NOT EXISTS tickets (
    id                   uuid        PRIMARY KEY,
    reference            text        NOT NULL UNIQUE,
    number               bigint      NOT NULL,
    ticket_type_key      text        NOT NULL,
    ticket_type_name     text        NOT NULL,
    ticket_type_version  integer     NOT NULL,
    workflow_key         text        NOT NULL,
    workflow_version     integer     NOT NULL,
    status               text        NOT NULL,
    current_task         text,
    current_task_status  text,
    current_assignee     text,
    resolution           text,
    closed_at            timestamptz,
    submitter_id         uuid        NOT NULL,
    submitter_username   text        NOT NULL,
    summary              text        NOT NULL,
    data                 jsonb       NOT NULL,
    channel              text        NOT NULL,
    created_at           timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL,
    version              integer     NOT NULL,
    -- Free-text search: reference, summary and every string or number in the data.
    search               tsvector    GENERATED ALWAYS AS (
        -- The parser would read "TF-1004" as "tf" and "-1004"; split it into words.
        to_tsvector('simple', replace(reference, '-', ' ') || ' ' || summary)
        || jsonb_to_tsvector('simple', data, '["string", "numeric"]')
    ) STORED
);
-- Keyset pagination walks (sort column, id) in either direction, within one tab: each sort
-- has an index of the Active tab's tickets (a fifth of them, mostly recent) and one of the
-- Closed tab's, so a walk never steps over the other tab's rows. The predicates are the
-- tab conditions tf_web.queries.ticket_list writes, word for word (CLOSED_TICKET_STATUSES).
CREATE INDEX IF NOT EXISTS tickets_active_by_number ON tickets (number, id)
    WHERE status NOT IN ('COMPLETED');
CREATE INDEX IF NOT EXISTS tickets_closed_by_number ON tickets (number, id)
    WHERE status IN ('COMPLETED');
CREATE INDEX IF NOT EXISTS tickets_active_by_type ON tickets (ticket_type_name, id)
    WHERE status NOT IN ('COMPLETED');
CREATE INDEX IF NOT EXISTS tickets_closed_by_type ON tickets (ticket_type_name, id)
    WHERE status IN ('COMPLETED');
CREATE INDEX IF NOT EXISTS tickets_active_by_summary ON tickets (summary, id)
    WHERE status NOT IN ('COMPLETED');
CREATE INDEX IF NOT EXISTS tickets_closed_by_summary ON tickets (summary, id)
    WHERE status IN ('COMPLETED');
CREATE INDEX IF NOT EXISTS tickets_active_by_task ON tickets ((coalesce(current_task, '')), id)
    WHERE status NOT IN ('COMPLETED');
CREATE INDEX IF NOT EXISTS tickets_closed_by_task ON tickets ((coalesce(current_task, '')), id)
    WHERE status IN ('COMPLETED');
CREATE INDEX IF NOT EXISTS tickets_active_by_submitter ON tickets (submitter_username, id)
    WHERE status NOT IN ('COMPLETED');
CREATE INDEX IF NOT EXISTS tickets_closed_by_submitter ON tickets (submitter_username, id)
    WHERE status IN ('COMPLETED');
CREATE INDEX IF NOT EXISTS tickets_active_by_created ON tickets (created_at, id)
    WHERE status NOT IN ('COMPLETED');
CREATE INDEX IF NOT EXISTS tickets_closed_by_created ON tickets (created_at, id)
    WHERE status IN ('COMPLETED');
CREATE INDEX IF NOT EXISTS tickets_active_by_updated ON tickets (updated_at, id)
    WHERE status NOT IN ('COMPLETED');
CREATE INDEX IF NOT EXISTS tickets_closed_by_updated ON tickets (updated_at, id)
    WHERE status IN ('COMPLETED');
CREATE INDEX IF NOT EXISTS tickets_active_by_status ON tickets (status, id)
    WHERE status NOT IN ('COMPLETED');
CREATE INDEX IF NOT EXISTS tickets_closed_by_status ON tickets (status, id)
    WHERE status IN ('COMPLETED');
-- Views that narrow first: a type (in each tab), one submitter, an open task (newest first).
CREATE INDEX IF NOT EXISTS tickets_active_by_type_key ON tickets (ticket_type_key, created_at, id)
    WHERE status NOT IN ('COMPLETED');
CREATE INDEX IF NOT EXISTS tickets_closed_by_type_key ON tickets (ticket_type_key, created_at, id)
    WHERE status IN ('COMPLETED');
CREATE INDEX IF NOT EXISTS tickets_of_submitter ON tickets (submitter_id, created_at, id);
CREATE INDEX IF NOT EXISTS tickets_active_by_task_created
    ON tickets ((coalesce(current_task, '')), created_at, id) WHERE status NOT IN ('COMPLETED');
CREATE INDEX IF NOT EXISTS tickets_search ON tickets USING gin (search);
-- The Active tab's own search index: words common over three years of tickets may be few
-- together among the open ones, and this finds those without reading the closed ones.
CREATE INDEX IF NOT EXISTS tickets_active_search ON tickets USING gin (search)
    WHERE status NOT IN ('COMPLETED');
-- "Assigned to me", tasks in error, and the dashboard's "closed today".
CREATE INDEX IF NOT EXISTS tickets_of_assignee ON tickets (current_assignee, created_at, id)
    WHERE current_assignee IS NOT NULL;
CREATE INDEX IF NOT EXISTS tickets_task_in_error ON tickets (created_at, id)
    WHERE current_task_status = 'ERROR';
CREATE INDEX IF NOT EXISTS tickets_by_closed ON tickets (closed_at) WHERE closed_at IS NOT NULL;

-- Every task of every ticket: the work queue, "my tasks" and the ticket page read it.
CREATE TABLE IF NOT EXISTS ticket_tasks (
    ticket_id        uuid    NOT NULL,
    position         integer NOT NULL,
    key              text    NOT NULL,
    name             text    NOT NULL,
    task_version     integer NOT NULL,
    ticket_type_key  text    NOT NULL,
    roles            text[]  NOT NULL,  -- who may do it; empty: the whole ticket team
    kind             text    NOT NULL,  -- human, or software (done by the automation worker)
    status           text    NOT NULL,
    assignee         text,
    assignee_id      uuid,
    reason           text,
    draft            jsonb,
    opened_at        timestamptz,
    claimed_at       timestamptz,
    closed_at        timestamptz,
    PRIMARY KEY (ticket_id, position)
);
-- The queue: open tasks nobody holds, oldest first (software tasks wait for the automation
-- worker, not for people).
CREATE INDEX IF NOT EXISTS ticket_tasks_queue ON ticket_tasks (opened_at, ticket_id, position)
    WHERE status = 'OPEN' AND assignee_id IS NULL AND kind = 'human';
-- One person's tasks, and the counts for the dashboard.
CREATE INDEX IF NOT EXISTS ticket_tasks_of_assignee ON ticket_tasks (assignee_id, opened_at)
    WHERE status IN ('OPEN', 'ERROR');
CREATE INDEX IF NOT EXISTS ticket_tasks_in_error ON ticket_tasks (opened_at)
    WHERE status = 'ERROR';
-- The queue narrowed to one ticket type or one task, still oldest first.
CREATE INDEX IF NOT EXISTS ticket_tasks_queue_by_type
    ON ticket_tasks (ticket_type_key, opened_at, ticket_id, position)
    WHERE status = 'OPEN' AND assignee_id IS NULL AND kind = 'human';
CREATE INDEX IF NOT EXISTS ticket_tasks_queue_by_key ON ticket_tasks (key, opened_at, ticket_id, position)
    WHERE status = 'OPEN' AND assignee_id IS NULL AND kind = 'human';
-- Every active task, held or not (the API's view=all).
CREATE INDEX IF NOT EXISTS ticket_tasks_active ON ticket_tasks (opened_at, ticket_id, position)
    WHERE status IN ('OPEN', 'ERROR');
-- Round-robin assignment: when each person last got a task of a key.
CREATE INDEX IF NOT EXISTS ticket_tasks_given ON ticket_tasks (assignee_id, key, claimed_at)
    WHERE assignee_id IS NOT NULL;

CREATE TABLE IF NOT EXISTS ticket_comments (
    ticket_id          uuid        NOT NULL,
    version            integer     NOT NULL,
    author_id          uuid        NOT NULL,
    author_username    text        NOT NULL,
    text               text        NOT NULL,
    created_at         timestamptz NOT NULL,
    PRIMARY KEY (ticket_id, version)
);
