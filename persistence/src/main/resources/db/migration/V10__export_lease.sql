-- An API export runs under a lease, renewed as it progresses, so that with several web processes one
-- that stopped in the middle of an export gives it to another instead of one that is still running it.
ALTER TABLE export_job ADD COLUMN lease_until TIMESTAMPTZ;
