-- The notifications process's own state (operational: never rebuilt, since a rebuild would
-- mail everyone again). Rows are made exactly once from the log by
-- tf_notifications.follower; senders lease due rows with SKIP LOCKED.

-- Who is a dispatcher, as of the position followed (from the users' own events, in log
-- order: not the users read table, which another worker fills at its own pace).
CREATE TABLE IF NOT EXISTS notification_staff (
    user_id   uuid    PRIMARY KEY,
    username  text    NOT NULL,
    roles     text[]  NOT NULL,
    active    boolean NOT NULL DEFAULT true
);

-- What notices say about a ticket, kept from its Submitted event.
CREATE TABLE IF NOT EXISTS notification_tickets (
    ticket_id           uuid PRIMARY KEY,
    reference           text NOT NULL,
    summary             text NOT NULL,
    submitter_id        uuid NOT NULL,
    submitter_username  text NOT NULL,
    task_names          text[] NOT NULL
);

-- Each user's address and choices as of the position followed: read in log order, so a
-- notice obeys the choices made before it, whatever the other read models' lag.
CREATE TABLE IF NOT EXISTS notification_recipients (
    id       uuid  PRIMARY KEY,  -- the NotificationPreferences aggregate
    user_id  uuid  NOT NULL UNIQUE,
    address  text  NOT NULL DEFAULT '',
    choices  jsonb NOT NULL,
    -- A public submitter (no account): their mails link to the ticket's status page.
    status_path text
);
ALTER TABLE notification_recipients ADD COLUMN IF NOT EXISTS status_path text;

-- One row per mail to send: a notice mailed at once, a notice waiting for its digest (or
-- gathered into one), a notice its recipient turned off, or a digest itself.
CREATE TABLE IF NOT EXISTS notification_deliveries (
    delivery_id  uuid        PRIMARY KEY,  -- stable: the Message-ID is made from it
    user_id      uuid        NOT NULL,
    username     text        NOT NULL,
    kind         text        NOT NULL,     -- assigned, closed, commented, error, digest
    subject      text        NOT NULL,
    body         text        NOT NULL,
    link         text        NOT NULL,
    -- queued, sending, sent, failed, off, no_address, digest (waiting), digested
    status       text        NOT NULL,
    created_at   timestamptz NOT NULL,     -- the event's time
    digest_day   date,                     -- the day whose digest gathers it
    digest_id    uuid,                     -- the digest that carried it
    attempts     integer     NOT NULL DEFAULT 0,
    due_at       timestamptz,
    lease_until  timestamptz,
    sender       text,
    recipient    text,
    sent_at      timestamptz,
    last_error   text
);
CREATE INDEX IF NOT EXISTS notification_deliveries_due ON notification_deliveries (due_at)
    WHERE status IN ('queued', 'sending');
CREATE INDEX IF NOT EXISTS notification_deliveries_digest
    ON notification_deliveries (digest_day, user_id) WHERE status = 'digest';
CREATE INDEX IF NOT EXISTS notification_deliveries_recent
    ON notification_deliveries (created_at DESC);

CREATE TABLE IF NOT EXISTS notifications_tracking (
    application_name text PRIMARY KEY,
    notification_id  bigint NOT NULL
);
