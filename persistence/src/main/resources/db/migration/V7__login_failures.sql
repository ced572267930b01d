-- Failed logins, for the lockout per user name and per address: in the database, so that every
-- gateway process behind one address counts the same failures. Rows older than a day are purged.

CREATE TABLE login_failure (
    id         BIGSERIAL PRIMARY KEY,
    -- As typed, cut to 64 characters; it may name no account.
    username   VARCHAR(64) NOT NULL,
    address    VARCHAR(64) NOT NULL,
    failed_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX login_failure_username ON login_failure (username, failed_at);
CREATE INDEX login_failure_address ON login_failure (address, failed_at);
