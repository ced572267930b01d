-- Patient / study / series / instance: the DICOM information model (PS3.3 C.7) as far as
-- routing and analysis need it. Every state that a crash could interrupt is a column here.

CREATE TABLE patient (
    id              BIGSERIAL PRIMARY KEY,
    -- PatientID and IssuerOfPatientID joined: the identity a PACS keys on.
    patient_key     TEXT        NOT NULL UNIQUE,
    patient_id      TEXT,
    issuer          TEXT,
    patient_name    TEXT,
    birth_date      VARCHAR(8),
    sex             VARCHAR(16),
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE study (
    id                  BIGSERIAL PRIMARY KEY,
    study_instance_uid  VARCHAR(64) NOT NULL UNIQUE,
    patient_ref         BIGINT      NOT NULL REFERENCES patient (id),
    study_date          VARCHAR(8),
    study_time          VARCHAR(32),
    accession_number    VARCHAR(16),
    study_description   TEXT,
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX study_patient ON study (patient_ref);

CREATE TABLE series (
    id                   BIGSERIAL PRIMARY KEY,
    series_instance_uid  VARCHAR(64) NOT NULL UNIQUE,
    study_ref            BIGINT      NOT NULL REFERENCES study (id),
    modality             VARCHAR(16),
    series_number        INTEGER,
    series_description   TEXT,
    sending_ae           VARCHAR(16),
    -- RECEIVING until no instance arrived for the stable time, then COMPLETE.
    state                VARCHAR(16) NOT NULL,
    instance_count       INTEGER     NOT NULL DEFAULT 0,
    first_received_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_received_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    completed_at         TIMESTAMPTZ,
    CONSTRAINT series_state CHECK (state IN ('RECEIVING', 'COMPLETE'))
);
CREATE INDEX series_study ON series (study_ref);
CREATE INDEX series_receiving ON series (last_received_at) WHERE state = 'RECEIVING';

CREATE TABLE instance (
    id                   BIGSERIAL PRIMARY KEY,
    sop_instance_uid     VARCHAR(64) NOT NULL UNIQUE,
    sop_class_uid        VARCHAR(64) NOT NULL,
    series_ref           BIGINT      NOT NULL REFERENCES series (id),
    instance_number      INTEGER,
    transfer_syntax_uid  VARCHAR(64) NOT NULL,
    -- Relative to the data directory, so the store can move as a whole.
    storage_path         TEXT        NOT NULL,
    size_bytes           BIGINT      NOT NULL,
    calling_ae           VARCHAR(16),
    received_at          TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX instance_series ON instance (series_ref);

CREATE TABLE analysis_job (
    id           BIGSERIAL PRIMARY KEY,
    study_ref    BIGINT      NOT NULL REFERENCES study (id),
    series_ref   BIGINT      REFERENCES series (id),
    state        VARCHAR(16) NOT NULL,
    reason       TEXT,
    attempts     INTEGER     NOT NULL DEFAULT 0,
    queued_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    started_at   TIMESTAMPTZ,
    finished_at  TIMESTAMPTZ,
    lease_until  TIMESTAMPTZ,
    CONSTRAINT analysis_job_state CHECK (state IN ('QUEUED', 'RUNNING', 'DONE', 'FAILED'))
);
-- A series that completes again (late instances) must not queue a second waiting job.
CREATE UNIQUE INDEX analysis_job_one_queued_per_series ON analysis_job (series_ref) WHERE state = 'QUEUED';
CREATE INDEX analysis_job_queued ON analysis_job (queued_at) WHERE state = 'QUEUED';

CREATE TABLE app_user (
    id             BIGSERIAL PRIMARY KEY,
    username       VARCHAR(64) NOT NULL UNIQUE,
    password_hash  TEXT        NOT NULL,
    role           VARCHAR(32) NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT app_user_role CHECK (role IN ('admin', 'radiologist', 'researcher'))
);
