-- Definitions as the designer pages and the API see them. Written only by
-- tf_projections.definitions. `content` is the definition's JSON, layouts included.
CREATE TABLE IF NOT EXISTS definitions (
    id          uuid        PRIMARY KEY,
    kind        text        NOT NULL,
    key         text        NOT NULL,
    name        text        NOT NULL,
    description text        NOT NULL,
    roles       text[]      NOT NULL,
    version     integer     NOT NULL,
    archived    boolean     NOT NULL,
    content     jsonb       NOT NULL,
    created_by  text        NOT NULL,
    created_at  timestamptz NOT NULL,
    updated_by  text        NOT NULL,
    updated_at  timestamptz NOT NULL,
    UNIQUE (kind, key)
);
CREATE INDEX IF NOT EXISTS definitions_kind_name ON definitions (kind, archived, name);

-- Every version of every definition, kept forever: tickets pin (id, version).
CREATE TABLE IF NOT EXISTS definition_versions (
    id          uuid        NOT NULL,
    version     integer     NOT NULL,
    kind        text        NOT NULL,
    key         text        NOT NULL,
    change      text        NOT NULL,  -- created, revised, archived, restored
    archived    boolean     NOT NULL,
    content     jsonb       NOT NULL,
    changed_by  text        NOT NULL,
    changed_at  timestamptz NOT NULL,
    PRIMARY KEY (id, version)
);

-- Which workflows use which tasks, and which ticket types start which workflow.
CREATE TABLE IF NOT EXISTS definition_links (
    from_id   uuid NOT NULL,
    to_kind   text NOT NULL,
    to_key    text NOT NULL,
    PRIMARY KEY (from_id, to_kind, to_key)
);
CREATE INDEX IF NOT EXISTS definition_links_to ON definition_links (to_kind, to_key);
