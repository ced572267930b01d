package org.neurogate.gateway.web;

import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.neurogate.gateway.ProcessConfig;

/**
 * A process without the web role (a receiver, a worker, a delivery process) serves neither the API nor
 * the viewer: 404, as if they were not there. Health and metrics ({@code /q/}) are not ours to gate and
 * stay, for the probes and the scraper.
 */
public class WebRoleGate {

    private final ProcessConfig process;

    public WebRoleGate(ProcessConfig process) {
        this.process = process;
    }

    @ServerRequestFilter(preMatching = true, priority = jakarta.ws.rs.Priorities.AUTHENTICATION - 100)
    public Optional<Response> onlyOnWebProcesses() {
        return process.runs(ProcessConfig.Role.WEB) ? Optional.empty()
                : Optional.of(Response.status(Response.Status.NOT_FOUND).type("text/plain")
                        .entity("not served here: this process's roles are " + process.describe()).build());
    }
}
