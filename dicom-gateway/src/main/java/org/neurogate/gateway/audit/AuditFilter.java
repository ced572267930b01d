package org.neurogate.gateway.audit;

import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ResourceInfo;
import java.lang.reflect.Method;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;
import org.neurogate.persistence.AuditEvent;

/**
 * Records every call of an {@link Audited} endpoint once its response is known: who (the account, or
 * none), from where, which object, and the outcome from the status: success below 400, a minor failure
 * for a refusal (400-499, e.g. 403 or 404), a serious failure for our own error (500 and up).
 */
public class AuditFilter {

    private final AuditLog audit;
    private final SecurityIdentity identity;
    private final AuditNote note;

    public AuditFilter(AuditLog audit, SecurityIdentity identity, AuditNote note) {
        this.audit = audit;
        this.identity = identity;
        this.note = note;
    }

    @ServerResponseFilter
    public void record(ContainerRequestContext request, ContainerResponseContext response, ResourceInfo resource,
                       HttpServerRequest http) {
        Method method = resource == null ? null : resource.getResourceMethod();
        Audited audited = method == null ? null : method.getAnnotation(Audited.class);
        if (audited == null) {
            return;
        }
        String objectId = audited.objectParam().isEmpty() ? note.objectId()
                : request.getUriInfo().getPathParameters().getFirst(audited.objectParam());
        int status = response.getStatus();
        int outcome = status < 400 && !note.isRefused() ? AuditEvent.SUCCESS : status < 400 ? AuditEvent.MINOR_FAILURE : status < 500 ? AuditEvent.MINOR_FAILURE
                : AuditEvent.SERIOUS_FAILURE;
        String detail = note.detail();
        if (status >= 400) {
            detail = (detail == null ? "" : detail + "; ") + "HTTP " + status;
        }
        audit.record(audited.value(), outcome, actor(http), audited.objectType().isEmpty() ? null : audited.objectType(),
                objectId, null, detail);
    }

    private Actor actor(HttpServerRequest http) {
        String address = http.remoteAddress() == null ? null : http.remoteAddress().hostAddress();
        if (identity == null || identity.isAnonymous()) {
            return new Actor(null, null, address);
        }
        String role = identity.getRoles().stream().sorted().findFirst().orElse(null);
        return new Actor(identity.getPrincipal().getName(), role, address);
    }
}
