-- The audit trail, after IHE ATNA / DICOM PS3.15 A.5: who did what to which object, when, from where,
-- and with what outcome. Rows are only ever added: a trigger refuses UPDATE, DELETE and TRUNCATE, so
-- neither a bug nor an injected statement rewrites history (the table's owner could drop the trigger;
-- a trail that must survive a compromised host goes to syslog as well). Patients are named by study UID only, never by name or ID, so the
-- trail can go to a collector that is not cleared for patient data.

CREATE TABLE audit_event (
    id              BIGSERIAL PRIMARY KEY,
    recorded_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- Our short name for the event (login, study-viewed, association ...), and its DICOM codes:
    -- the EventID (e.g. 110114 User Authentication) and the EventTypeCode (e.g. 110122 Login).
    kind            VARCHAR(40) NOT NULL,
    event_code      VARCHAR(16) NOT NULL,
    event_type_code VARCHAR(16),
    -- EventActionCode: C(reate), R(ead), U(pdate), D(elete), E(xecute).
    action          CHAR(1) NOT NULL,
    -- EventOutcomeIndicator: 0 success, 4 minor failure, 8 serious failure, 12 major failure.
    outcome         SMALLINT NOT NULL,
    -- The requestor: an account name (as typed, for a failed login), a calling AE title, or 'system'.
    username        VARCHAR(64),
    user_role       VARCHAR(32),
    source_address  VARCHAR(64),
    -- The participant object: a study UID, a report's SOP instance UID, an account, an export id.
    object_type     VARCHAR(32),
    object_id       VARCHAR(128),
    instances       INTEGER,
    detail          VARCHAR(1000),
    -- The gateway process that saw it (host and pid), for a trail shared by several processes.
    process         VARCHAR(64) NOT NULL
);
CREATE INDEX audit_event_time ON audit_event (recorded_at);
CREATE INDEX audit_event_kind ON audit_event (kind, recorded_at);
CREATE INDEX audit_event_user ON audit_event (username, recorded_at);
CREATE INDEX audit_event_object ON audit_event (object_id);

CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_event is append-only (% refused)', TG_OP;
END $$;
CREATE TRIGGER audit_event_no_update BEFORE UPDATE OR DELETE ON audit_event
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only();

-- Each setting's keyed digest (never its value) at a node's last start: the next start compares and
-- records a configuration-changed event naming the settings that differ.
CREATE TABLE audited_setting (
    node       VARCHAR(64) NOT NULL,
    name       VARCHAR(200) NOT NULL,
    digest     VARCHAR(64) NOT NULL,
    PRIMARY KEY (node, name)
);
