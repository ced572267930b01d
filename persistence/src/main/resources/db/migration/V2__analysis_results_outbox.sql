-- Analysis runs per study: one waiting job per study, whatever its series.
DROP INDEX analysis_job_one_queued_per_series;
UPDATE analysis_job SET state = 'FAILED', reason = 'superseded by per-study analysis' WHERE state = 'QUEUED'
    AND id NOT IN (SELECT min(id) FROM analysis_job WHERE state = 'QUEUED' GROUP BY study_ref);
CREATE UNIQUE INDEX analysis_job_one_queued_per_study ON analysis_job (study_ref) WHERE state = 'QUEUED';
ALTER TABLE analysis_job ADD COLUMN worker TEXT;
-- The full findings of the run, as the analyses wrote them.
ALTER TABLE analysis_job ADD COLUMN findings JSONB;

-- One row per measurement, for queries across studies.
CREATE TABLE finding (
    id                  BIGSERIAL PRIMARY KEY,
    job_ref             BIGINT      NOT NULL REFERENCES analysis_job (id),
    study_ref           BIGINT      NOT NULL REFERENCES study (id),
    series_instance_uid VARCHAR(64),
    analysis            VARCHAR(32) NOT NULL,
    name                VARCHAR(64) NOT NULL,
    concept_scheme      VARCHAR(16) NOT NULL,
    concept_code        VARCHAR(16) NOT NULL,
    concept_meaning     VARCHAR(64) NOT NULL,
    value               DOUBLE PRECISION NOT NULL,
    unit                VARCHAR(16) NOT NULL,
    method              TEXT        NOT NULL,
    qc_flags            TEXT        NOT NULL DEFAULT '',
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (job_ref, analysis, name)
);
CREATE INDEX finding_study ON finding (study_ref);

-- The SR and SEG objects a job produced; the SOP Instance UID derives from the job, so a retried
-- job writes the same rows and cannot make a second report.
CREATE TABLE report_object (
    id                  BIGSERIAL PRIMARY KEY,
    sop_instance_uid    VARCHAR(64) NOT NULL UNIQUE,
    sop_class_uid       VARCHAR(64) NOT NULL,
    series_instance_uid VARCHAR(64) NOT NULL,
    kind                VARCHAR(8)  NOT NULL,
    job_ref             BIGINT      NOT NULL REFERENCES analysis_job (id),
    study_ref           BIGINT      NOT NULL REFERENCES study (id),
    storage_path        TEXT        NOT NULL,
    size_bytes          BIGINT      NOT NULL,
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT report_object_kind CHECK (kind IN ('SR', 'SEG'))
);
CREATE INDEX report_object_study ON report_object (study_ref);

-- Delivery of each object to each destination: retried with backoff, dead-lettered after the limit.
CREATE TABLE outbox (
    id               BIGSERIAL PRIMARY KEY,
    report_ref       BIGINT      NOT NULL REFERENCES report_object (id),
    destination      VARCHAR(128) NOT NULL,
    state            VARCHAR(16) NOT NULL DEFAULT 'PENDING',
    attempts         INTEGER     NOT NULL DEFAULT 0,
    next_attempt_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_error       TEXT,
    sent_at          TIMESTAMPTZ,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT outbox_state CHECK (state IN ('PENDING', 'SENT', 'DEAD')),
    UNIQUE (report_ref, destination)
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE state = 'PENDING';
