package org.neurogate.gateway.audit;

import jakarta.enterprise.context.RequestScoped;

/**
 * What an audited endpoint adds to its event while it runs: the object it made (a new account, an
 * export's id) and a line of detail. The {@link AuditFilter} reads it when it records the event.
 */
@RequestScoped
public class AuditNote {

    private String objectId;
    private String detail;
    private boolean refused;

    public void object(String id) {
        this.objectId = id;
    }

    public void detail(String text) {
        this.detail = text;
    }

    /** The call was refused though the response is a success (a form shown again with its problem). */
    public void refused(String why) {
        this.refused = true;
        this.detail = why;
    }

    boolean isRefused() {
        return refused;
    }

    String objectId() {
        return objectId;
    }

    String detail() {
        return detail;
    }
}
