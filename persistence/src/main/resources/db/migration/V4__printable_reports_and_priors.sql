-- Objects every PACS can display: the encapsulated PDF report (preliminary, and re-issued on review)
-- and the key images as Secondary Capture.
ALTER TABLE report_object DROP CONSTRAINT report_object_kind;
ALTER TABLE report_object ADD CONSTRAINT report_object_kind CHECK (kind IN ('SR', 'SEG', 'SIGNED_SR', 'REJECTED_SR',
    'PDF', 'SIGNED_PDF', 'REJECTED_PDF', 'KEY_IMAGES'));

-- Finding a patient's prior studies: by patient and study date.
CREATE INDEX study_patient_date ON study (patient_ref, study_date);
