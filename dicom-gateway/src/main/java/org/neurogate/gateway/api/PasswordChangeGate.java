package org.neurogate.gateway.api;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * An account whose password an admin chose (new, or reset) may do one thing: choose its own. The API
 * answers 403 with the way out in its body; the viewer's pages send the browser to the change form.
 */
public class PasswordChangeGate {

    /** Where the password is changed, and what must stay reachable to get there. */
    static final String API_PATH = "/api/users/me/password";
    static final String PAGE_PATH = "/account/password";
    private static final Set<String> OPEN = Set.of(API_PATH, PAGE_PATH, "/logout", "/login", "/login-error");

    private final SecurityIdentity identity;

    public PasswordChangeGate(SecurityIdentity identity) {
        this.identity = identity;
    }

    @ServerRequestFilter
    public Optional<Response> requireOwnPassword(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (OPEN.contains(path) || path.startsWith("/q/") || !AccountIdentity.mustChangePassword(identity)) {
            return Optional.empty();
        }
        if (path.startsWith("/api/")) {
            return Optional.of(Response.status(Response.Status.FORBIDDEN).type(MediaType.APPLICATION_JSON)
                    .entity(Map.of("error", "password change required", "changePassword", API_PATH)).build());
        }
        return Optional.of(Response.seeOther(URI.create(PAGE_PATH)).build());
    }
}
