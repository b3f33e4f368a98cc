-- Users as the pages see them. Written only by tf_projections.users.
CREATE TABLE IF NOT EXISTS users (
    id             uuid        PRIMARY KEY,
    username       text        NOT NULL UNIQUE,
    display_name   text        NOT NULL,
    roles          text[]      NOT NULL,
    active         boolean     NOT NULL,
    -- Marked away on the account page: assignment rules pass them over.
    away           boolean     NOT NULL DEFAULT false,
    -- An admin set a temporary password: the user must choose their own to go on.
    must_change_password  boolean  NOT NULL DEFAULT false,
    -- Web sessions started in an older generation have ended (see tf_web/sessions.py).
    session_generation    integer  NOT NULL DEFAULT 0,
    registered_by  text        NOT NULL,
    registered_at  timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    version        integer     NOT NULL
);

-- API tokens: only the SHA-256 of each token is kept.
CREATE TABLE IF NOT EXISTS api_tokens (
    id          text        PRIMARY KEY,
    user_id     uuid        NOT NULL,
    name        text        NOT NULL,
    prefix      text        NOT NULL,
    token_hash  text        NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL,
    revoked_at  timestamptz
);
CREATE INDEX IF NOT EXISTS api_tokens_user ON api_tokens (user_id);
