package org.neurogate.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An admin manages accounts over the API: a new account must choose its own password before anything
 * else (over the API and in the viewer), a user changes their own password, an admin resets one,
 * disables and enables an account (open sessions end too) and deletes one, and cannot lock out the
 * last admin.
 */
class AccountManagementSystemTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN = GatewayProcess.ADMIN_PASSWORD;
    private static GatewayProcess gateway;

    @BeforeAll
    static void start() throws Exception {
        gateway = GatewayProcess.start(TestEnvironment.workDir("accounts").resolve("data"), Map.of());
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void aNewAccountMustChooseItsOwnPasswordFirst() throws Exception {
        assertEquals(201, create("newreader", "temporary-secret-1", "radiologist").statusCode());
        HttpResponse<byte[]> blocked = gateway.send("GET", "/api/studies", "newreader", "temporary-secret-1", null);
        assertEquals(403, blocked.statusCode());
        JsonNode why = JSON.readTree(blocked.body());
        assertEquals("password change required", why.path("error").asText());
        assertEquals("/api/users/me/password", why.path("changePassword").asText());
        // The wrong current password, a weak one and the same one are refused, each saying why.
        assertError(changeOwn("newreader", "temporary-secret-1", "not-the-current-1", "another-secret-22"), 400,
                "currentPassword: wrong");
        assertError(changeOwn("newreader", "temporary-secret-1", "temporary-secret-1", "short"), 400, "at least 12");
        assertError(changeOwn("newreader", "temporary-secret-1", "temporary-secret-1", "newreader-is-me"), 400,
                "must not contain the user name");
        assertError(changeOwn("newreader", "temporary-secret-1", "temporary-secret-1", "temporary-secret-1"), 400,
                "must differ");
        assertEquals(204, changeOwn("newreader", "temporary-secret-1", "temporary-secret-1", "my-own-secret-22").statusCode());
        assertEquals(401, gateway.send("GET", "/api/studies", "newreader", "temporary-secret-1", null).statusCode());
        assertEquals(200, gateway.send("GET", "/api/studies", "newreader", "my-own-secret-22", null).statusCode());
        assertFalse(user("newreader").path("mustChangePassword").asBoolean());
    }

    @Test
    void theViewerSendsAForcedChangeToTheFormFirst() throws Exception {
        assertEquals(201, create("formreader", "temporary-secret-2", "radiologist").statusCode());
        FormClient browser = new FormClient(gateway);
        assertEquals(302, browser.post("/j_security_check", Map.of("j_username", "formreader",
                "j_password", "temporary-secret-2")).statusCode());
        HttpResponse<String> worklist = browser.get("/viewer");
        assertEquals(303, worklist.statusCode());
        assertTrue(worklist.headers().firstValue("Location").orElse("").endsWith("/account/password"));
        HttpResponse<String> form = browser.get("/account/password");
        assertEquals(200, form.statusCode());
        assertTrue(form.body().contains("id=\"password-required\""), form.body());
        String csrf = FormClient.field(form.body(), "csrf");
        HttpResponse<String> mismatch = browser.post("/account/password", Map.of("csrf", csrf,
                "currentPassword", "temporary-secret-2", "newPassword", "form-own-secret-1", "repeatPassword", "typo"));
        assertTrue(mismatch.body().contains("the two entries differ"), mismatch.body());
        HttpResponse<String> changed = browser.post("/account/password", Map.of("csrf", csrf,
                "currentPassword", "temporary-secret-2", "newPassword", "form-own-secret-1",
                "repeatPassword", "form-own-secret-1"));
        assertEquals(303, changed.statusCode(), changed.body());
        assertEquals(200, browser.get("/viewer").statusCode(), "the same session goes on once changed");
        assertEquals(403, browser.post("/account/password", Map.of("currentPassword", "form-own-secret-1",
                "newPassword", "form-own-secret-2", "repeatPassword", "form-own-secret-2")).statusCode(),
                "the form needs its CSRF token");
    }

    @Test
    void anAdminResetsDisablesEnablesAndDeletes() throws Exception {
        assertEquals(201, create("temp", "first-secret-123", "researcher", false).statusCode());
        // A researcher's own API answers: 404 for an export that does not exist, not 401 or 403.
        assertEquals(404, gateway.send("GET", "/api/exports/0", "temp", "first-secret-123", null).statusCode());
        // A reset forces a change at the next login.
        assertEquals(200, gateway.send("PUT", "/api/users/temp/password", "admin", ADMIN,
                "{\"password\":\"reset-by-admin-1\"}").statusCode());
        assertEquals(401, gateway.send("GET", "/api/exports/0", "temp", "first-secret-123", null).statusCode());
        assertEquals(403, gateway.send("GET", "/api/exports/0", "temp", "reset-by-admin-1", null).statusCode());
        assertEquals(204, changeOwn("temp", "reset-by-admin-1", "reset-by-admin-1", "my-research-pw-9").statusCode());
        // Disabled: refused even with the right password; enabled again: back.
        assertEquals(200, gateway.send("POST", "/api/users/temp/disable", "admin", ADMIN, null).statusCode());
        assertTrue(user("temp").path("disabled").asBoolean());
        assertEquals(401, gateway.send("GET", "/api/exports/0", "temp", "my-research-pw-9", null).statusCode());
        assertEquals(200, gateway.send("POST", "/api/users/temp/enable", "admin", ADMIN, null).statusCode());
        assertEquals(404, gateway.send("GET", "/api/exports/0", "temp", "my-research-pw-9", null).statusCode());
        // Only admins manage accounts.
        assertEquals(403, gateway.send("POST", "/api/users/admin/disable", "temp", "my-research-pw-9", null).statusCode());
        // Deleted: gone.
        assertEquals(204, gateway.send("DELETE", "/api/users/temp", "admin", ADMIN, null).statusCode());
        assertEquals(401, gateway.send("GET", "/api/exports/0", "temp", "my-research-pw-9", null).statusCode());
        assertEquals(404, gateway.send("DELETE", "/api/users/temp", "admin", ADMIN, null).statusCode());
    }

    @Test
    void aDisabledAccountsOpenSessionEnds() throws Exception {
        assertEquals(201, create("sessionreader", "session-secret-1", "radiologist", false).statusCode());
        FormClient browser = new FormClient(gateway);
        browser.post("/j_security_check", Map.of("j_username", "sessionreader", "j_password", "session-secret-1"));
        assertEquals(200, browser.get("/viewer").statusCode());
        assertEquals(200, gateway.send("POST", "/api/users/sessionreader/disable", "admin", ADMIN, null).statusCode());
        HttpResponse<String> after = browser.get("/viewer");
        assertTrue(after.statusCode() == 302 || after.statusCode() == 303 || after.statusCode() == 401,
                "a disabled account's session answered " + after.statusCode());
        assertTrue(after.headers().firstValue("Location").orElse("/login").contains("/login"));
    }

    @Test
    void theLastAdminCannotBeLockedOut() throws Exception {
        assertError(gateway.send("POST", "/api/users/admin/disable", "admin", ADMIN, null), 400, "their own account");
        assertError(gateway.send("DELETE", "/api/users/admin", "admin", ADMIN, null), 400, "their own account");
        assertEquals(201, create("second-admin", "a-second-secret-1", "admin", false).statusCode());
        // With two admins, one may disable the other, but not the last one left enabled.
        assertEquals(200, gateway.send("POST", "/api/users/admin/disable", "second-admin", "a-second-secret-1", null)
                .statusCode());
        assertEquals(200, gateway.send("POST", "/api/users/admin/enable", "second-admin", "a-second-secret-1", null)
                .statusCode());
        assertEquals(204, gateway.send("DELETE", "/api/users/second-admin", "admin", ADMIN, null).statusCode());
        assertEquals(200, gateway.send("GET", "/api/users", "admin", ADMIN, null).statusCode());
    }

    private static HttpResponse<byte[]> create(String username, String password, String role) throws Exception {
        return gateway.send("POST", "/api/users", "admin", ADMIN,
                JSON.writeValueAsString(Map.of("username", username, "password", password, "role", role)));
    }

    private static HttpResponse<byte[]> create(String username, String password, String role, boolean mustChange)
            throws Exception {
        return gateway.send("POST", "/api/users", "admin", ADMIN, JSON.writeValueAsString(Map.of("username", username,
                "password", password, "role", role, "mustChangePassword", mustChange)));
    }

    private static HttpResponse<byte[]> changeOwn(String user, String loginPassword, String current, String next)
            throws Exception {
        return gateway.send("POST", "/api/users/me/password", user, loginPassword,
                JSON.writeValueAsString(Map.of("currentPassword", current, "newPassword", next)));
    }

    private static JsonNode user(String username) throws Exception {
        for (JsonNode u : JSON.readTree(gateway.send("GET", "/api/users", "admin", ADMIN, null).body())) {
            if (username.equals(u.path("username").asText())) {
                return u;
            }
        }
        throw new AssertionError("no user " + username);
    }

    private static void assertError(HttpResponse<byte[]> response, int status, String containing) {
        String body = new String(response.body(), StandardCharsets.UTF_8);
        assertEquals(status, response.statusCode(), body);
        assertTrue(body.contains(containing), body);
    }
}
