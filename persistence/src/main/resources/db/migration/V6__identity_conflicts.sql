-- Instances refused (or quarantined) because their identity contradicts what is already stored: a
-- different patient under a known study, a known series under another study, or a SOP Instance UID
-- already recorded in another series. Nothing here is ever analysed; an administrator resolves it.
-- The received_* columns hold the sender's patient identity (PHI): they are shown to administrators
-- only and never logged.

CREATE TABLE identity_conflict (
    id                   BIGSERIAL PRIMARY KEY,
    detected_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    kind                 VARCHAR(32) NOT NULL,
    action               VARCHAR(16) NOT NULL,
    sop_instance_uid     VARCHAR(64) NOT NULL,
    series_instance_uid  VARCHAR(64) NOT NULL,
    study_instance_uid   VARCHAR(64) NOT NULL,
    -- The attribute keywords that disagree with the stored record, comma separated.
    differing            TEXT        NOT NULL,
    stored_patient_ref   BIGINT      REFERENCES patient (id),
    received_patient_id  VARCHAR(64),
    received_issuer      VARCHAR(64),
    received_name        TEXT,
    received_birth_date  VARCHAR(8),
    calling_ae           VARCHAR(16),
    -- Relative to the data directory; set when the instance was kept in quarantine/.
    quarantine_path      TEXT,
    CONSTRAINT identity_conflict_kind CHECK (kind IN ('PATIENT_MISMATCH', 'SERIES_IN_OTHER_STUDY', 'SOP_INSTANCE_REUSED')),
    CONSTRAINT identity_conflict_action CHECK (action IN ('REFUSED', 'QUARANTINED'))
);
CREATE INDEX identity_conflict_detected ON identity_conflict (detected_at);
