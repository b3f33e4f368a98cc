-- Definition-assistant conversations as the chat pages and the API see them. Written
-- only by tf_projections.conversations.
CREATE TABLE IF NOT EXISTS conversations (
    id             uuid        PRIMARY KEY,
    title          text        NOT NULL,
    generator      text        NOT NULL,
    started_by     text        NOT NULL,
    started_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    version        integer     NOT NULL,
    messages       integer     NOT NULL,
    draft          jsonb,
    draft_errors   jsonb       NOT NULL,
    draft_number   integer     NOT NULL,
    accepted_number integer    NOT NULL,
    accepted_by    text,
    accepted_at    timestamptz
);
CREATE INDEX IF NOT EXISTS conversations_recent ON conversations (updated_at DESC);

CREATE TABLE IF NOT EXISTS conversation_messages (
    conversation_id uuid        NOT NULL,
    version         integer     NOT NULL,
    role            text        NOT NULL,
    text            text        NOT NULL,
    attachments     text[]      NOT NULL,
    posted_by       text        NOT NULL,
    posted_at       timestamptz NOT NULL,
    PRIMARY KEY (conversation_id, version)
);

CREATE TABLE IF NOT EXISTS conversation_documents (
    conversation_id uuid        NOT NULL,
    version         integer     NOT NULL,
    name            text        NOT NULL,
    text            text        NOT NULL,
    attached_by     text        NOT NULL,
    attached_at     timestamptz NOT NULL,
    PRIMARY KEY (conversation_id, version)
);

-- Which definition versions an accepted draft made: how a definition came about.
CREATE TABLE IF NOT EXISTS conversation_definitions (
    kind            text        NOT NULL,
    key             text        NOT NULL,
    version         integer     NOT NULL,
    conversation_id uuid        NOT NULL,
    accepted_by     text        NOT NULL,
    accepted_at     timestamptz NOT NULL,
    PRIMARY KEY (kind, key, version)
);
CREATE INDEX IF NOT EXISTS conversation_definitions_by_conversation
    ON conversation_definitions (conversation_id);
