-- Users as the pages see them. Written only by tf_projections.users.
CREATE TABLE IF NOT EXISTS users (
    id             uuid        PRIMARY KEY,
    username       text        NOT NULL UNIQUE,
    display_name   text        NOT NULL,
    roles          text[]      NOT NULL,
    active         boolean     NOT NULL,
    registered_by  text        NOT NULL,
    registered_at  timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    version        integer     NOT NULL
);
