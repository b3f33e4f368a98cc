-- The webhook sender's own state (operational: never rebuilt, since a replay would send
-- every delivery again). Made exactly once from the log by tf_notifications.webhooks.follower,
-- in the same transaction as its position; senders lease due rows with SKIP LOCKED.

-- Which hooks want what, as of the follower's position in the log: an event is matched
-- against the hooks registered before it, never those registered after.
CREATE TABLE IF NOT EXISTS webhook_routes (
    hook_id       uuid    PRIMARY KEY,
    ticket_types  text[]  NOT NULL,
    event_kinds   text[]  NOT NULL,
    enabled       boolean NOT NULL
);

-- What later events of a ticket need to say which ticket type and task they concern.
CREATE TABLE IF NOT EXISTS webhook_tickets (
    ticket_id    uuid   PRIMARY KEY,
    ticket_type  text   NOT NULL,
    reference    text   NOT NULL,
    task_names   text[] NOT NULL
);

-- One row per event and hook; its id is the `webhook-id` every attempt carries.
CREATE TABLE IF NOT EXISTS webhook_deliveries (
    id           uuid        PRIMARY KEY,
    hook_id      uuid        NOT NULL,
    kind         text        NOT NULL,
    reference    text,
    body         text        NOT NULL,  -- the exact JSON sent, the same on every attempt
    status       text        NOT NULL,  -- pending, sending, delivered, failed, skipped
    attempts     integer     NOT NULL DEFAULT 0,
    due_at       timestamptz NOT NULL,
    lease_until  timestamptz,
    sender       text,
    last_result  text,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS webhook_deliveries_due ON webhook_deliveries (due_at)
    WHERE status IN ('pending', 'sending');
CREATE INDEX IF NOT EXISTS webhook_deliveries_of_hook
    ON webhook_deliveries (hook_id, created_at DESC);

-- Every attempt: when, how long, the response code (none when it never got one), what
-- went wrong, and the start of the response body.
CREATE TABLE IF NOT EXISTS webhook_attempts (
    delivery_id  uuid             NOT NULL,
    attempt      integer          NOT NULL,
    started_at   timestamptz      NOT NULL,
    seconds      double precision NOT NULL,
    status_code  integer,
    error        text,
    response     text,
    PRIMARY KEY (delivery_id, attempt)
);

CREATE TABLE IF NOT EXISTS webhook_deliveries_tracking (
    application_name text   PRIMARY KEY,
    notification_id  bigint NOT NULL
);
