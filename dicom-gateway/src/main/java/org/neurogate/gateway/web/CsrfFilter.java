package org.neurogate.gateway.web;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * State-changing API calls made with the viewer's session cookie carry the CSRF token in the
 * {@code X-CSRF-Token} header; Basic-authenticated calls do not need it. (The viewer's own forms check
 * their token field in the resource, where the form is read.)
 */
public class CsrfFilter {

    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");

    @ServerRequestFilter
    public Optional<Response> requireToken(ContainerRequestContext request) {
        if (SAFE.contains(request.getMethod()) || request.getHeaderString(HttpHeaders.AUTHORIZATION) != null
                || !request.getUriInfo().getPath().startsWith("/api/")) {
            return Optional.empty();
        }
        Cookie cookie = request.getCookies().get(Csrf.COOKIE);
        try {
            Csrf.check(cookie == null ? null : cookie.getValue(), request.getHeaderString(Csrf.HEADER));
            return Optional.empty();
        } catch (jakarta.ws.rs.ForbiddenException e) {
            return Optional.of(Response.status(Response.Status.FORBIDDEN).type("text/plain")
                    .entity("missing or wrong CSRF token").build());
        }
    }
}
