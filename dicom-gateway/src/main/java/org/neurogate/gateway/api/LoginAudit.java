package org.neurogate.gateway.api;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.ConcurrentHashMap;
import org.neurogate.gateway.audit.Actor;
import org.neurogate.gateway.audit.AuditLog;
import org.neurogate.persistence.AuditEvent;

/**
 * Logins for the audit trail. A viewer login is one event. An API client sends its password with every
 * request (HTTP Basic), so its successes are recorded once per user and address per
 * {@link #BASIC_SUCCESS_INTERVAL_MILLIS}, not once per request; every failure is recorded. Refusals
 * while locked cost the attacker nothing and could flood the trail: one per name and address per minute.
 */
@ApplicationScoped
public class LoginAudit {

    static final long BASIC_SUCCESS_INTERVAL_MILLIS = 15 * 60_000L;
    private static final long LOCKED_INTERVAL_MILLIS = 60_000L;
    private static final int MAX_REMEMBERED = 10_000;

    private final AuditLog audit;
    private final ConcurrentHashMap<String, Long> lastRecorded = new ConcurrentHashMap<>();

    public LoginAudit(AuditLog audit) {
        this.audit = audit;
    }

    void succeeded(String username, String role, String address, boolean form) {
        if (form || due("ok|" + username + "|" + address, BASIC_SUCCESS_INTERVAL_MILLIS)) {
            audit.record(AuditEvent.LOGIN, AuditEvent.SUCCESS, new Actor(username, role, address), "user", username,
                    null, form ? "viewer login form" : "HTTP Basic (recorded once per 15 minutes per address)");
        }
    }

    void failed(String username, String address, boolean form, String why) {
        audit.record(AuditEvent.LOGIN, AuditEvent.MINOR_FAILURE, new Actor(username, null, address), "user", username,
                null, why + (form ? " (viewer login form)" : " (HTTP Basic)"));
    }

    void refused(String username, String address, boolean form, String why) {
        if (due("locked|" + username + "|" + address, LOCKED_INTERVAL_MILLIS)) {
            failed(username, address, form, why + "; further refusals within a minute are not recorded");
        }
    }

    private boolean due(String key, long intervalMillis) {
        long now = System.currentTimeMillis();
        if (lastRecorded.size() > MAX_REMEMBERED) {
            lastRecorded.clear();
        }
        Long last = lastRecorded.get(key);
        if (last != null && now - last < intervalMillis) {
            return false;
        }
        lastRecorded.put(key, now);
        return true;
    }
}
