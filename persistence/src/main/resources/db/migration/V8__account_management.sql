-- Account management: an admin disables an account (kept, so its name on signed reports and in the
-- audit stays meaningful) or deletes it; an account made or reset by an admin must choose its own
-- password at its next login.
ALTER TABLE app_user ADD COLUMN disabled BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE app_user ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE app_user ADD COLUMN password_changed_at TIMESTAMPTZ;
