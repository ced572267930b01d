-- Research exports: each is a job (state, progress) and, once written, one audit row that outlives it.

CREATE TABLE export_job (
    id            VARCHAR(36) PRIMARY KEY,
    state         VARCHAR(16) NOT NULL,
    -- The cohort query as the researcher sent it (JSON); it names no patient.
    cohort        JSONB       NOT NULL,
    requested_by  VARCHAR(64) NOT NULL,
    -- API (run by a gateway) or CLI (run by ./neurogate export in its own process).
    via           VARCHAR(8)  NOT NULL,
    with_images   BOOLEAN     NOT NULL,
    done          INTEGER     NOT NULL DEFAULT 0,
    total         INTEGER,
    reason        TEXT,
    -- Relative to the data directory for API exports; the folder given for CLI exports.
    output_path   TEXT,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    started_at    TIMESTAMPTZ,
    finished_at   TIMESTAMPTZ,
    CONSTRAINT export_job_state CHECK (state IN ('QUEUED', 'RUNNING', 'DONE', 'FAILED')),
    CONSTRAINT export_job_via CHECK (via IN ('API', 'CLI'))
);
CREATE INDEX export_job_queued ON export_job (created_at) WHERE state = 'QUEUED';

-- Who exported what, when: one row per finished export, with the digest of its manifest (which holds
-- the digest of every file), so an export found outside the hospital can be traced to its request.
CREATE TABLE export_audit (
    id                 BIGSERIAL PRIMARY KEY,
    export_id          VARCHAR(36) NOT NULL UNIQUE REFERENCES export_job (id),
    username           VARCHAR(64) NOT NULL,
    via                VARCHAR(8)  NOT NULL,
    cohort             JSONB       NOT NULL,
    subject_count      INTEGER     NOT NULL,
    study_count        INTEGER     NOT NULL,
    measurement_count  INTEGER     NOT NULL,
    with_images        BOOLEAN     NOT NULL,
    manifest_sha256    CHAR(64)    NOT NULL,
    exported_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);
