-- The web viewer: worklist flags of each finished analysis, and the radiologist's review of it.

-- Flags a radiologist sees at a glance, computed once when a job completes (AnalysisQueue.complete),
-- so a worklist page over 10,000 studies sorts and filters on columns, not on aggregates of findings.
ALTER TABLE analysis_job ADD COLUMN infarct_ml DOUBLE PRECISION;
ALTER TABLE analysis_job ADD COLUMN midline_shift_mm DOUBLE PRECISION;
-- The lower of the two hippocampal z-scores (ICV-adjusted); below -1.645 is below the 5th centile.
ALTER TABLE analysis_job ADD COLUMN hippocampus_min_z DOUBLE PRECISION;
ALTER TABLE analysis_job ADD COLUMN brain_age_gap_years DOUBLE PRECISION;
ALTER TABLE analysis_job ADD COLUMN not_assessed_count INTEGER;
CREATE INDEX analysis_job_study ON analysis_job (study_ref, id DESC);
CREATE INDEX analysis_job_study_done ON analysis_job (study_ref, finished_at DESC) WHERE state = 'DONE';

UPDATE analysis_job j SET
    infarct_ml = (SELECT f.value FROM finding f WHERE f.job_ref = j.id AND f.analysis = 'lesion' AND f.name = 'total_volume_ml'),
    midline_shift_mm = (SELECT f.value FROM finding f WHERE f.job_ref = j.id AND f.analysis = 'midline' AND f.name = 'shift_mm'),
    hippocampus_min_z = (SELECT min(f.value) FROM finding f WHERE f.job_ref = j.id AND f.analysis = 'mci'
                         AND f.name IN ('hippocampus_left_z', 'hippocampus_right_z')),
    brain_age_gap_years = (SELECT f.value FROM finding f WHERE f.job_ref = j.id AND f.analysis = 'brain_age' AND f.name = 'gap_years'),
    not_assessed_count = COALESCE(jsonb_array_length(j.findings -> 'not_assessed'), 0)
WHERE j.state = 'DONE';

CREATE INDEX study_date_idx ON study (study_date, id);
CREATE INDEX study_accession ON study (accession_number);
CREATE INDEX patient_id_idx ON patient (patient_id);

-- The name a verifying observer signs with (DICOM PN, Family^Given); the user name when unset.
ALTER TABLE app_user ADD COLUMN full_name TEXT;

-- SRs written on review: the verified copy of a signed report and the rejection notice.
ALTER TABLE report_object DROP CONSTRAINT report_object_kind;
ALTER TABLE report_object ALTER COLUMN kind TYPE VARCHAR(16);
ALTER TABLE report_object ADD CONSTRAINT report_object_kind CHECK (kind IN ('SR', 'SEG', 'SIGNED_SR', 'REJECTED_SR'));

-- The audit trail of sign-off: who, when, what, on which study and which SR; at most one decision per
-- analysis (a new analysis of the study is a new job, and so reopens the review).
CREATE TABLE review_audit (
    id                       BIGSERIAL PRIMARY KEY,
    study_ref                BIGINT      NOT NULL REFERENCES study (id),
    job_ref                  BIGINT      NOT NULL REFERENCES analysis_job (id),
    action                   VARCHAR(8)  NOT NULL,
    username                 VARCHAR(64) NOT NULL,
    observer_name            TEXT        NOT NULL,
    comment                  TEXT,
    -- The unverified SR the decision is about, and the SR it produced.
    report_sop_instance_uid  VARCHAR(64) NOT NULL,
    result_sop_instance_uid  VARCHAR(64) NOT NULL,
    decided_at               TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT review_action CHECK (action IN ('SIGN', 'REJECT')),
    UNIQUE (job_ref)
);
CREATE INDEX review_audit_study ON review_audit (study_ref, decided_at);

-- What the viewer draws of a finished job: its key images (name, series role, plane, slice) and the
-- slice stacks of its label maps, chosen while the volumes were in memory.
ALTER TABLE analysis_job ADD COLUMN viewer JSONB;
