-- Signed-in web sessions, so the server can end one (sign-out) or all of a user's
-- (tf_events' SessionsEnded raises users.session_generation above theirs).
-- Operational data, not domain state: not event-sourced; truncating it signs everyone out.
CREATE TABLE IF NOT EXISTS web_sessions (
    id_hash       text        PRIMARY KEY,  -- SHA-256 of the random id in the signed cookie
    user_id       uuid        NOT NULL,
    generation    integer     NOT NULL,     -- the user's session generation at sign-in
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_seen_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS web_sessions_user ON web_sessions (user_id);
CREATE INDEX IF NOT EXISTS web_sessions_last_seen ON web_sessions (last_seen_at);
