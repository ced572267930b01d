package org.neurogate.gateway.audit;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import org.neurogate.gateway.api.ApiRoles;
import org.neurogate.gateway.api.UserResource;
import org.neurogate.persistence.AuditEvent;
import org.neurogate.persistence.AuditTrail;

/**
 * The audit trail for admins, newest first, with filters; reading it is itself audited. Page back with
 * {@code before} set to the smallest id of the previous page.
 */
@Path("/api/audit")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(ApiRoles.ADMIN)
public class AuditResource {

    private final AuditTrail trail;
    private final AuditNote note;

    public AuditResource(AuditTrail trail, AuditNote note) {
        this.trail = trail;
        this.note = note;
    }

    /**
     * @param from    ISO-8601 date-time, inclusive
     * @param to      ISO-8601 date-time, exclusive
     * @param event   an event kind, e.g. login, study-viewed, association (see the README)
     * @param user    account name or calling AE title
     * @param outcome 0 success, 4 minor failure, 8 serious failure, 12 major failure
     * @param object  a study UID, report UID, account name or export id
     * @param address the requestor's network address
     * @param before  only rows with a smaller id
     * @param limit   at most this many rows (1 to 1000, default 100)
     */
    @GET
    @Audited(AuditEvent.AUDIT_READ)
    public List<AuditTrail.Entry> read(@QueryParam("from") String from, @QueryParam("to") String to,
                                       @QueryParam("event") String event, @QueryParam("user") String user,
                                       @QueryParam("outcome") Integer outcome, @QueryParam("object") String object,
                                       @QueryParam("address") String address, @QueryParam("before") Long before,
                                       @QueryParam("limit") @DefaultValue("100") int limit) {
        if (event != null && AuditEvent.ofKind(event).isEmpty()) {
            throw UserResource.bad("event: one of " + java.util.Arrays.stream(AuditEvent.values())
                    .map(AuditEvent::kind).toList());
        }
        if (outcome != null && outcome != 0 && outcome != 4 && outcome != 8 && outcome != 12) {
            throw UserResource.bad("outcome: 0, 4, 8 or 12");
        }
        AuditTrail.Filter filter = new AuditTrail.Filter(time("from", from), time("to", to), Optional.ofNullable(event),
                Optional.ofNullable(user), Optional.ofNullable(outcome), Optional.ofNullable(object),
                Optional.ofNullable(address), Optional.ofNullable(before), limit);
        note.detail(describe(from, to, event, user, outcome, object, address, before));
        return trail.read(filter);
    }

    private static Optional<OffsetDateTime> time(String name, String value) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(value));
        } catch (DateTimeParseException e) {
            throw UserResource.bad(name + ": an ISO-8601 date-time with offset, e.g. 2026-12-01T08:00:00Z");
        }
    }

    /** The filters, for the audit-read event's own detail. */
    private static String describe(Object... values) {
        String[] names = {"from", "to", "event", "user", "outcome", "object", "address", "before"};
        StringBuilder out = new StringBuilder("filters:");
        for (int i = 0; i < names.length; i++) {
            if (values[i] != null) {
                out.append(' ').append(names[i]).append('=').append(values[i]);
            }
        }
        return out.toString();
    }
}
