package org.neurogate.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A viewer session left idle for longer than NEUROGATE_SESSION_TIMEOUT needs a new login. */
class SessionTimeoutSystemTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @Test
    void anIdleSessionEnds() throws Exception {
        try (GatewayProcess gateway = GatewayProcess.start(TestEnvironment.workDir("session-timeout").resolve("data"),
                GatewayProcess.env("NEUROGATE_SESSION_TIMEOUT", "PT3S"))) {
            String base = "http://localhost:" + gateway.httpPort();
            HttpResponse<String> login = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/j_security_check"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("j_username=admin&j_password=" + GatewayProcess.ADMIN_PASSWORD))
                    .build(), HttpResponse.BodyHandlers.ofString());
            String cookie = login.headers().allValues("set-cookie").stream()
                    .filter(c -> c.startsWith("neurogate-session=")).findFirst().orElseThrow();
            String session = cookie.substring(0, cookie.indexOf(';'));
            assertEquals(200, worklist(base, session).statusCode(), "a fresh session opens the worklist");
            Thread.sleep(Duration.ofSeconds(5).toMillis());
            HttpResponse<String> idle = worklist(base, session);
            assertEquals(302, idle.statusCode(), "after 5 s idle with a 3 s timeout");
            assertTrue(idle.headers().firstValue("Location").orElse("").endsWith("/login"));
        }
    }

    private static HttpResponse<String> worklist(String base, String session) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + "/viewer")).header("Cookie", session).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
