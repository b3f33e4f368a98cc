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
    submitter_id         uuid        NOT NULL,
    submitter_username   text        NOT NULL,
    summary              text        NOT NULL,
    data                 jsonb       NOT NULL,
    channel              text        NOT NULL,
    created_at           timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL,
    version              integer     NOT NULL
);
CREATE INDEX IF NOT EXISTS tickets_submitter ON tickets (submitter_id, created_at DESC);
CREATE INDEX IF NOT EXISTS tickets_status_created ON tickets (status, created_at DESC, id);

CREATE TABLE IF NOT EXISTS ticket_tasks (
    ticket_id     uuid    NOT NULL,
    position      integer NOT NULL,
    key           text    NOT NULL,
    name          text    NOT NULL,
    task_version  integer NOT NULL,
    status        text    NOT NULL,
    assignee      text,
    PRIMARY KEY (ticket_id, position)
);
