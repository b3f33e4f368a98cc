-- Where each process (tf_processes: log followers that act by sending commands) has got
-- to in the log. Unlike read tables these are never rebuilt: a process acts only once.
CREATE TABLE IF NOT EXISTS deactivated_users_tracking (
    application_name text   PRIMARY KEY,
    notification_id  bigint NOT NULL
);
