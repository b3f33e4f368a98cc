-- Each user's email notification choices as the account page and the notifications
-- process read them. Written only by tf_projections.notification_preferences.
CREATE TABLE IF NOT EXISTS notification_preferences (
    id          uuid        PRIMARY KEY,  -- the NotificationPreferences aggregate
    user_id     uuid        NOT NULL UNIQUE,
    address     text        NOT NULL DEFAULT '',
    -- kind (assigned, closed, commented, error) → immediate, digest or off
    choices     jsonb       NOT NULL,
    updated_at  timestamptz NOT NULL
);
