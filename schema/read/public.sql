-- Public submission as the pages see it. Written only by tf_projections.public.
CREATE TABLE IF NOT EXISTS publications (
    ticket_type_key  text        PRIMARY KEY,
    published        boolean     NOT NULL,
    origins          text[]      NOT NULL,
    contact          text[]      NOT NULL,
    contact_from     jsonb       NOT NULL,  -- contact item -> the form field it comes from
    daily_cap        integer     NOT NULL,
    updated_by       text        NOT NULL,
    updated_at       timestamptz NOT NULL,
    version          integer     NOT NULL
);

-- One row per public ticket: who sent it (as they said) and the hash of its status link.
CREATE TABLE IF NOT EXISTS public_submissions (
    submitter_id       uuid        PRIMARY KEY,
    ticket_id          uuid        NOT NULL UNIQUE,
    ticket_type_key    text        NOT NULL,
    name               text        NOT NULL,
    email              text        NOT NULL,
    contact            jsonb       NOT NULL,
    status_token_hash  text        NOT NULL UNIQUE,
    received_at        timestamptz NOT NULL
);

-- Public tickets taken per type and UTC day (the cap itself is counted in the event log).
CREATE TABLE IF NOT EXISTS public_intake (
    ticket_type_key  text     NOT NULL,
    day              date     NOT NULL,
    admitted         integer  NOT NULL,
    PRIMARY KEY (ticket_type_key, day)
);
