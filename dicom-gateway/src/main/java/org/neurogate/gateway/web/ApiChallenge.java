package org.neurogate.gateway.web;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * An API call without credentials gets 401 with a Basic challenge, as a script expects, not the
 * redirect to the login page that a browser gets for the viewer. Quarkus sends one challenge, that
 * of its first authentication mechanism (form, since the viewer has a login page), whatever the path;
 * this turns that redirect back into a 401 for {@code /api/} paths.
 */
@ApplicationScoped
public class ApiChallenge {

    void register(@Observes Filters filters) {
        filters.register(this::basicChallengeForTheApi, 1000);
    }

    void basicChallengeForTheApi(RoutingContext rc) {
        if (rc.request().path().startsWith("/api/")) {
            rc.addHeadersEndHandler(v -> {
                var response = rc.response();
                String location = response.headers().get(HttpHeaders.LOCATION);
                if (response.getStatusCode() == 302 && location != null && location.endsWith("/login")) {
                    response.setStatusCode(401);
                    response.headers().remove(HttpHeaders.LOCATION);
                    response.headers().remove(HttpHeaders.SET_COOKIE);
                    response.headers().set("WWW-Authenticate", "Basic realm=\"NeuroGate\"");
                }
            });
        }
        rc.next();
    }
}
