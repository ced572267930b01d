package org.neurogate.persistence;

import java.util.Arrays;
import java.util.Optional;

/**
 * The events the audit trail records, each with its DICOM audit message codes (PS3.15 A.5.3, PS3.16
 * CID 400-403): the EventID, the EventTypeCode where one applies, and the EventActionCode.
 */
public enum AuditEvent {
    LOGIN("login", Code.USER_AUTHENTICATION, new Code("110122", "Login"), 'E'),
    LOGOUT("logout", Code.USER_AUTHENTICATION, new Code("110123", "Logout"), 'E'),
    /** A study's results read, over the API or in the viewer. */
    STUDY_VIEWED("study-viewed", Code.INSTANCES_ACCESSED, null, 'R'),
    REPORT_SIGNED("report-signed", Code.INSTANCES_ACCESSED, null, 'U'),
    REPORT_REJECTED("report-rejected", Code.INSTANCES_ACCESSED, null, 'U'),
    /** A research export asked for, written (by the API's job or the CLI), or its archive downloaded. */
    EXPORT_REQUESTED("export-requested", Code.EXPORT, null, 'C'),
    EXPORT_WRITTEN("export-written", Code.EXPORT, null, 'C'),
    EXPORT_DOWNLOADED("export-downloaded", Code.EXPORT, null, 'R'),
    USER_CREATED("user-created", Code.SECURITY_ALERT, Code.USER_SECURITY_ATTRIBUTES_CHANGED, 'E'),
    USER_CHANGED("user-changed", Code.SECURITY_ALERT, Code.USER_SECURITY_ATTRIBUTES_CHANGED, 'E'),
    USER_DISABLED("user-disabled", Code.SECURITY_ALERT, Code.USER_SECURITY_ATTRIBUTES_CHANGED, 'E'),
    USER_ENABLED("user-enabled", Code.SECURITY_ALERT, Code.USER_SECURITY_ATTRIBUTES_CHANGED, 'E'),
    USER_DELETED("user-deleted", Code.SECURITY_ALERT, Code.USER_SECURITY_ATTRIBUTES_CHANGED, 'E'),
    PASSWORD_CHANGED("password-changed", Code.SECURITY_ALERT, Code.USER_SECURITY_ATTRIBUTES_CHANGED, 'E'),
    /** An association we served, with the instances it stored and refused. */
    ASSOCIATION("association", new Code("110104", "DICOM Instances Transferred"), null, 'C'),
    /** An association or TLS connection refused because the peer is not who it may be. */
    NODE_AUTHENTICATION("node-authentication", Code.SECURITY_ALERT, new Code("110126", "Node Authentication"), 'E'),
    /** An association refused for a reason of ours (too many at once, database down). */
    ASSOCIATION_REFUSED("association-refused", new Code("110104", "DICOM Instances Transferred"), null, 'C'),
    APPLICATION_START("application-start", Code.APPLICATION_ACTIVITY, new Code("110120", "Application Start"), 'E'),
    APPLICATION_STOP("application-stop", Code.APPLICATION_ACTIVITY, new Code("110121", "Application Stop"), 'E'),
    /** Settings or the model pack differ from the previous start's. */
    CONFIGURATION_CHANGED("configuration-changed", Code.SECURITY_ALERT, new Code("110131", "Software Configuration"), 'E'),
    /** Patient identities compared by the receiver, read by an admin. */
    IDENTITY_CONFLICTS_READ("identity-conflicts-read", new Code("110110", "Patient Record"), null, 'R'),
    AUDIT_READ("audit-read", new Code("110101", "Audit Log Used"), null, 'R');

    /** A DCM code: value and meaning. */
    public record Code(String value, String meaning) {
        static final Code USER_AUTHENTICATION = new Code("110114", "User Authentication");
        static final Code INSTANCES_ACCESSED = new Code("110103", "DICOM Instances Accessed");
        static final Code EXPORT = new Code("110106", "Export");
        static final Code SECURITY_ALERT = new Code("110113", "Security Alert");
        static final Code APPLICATION_ACTIVITY = new Code("110100", "Application Activity");
        static final Code USER_SECURITY_ATTRIBUTES_CHANGED = new Code("110137", "User Security Attributes Changed");
    }

    /** EventOutcomeIndicator values. */
    public static final int SUCCESS = 0;
    public static final int MINOR_FAILURE = 4;
    public static final int SERIOUS_FAILURE = 8;
    public static final int MAJOR_FAILURE = 12;

    private final String kind;
    private final Code eventId;
    private final Code eventType;
    private final char action;

    AuditEvent(String kind, Code eventId, Code eventType, char action) {
        this.kind = kind;
        this.eventId = eventId;
        this.eventType = eventType;
        this.action = action;
    }

    public String kind() {
        return kind;
    }

    public Code eventId() {
        return eventId;
    }

    public Optional<Code> eventType() {
        return Optional.ofNullable(eventType);
    }

    public char action() {
        return action;
    }

    public static Optional<AuditEvent> ofKind(String kind) {
        return Arrays.stream(values()).filter(e -> e.kind.equals(kind)).findFirst();
    }
}
